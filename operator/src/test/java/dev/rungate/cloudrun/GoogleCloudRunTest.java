package dev.rungate.cloudrun;

import static dev.rungate.cloudrun.GateServiceFixture.REF;
import static dev.rungate.cloudrun.GateServiceFixture.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.run.v2.Service;
import dev.rungate.api.spec.ServiceRef;
import dev.rungate.api.status.TrafficEntry;
import dev.rungate.domain.RevisionSnapshot;
import dev.rungate.domain.ServiceSnapshot;
import dev.rungate.emulator.EmulatorClients;
import dev.rungate.emulator.EmulatorConfig;
import dev.rungate.emulator.EmulatorServer;
import dev.rungate.signals.LoggingExitSignals;
import dev.rungate.signals.SignalsCatchingUpException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The adapters against the rungate emulator over gRPC (real clients, no mocks): reads, and a
 * crashing candidate's exit; traffic updates are in {@link GoogleCloudRunTrafficTest}.
 */
@Tag("real")
@Order(3) // the longest classes start first (scripts/test runs several at once)
class GoogleCloudRunTest {
  private static EmulatorServer emulator;
  private static EmulatorClients admin;
  private static GoogleClients clients;
  private static CloudRun cloudRun;

  @BeforeAll
  static void start() throws Exception {
    emulator =
        EmulatorServer.start(
            0, EmulatorConfig.defaults().withDefaultStartup(Duration.ofSeconds(10)));
    admin = new EmulatorClients(emulator.endpoint());
    clients = GoogleClients.forEndpoint(emulator.endpoint());
    cloudRun = new GoogleCloudRun(clients);
    GateServiceFixture.createGateService(admin);
  }

  @AfterAll
  static void stop() {
    clients.close();
    admin.close();
    emulator.close();
  }

  @Test
  void readsTheServiceAndItsReadyRevision() {
    ServiceSnapshot service = cloudRun.getService(REF);
    assertThat(service.traffic()).containsExactly(new TrafficEntry("gate-stable", 100, null));
    assertThat(service.latestReadyRevision()).isEqualTo("gate-stable");
    assertThat(service.etag()).isNotBlank();
    assertThat(service.uri()).startsWith("http://127.0.0.1:");

    RevisionSnapshot revision = cloudRun.getRevision(REF, "gate-stable").orElseThrow();
    assertThat(revision.isReady()).isTrue();
    assertThat(revision.vpc().connector()).endsWith("/connectors/c1");
    assertThat(revision.vpc().effectiveEgress()).isEqualTo("PRIVATE_RANGES_ONLY");
    assertThat(cloudRun.getRevision(REF, "gate-missing")).isEmpty();
    assertThatThrownBy(
            () -> cloudRun.getService(new ServiceRef("demo-project", "europe-west1", "absent")))
        .isInstanceOfSatisfying(
            CloudRunException.class, e -> assertThat(e.code()).isEqualTo("NOT_FOUND"));
  }

  @Test
  void crashingCandidateFailsWithHealthCheckErrorAndItsExitIsReportedWithEvidence()
      throws Exception {
    Instant before = Instant.now();
    Service current = admin.services().getService(REF.resourceName());
    String crash =
        "echo 'connecting to redis://default:pa55@10.0.0.3:6379'; "
            + "echo 'Application startup failed. Exiting.' >&2; exit 3";
    try {
      admin
          .services()
          .updateServiceAsync(
              current.toBuilder().setTemplate(template("gate-crash", crash)).build())
          .get();
    } catch (ExecutionException expected) {
      // the operation fails: the revision never became ready
    }
    ServiceSnapshot after = cloudRun.getService(REF);
    assertThat(after.settled())
        .as("only the new revision failed: the routes serve what they report")
        .isTrue();
    assertThat(after.percentOf("gate-crash")).isZero();
    RevisionSnapshot crashed = cloudRun.getRevision(REF, "gate-crash").orElseThrow();
    assertThat(crashed.hasFailed()).isTrue();
    assertThat(crashed.reason()).isEqualTo("HEALTH_CHECK_CONTAINER_ERROR");
    assertThat(crashed.message()).contains("failed to start and listen on the port");

    try (LoggingExitSignals signals = new LoggingExitSignals(clients.logging())) {
      // Cloud Logging shows entries a few seconds after they are written (the emulator's default
      // ingestion delay)
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptionsInstanceOf(SignalsCatchingUpException.class)
          .untilAsserted(
              () ->
                  assertThat(signals.exitsOf(REF, "gate-crash", before))
                      .as("the container is restarted within its startup window")
                      .isNotEmpty()
                      .first()
                      .satisfies(
                          exit -> {
                            assertThat(exit.exitCode()).isEqualTo(3);
                            assertThat(exit.evidence())
                                .as("stdout and stderr interleave freely")
                                .containsExactlyInAnyOrder(
                                    "connecting to redis://[REDACTED]@10.0.0.3:6379",
                                    "Application startup failed. Exiting.");
                          }));
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptionsInstanceOf(SignalsCatchingUpException.class)
          .until(() -> signals.exitsOf(REF, "gate-stable", before).isEmpty());
    }
  }
}
