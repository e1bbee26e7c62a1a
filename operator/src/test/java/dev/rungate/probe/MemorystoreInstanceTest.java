package dev.rungate.probe;

import static dev.rungate.probe.Checks.NS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rungate.api.checks.MemorystoreCheck;
import dev.rungate.api.status.CheckResult;
import dev.rungate.emulator.EmulatorConfig;
import dev.rungate.emulator.EmulatorServer;
import dev.rungate.emulator.redis.RedisInstanceStore;
import dev.rungate.memorystore.GoogleMemorystore;
import dev.rungate.secrets.SecretReader;
import dev.rungate.testing.RedisServer;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Checks that name a Memorystore instance: the emulator's Admin API read with the real
 * google-cloud-redis client describes real redis-servers; TLS trusts the CAs the instance lists (no
 * CA Secret) and the AUTH string comes from GetInstanceAuthString.
 */
@Tag("real")
class MemorystoreInstanceTest {
  static final String PASSWORD = "Instance-Auth-Otter-9127";
  static final String PARENT = "projects/rungate-test/locations/us-central1/instances/";
  static TestCerts certs;
  static RedisServer tls;
  static RedisServer plain;
  static EmulatorServer emulator;
  static GoogleMemorystore api;
  static DefaultProbes probes;

  @BeforeAll
  static void start() {
    certs = TestCerts.create();
    // Memorystore's server certificate does not name the IP: VerifyCA is what works
    tls =
        RedisServer.startTls(
            certs.nameOnlyCert, certs.nameOnlyKey, certs.caCert, "--requirepass", PASSWORD);
    plain = RedisServer.start();
    emulator = EmulatorServer.start(0, EmulatorConfig.defaults());
    // two CAs listed, as during a rotation: the probe must trust each one
    emulator
        .redis()
        .create(
            new RedisInstanceStore.Change(
                PARENT + "sessions",
                "127.0.0.1",
                tls.port,
                true,
                certs.pem(certs.otherCaCert) + certs.pem(certs.caCert),
                PASSWORD,
                null,
                null,
                null,
                null));
    emulator
        .redis()
        .create(
            new RedisInstanceStore.Change(
                PARENT + "cache",
                "127.0.0.1",
                plain.port,
                null,
                null,
                null,
                null,
                null,
                null,
                null));
    api = GoogleMemorystore.plaintext(emulator.endpoint());
    probes = new DefaultProbes(SecretReader.NONE, api);
  }

  @AfterAll
  static void stop() {
    probes.close();
    api.close();
    emulator.close();
    tls.close();
    plain.close();
  }

  static MemorystoreCheck check(String instance, boolean authFromInstance) {
    MemorystoreCheck c = new MemorystoreCheck();
    c.name = "session-store";
    c.instance = PARENT + instance;
    c.auth = authFromInstance ? MemorystoreCheck.Auth.FromInstance : null;
    c.write = true;
    c.timeout = "5s"; // a cold JVM's first TLS handshake on a busy 2-core machine is slow
    return c;
  }

  static CheckResult probe(MemorystoreCheck c) {
    return probes.checkDependencies(NS, Checks.deps(List.of(c), List.of())).get(0);
  }

  @Test
  void tlsWithTheInstancesCasAndAuthFromTheInstancePasses() {
    CheckResult r = probe(check("sessions", true));
    assertThat(r.passed).as(r.message).isTrue();
    assertThat(r.target).contains(PARENT + "sessions", "127.0.0.1:" + tls.port, "TLS VerifyCA");
    assertThat(r.message).contains("AUTH ok", "write round trip ok", "TLS VerifyCA");
    assertThat(r.toString()).doesNotContain(PASSWORD);
  }

  @Test
  void withoutTheAuthStringTheInstanceRefuses() {
    CheckResult r = probe(check("sessions", false));
    assertThat(r.passed).isFalse();
    assertThat(r.message).contains("NOAUTH");
  }

  @Test
  void authFromAnInstanceWithoutAuthIsAnInstanceFailure() {
    CheckResult r = probe(check("cache", true));
    assertThat(r.passed).isFalse();
    assertThat(r.failedStep).isEqualTo("INSTANCE");
    assertThat(r.message).contains("AUTH disabled", "remove auth");
    assertThat(probe(check("cache", false)).passed).isTrue();
  }

  @Test
  void aMissingInstanceFailsItsInstanceStepNamingIt() {
    CheckResult r = probe(check("deleted", false));
    assertThat(r.passed).isFalse();
    assertThat(r.failedStep).isEqualTo("INSTANCE");
    assertThat(r.message).contains(PARENT + "deleted", "not found");
  }

  @Test
  void theGateSeesTheInstanceAsTheApiDescribesIt() {
    var deps = Checks.deps(List.of(check("sessions", true), check("deleted", false)), List.of());
    // a reconcile waits briefly for GetInstance, else uses the last instance seen: the first call
    // of a cold JVM may miss
    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> !probes.instances(deps).isEmpty());
    var found = probes.instances(deps);
    assertThat(found).containsOnlyKeys("session-store");
    var i = found.get("session-store");
    assertThat(i.port()).isEqualTo(tls.port);
    assertThat(i.transitEncryption()).isTrue();
    assertThat(i.caCertificates()).hasSize(2);
    assertThat(i.state()).isEqualTo("READY");
    assertThat(i.authorizedNetwork()).isEqualTo("projects/rungate-test/global/networks/default");
    assertThat(i.toString()).doesNotContain(PASSWORD);
  }
}
