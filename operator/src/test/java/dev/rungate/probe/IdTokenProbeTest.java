package dev.rungate.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.oauth2.ComputeEngineCredentials;
import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.Probe;
import com.google.cloud.run.v2.RevisionTemplate;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.TCPSocketAction;
import com.google.cloud.run.v2.TrafficTarget;
import com.google.cloud.run.v2.TrafficTargetAllocationType;
import dev.rungate.api.checks.HttpCheck;
import dev.rungate.api.spec.RevisionProbe;
import dev.rungate.api.status.CheckResult;
import dev.rungate.emulator.EmulatorClients;
import dev.rungate.emulator.EmulatorConfig;
import dev.rungate.emulator.EmulatorServer;
import dev.rungate.probe.net.IdTokens;
import dev.rungate.secrets.SecretReader;
import java.net.HttpURLConnection;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The operator's revision probes against a private service in the emulator: google-auth-library's
 * ComputeEngineCredentials mints ID tokens from the emulated metadata server (its requests to
 * metadata.google.internal are sent to the emulator's loopback port, as GCE_METADATA_HOST would).
 */
@Tag("real")
class IdTokenProbeTest {
  private static final String SERVE = "exec /usr/bin/python3 -m http.server $PORT --bind 127.0.0.1";
  private static EmulatorServer emulator;
  private static EmulatorClients admin;
  private static Service service;
  private static String tagUrl;

  @BeforeAll
  static void start() throws Exception {
    emulator =
        EmulatorServer.start(
            0, EmulatorConfig.defaults().withDefaultStartup(Duration.ofSeconds(10)));
    admin = new EmulatorClients(emulator.endpoint());
    String parent = "projects/demo-project/locations/europe-west1";
    Service stable =
        admin
            .services()
            .createServiceAsync(
                parent, Service.newBuilder().setTemplate(template("secure-a")).build(), "secure")
            .get();
    service =
        admin
            .services()
            .updateServiceAsync(
                stable.toBuilder()
                    .setTemplate(template("secure-b"))
                    .clearTraffic()
                    .addTraffic(pin("secure-a", 100, ""))
                    .addTraffic(pin("secure-b", 0, "candidate"))
                    .build())
            .get();
    tagUrl = service.getTrafficStatuses(1).getUri();
  }

  @AfterAll
  static void stop() {
    admin.close();
    emulator.close();
  }

  /**
   * ComputeEngineCredentials whose metadata requests reach the emulator's metadata server on
   * loopback.
   */
  private static IdTokens metadataServer() {
    int port =
        Integer.parseInt(
            emulator.metadataHost().substring(emulator.metadataHost().lastIndexOf(':') + 1));
    NetHttpTransport loopback =
        new NetHttpTransport.Builder()
            .setConnectionFactory(
                url ->
                    (HttpURLConnection)
                        new URL("http", "127.0.0.1", port, url.getFile()).openConnection())
            .build();
    return IdTokens.from(
        ComputeEngineCredentials.newBuilder().setHttpTransportFactory(() -> loopback).build());
  }

  private static RevisionProbe probe(RevisionProbe.Auth auth) {
    RevisionProbe p = new RevisionProbe();
    p.name = "root";
    p.http = new HttpCheck();
    p.http.path = "/";
    p.auth = auth;
    return p;
  }

  private static CheckResult run(IdTokens tokens, RevisionProbe p) {
    try (DefaultProbes probes = new DefaultProbes(SecretReader.NONE, tokens)) {
      return probes.probeRevision(tagUrl, service.getUri(), List.of(p)).get(0);
    }
  }

  @Test
  void probeWithAnIdTokenForTheServiceUrlPasses() {
    long rejectedBefore = emulator.ingressRejected();
    CheckResult result = run(metadataServer(), probe(null));
    assertThat(result.passed).as(result.message).isTrue();
    assertThat(result.message).contains("HTTP 200");
    assertThat(emulator.ingressRejected()).isEqualTo(rejectedBefore);
  }

  @Test
  void withoutATokenThePrivateTagUrlRefusesAndTheResultSaysWhy() {
    CheckResult none = run(metadataServer(), probe(RevisionProbe.Auth.None));
    assertThat(none.passed).as(none.message).isFalse();
    assertThat(none.message).contains("HTTP 403").contains("requires authentication");

    CheckResult noCredentials = run(IdTokens.NONE, probe(RevisionProbe.Auth.IdToken));
    assertThat(noCredentials.passed).isFalse();
    assertThat(noCredentials.failedStep).isEqualTo("AUTH");
    assertThat(noCredentials.message).contains("no Google credentials").contains("auth: None");
  }

  private static RevisionTemplate template(String revision) {
    return RevisionTemplate.newBuilder()
        .setRevision(revision)
        .addContainers(
            Container.newBuilder()
                .setName("app")
                .setImage("europe-docker.pkg.dev/demo-project/app:1")
                .addCommand("sh")
                .addCommand("-c")
                .addCommand(SERVE)
                .setStartupProbe(
                    Probe.newBuilder()
                        .setTcpSocket(TCPSocketAction.getDefaultInstance())
                        .setPeriodSeconds(1)
                        .setFailureThreshold(8)))
        .build();
  }

  private static TrafficTarget pin(String revision, int percent, String tag) {
    return TrafficTarget.newBuilder()
        .setType(TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION)
        .setRevision(revision)
        .setPercent(percent)
        .setTag(tag)
        .build();
  }
}
