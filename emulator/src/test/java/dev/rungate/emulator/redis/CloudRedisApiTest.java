package dev.rungate.emulator.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.NotFoundException;
import com.google.cloud.redis.v1.CloudRedisClient;
import com.google.cloud.redis.v1.CloudRedisSettings;
import com.google.cloud.redis.v1.Instance;
import com.google.cloud.redis.v1.ListInstancesRequest;
import dev.rungate.emulator.EmulatorConfig;
import dev.rungate.emulator.EmulatorServer;
import dev.rungate.emulator.cli.EmulatorCli;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The emulator's Memorystore Admin API v1 read with the real google-cloud-redis client; instances
 * made with its CLI.
 */
@Tag("real")
class CloudRedisApiTest {
  static final String PARENT = "projects/demo/locations/europe-west1";
  static EmulatorServer server;
  static ManagedChannel channel;
  static CloudRedisClient client;
  static Path ca;

  @BeforeAll
  static void start() throws Exception {
    server = EmulatorServer.start(0, EmulatorConfig.defaults());
    channel = ManagedChannelBuilder.forTarget(server.endpoint()).usePlaintext().build();
    client =
        CloudRedisClient.create(
            CloudRedisSettings.newBuilder()
                .setTransportChannelProvider(
                    FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
                .setCredentialsProvider(NoCredentialsProvider.create())
                .build());
    Path dir = Files.createTempDirectory("rungate-redis-ca");
    ca = dir.resolve("ca.pem");
    Process p =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=Test Redis CA",
                "-keyout",
                dir.resolve("ca.key").toString(),
                "-out",
                ca.toString())
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor()).isZero();
  }

  @AfterAll
  static void stop() {
    client.close();
    channel.shutdownNow();
    server.close();
  }

  @Test
  void createdInstanceHasMemorystoreDefaults() {
    Run created = run("create", "--name", PARENT + "/instances/plain", "--port", "16379");
    assertThat(created.code).as(created.err).isZero();
    assertThat(created.out).contains(PARENT + "/instances/plain READY 127.0.0.1:16379");

    Instance i = client.getInstance(PARENT + "/instances/plain");
    assertThat(i.getState()).isEqualTo(Instance.State.READY);
    assertThat(i.getHost()).isEqualTo("127.0.0.1");
    assertThat(i.getPort()).isEqualTo(16379);
    assertThat(i.getAuthorizedNetwork()).isEqualTo("projects/demo/global/networks/default");
    assertThat(i.getConnectMode()).isEqualTo(Instance.ConnectMode.DIRECT_PEERING);
    assertThat(i.getTransitEncryptionMode()).isEqualTo(Instance.TransitEncryptionMode.DISABLED);
    assertThat(i.getAuthEnabled()).isFalse();
    assertThat(client.getInstanceAuthString(i.getName()).getAuthString()).isEmpty();
  }

  @Test
  void tlsInstancePublishesItsCaAndAuthStringButDescribeNeverShowsTheString() throws Exception {
    String name = PARENT + "/instances/secure";
    Run created =
        run(
            "create",
            "--name",
            name,
            "--tls",
            "--ca-file",
            ca.toString(),
            "--auth",
            "Pw-4711-secret");
    assertThat(created.code).as(created.err).isZero();
    Instance i = client.getInstance(name);
    assertThat(i.getPort()).as("in-transit encryption listens on 6378").isEqualTo(6378);
    assertThat(i.getTransitEncryptionMode())
        .isEqualTo(Instance.TransitEncryptionMode.SERVER_AUTHENTICATION);
    assertThat(i.getServerCaCertsList())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getCert()).startsWith("-----BEGIN CERTIFICATE-----");
              assertThat(c.getSha1Fingerprint()).hasSize(40);
              assertThat(c.hasExpireTime()).isTrue();
            });
    assertThat(i.getAuthEnabled()).isTrue();
    assertThat(client.getInstanceAuthString(name).getAuthString()).isEqualTo("Pw-4711-secret");
    Run described = run("describe", "--name", name);
    assertThat(described.out)
        .contains("\"transitEncryptionMode\": \"SERVER_AUTHENTICATION\"")
        .doesNotContain("Pw-4711");
    assertThat(created.out + created.err).doesNotContain("Pw-4711");

    Run noCa = run("create", "--name", PARENT + "/instances/no-ca", "--tls");
    assertThat(noCa.code).isEqualTo(1);
    assertThat(noCa.err).contains("INVALID_ARGUMENT", "--ca-file");
    Run changeTls = run("update", "--name", name, "--tls=false");
    assertThat(changeTls.err).contains("only be set when the instance is created");
  }

  @Test
  void stateAndMaintenanceAreSettableAndListedInstancesArePaged() {
    String name = PARENT + "/instances/maint";
    assertThat(run("create", "--name", name).code).isZero();
    Instant start = Instant.parse("2030-01-02T03:00:00Z");
    Run updated =
        run(
            "update",
            "--name",
            name,
            "--state",
            "MAINTENANCE",
            "--maintenance-start",
            start.toString(),
            "--network",
            "projects/demo/global/networks/shared");
    assertThat(updated.code).as(updated.err).isZero();
    Instance i = client.getInstance(name);
    assertThat(i.getState()).isEqualTo(Instance.State.MAINTENANCE);
    assertThat(i.getMaintenanceSchedule().getStartTime().getSeconds())
        .isEqualTo(start.getEpochSecond());
    assertThat(i.getMaintenanceSchedule().getEndTime().getSeconds())
        .isEqualTo(start.getEpochSecond() + 3600);
    assertThat(i.getAuthorizedNetwork()).isEqualTo("projects/demo/global/networks/shared");

    for (String id : List.of("page-a", "page-b", "page-c")) {
      assertThat(run("create", "--name", "projects/paged/locations/us-east1/instances/" + id).code)
          .isZero();
    }
    List<String> names = new ArrayList<>();
    client
        .listInstances(
            ListInstancesRequest.newBuilder()
                .setParent("projects/paged/locations/-")
                .setPageSize(2)
                .build())
        .iterateAll()
        .forEach(x -> names.add(x.getName()));
    assertThat(names)
        .containsExactly(
            "projects/paged/locations/us-east1/instances/page-a",
            "projects/paged/locations/us-east1/instances/page-b",
            "projects/paged/locations/us-east1/instances/page-c");
    assertThatThrownBy(() -> client.getInstance(PARENT + "/instances/missing"))
        .isInstanceOf(NotFoundException.class);
    assertThat(run("update", "--name", PARENT + "/instances/missing", "--state", "READY").err)
        .contains("NOT_FOUND");
  }

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of("redis", args[0], "--endpoint", server.endpoint()));
    all.addAll(List.of(args).subList(1, args.length));
    int code =
        new CommandLine(new EmulatorCli())
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }
}
