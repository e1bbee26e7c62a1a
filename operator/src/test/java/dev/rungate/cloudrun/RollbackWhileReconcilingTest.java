package dev.rungate.cloudrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.CreateServiceRequest;
import com.google.cloud.run.v2.Probe;
import com.google.cloud.run.v2.RevisionTemplate;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.TCPSocketAction;
import com.google.cloud.run.v2.TrafficTarget;
import com.google.cloud.run.v2.TrafficTargetAllocationType;
import com.google.cloud.run.v2.TrafficTargetStatus;
import com.google.cloud.run.v2.UpdateServiceRequest;
import com.google.longrunning.Operation;
import dev.rungate.api.spec.ServiceRef;
import dev.rungate.api.status.TrafficEntry;
import dev.rungate.domain.ServiceSnapshot;
import dev.rungate.emulator.EmulatorClients;
import dev.rungate.emulator.EmulatorConfig;
import dev.rungate.emulator.EmulatorServer;
import dev.rungate.emulator.MutableClock;
import dev.rungate.emulator.UpdateHistory;
import dev.rungate.emulator.rules.AdminSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A rollback is sent and accepted at once while the service reconciles a 30 s update (as a slow
 * deploy can). The emulator runs on a clock the test advances, so the set-up's operations and the
 * 30 s window take no real time.
 */
@Tag("real")
class RollbackWhileReconcilingTest {
  private static final String SERVE = "exec /usr/bin/python3 -m http.server $PORT --bind 127.0.0.1";
  private static final Duration RECONCILE = Duration.ofSeconds(30);

  @Test
  void rollbackDuringAThirtySecondReconcileIsAcceptedAndSupersedesTheMove() throws Exception {
    AdminSettings slow = AdminSettings.defaults().withReconcile(RECONCILE);
    MutableClock clock = MutableClock.startingNow();
    try (EmulatorServer emulator =
            EmulatorServer.start(
                "127.0.0.1",
                0,
                EmulatorConfig.defaults()
                    .withDefaultStartup(Duration.ofSeconds(10))
                    .withClock(clock),
                slow);
        EmulatorClients admin = new EmulatorClients(emulator.endpoint());
        GoogleClients clients = GoogleClients.forEndpoint(emulator.endpoint())) {
      ServiceRef ref = new ServiceRef("demo-project", "europe-west1", "slow");
      settled(
          emulator,
          clock,
          admin
              .services()
              .createServiceCallable()
              .call(
                  CreateServiceRequest.newBuilder()
                      .setParent("projects/demo-project/locations/europe-west1")
                      .setServiceId("slow")
                      .setService(Service.newBuilder().setTemplate(template("slow-a")))
                      .build()));
      Service one = admin.services().getService(ref.resourceName());
      settled(
          emulator,
          clock,
          admin
              .services()
              .updateServiceCallable()
              .call(
                  UpdateServiceRequest.newBuilder()
                      .setService(
                          one.toBuilder()
                              .setTemplate(template("slow-b"))
                              .clearTraffic()
                              .addTraffic(pin("slow-a", 100, ""))
                              .addTraffic(pin("slow-b", 0, "candidate")))
                      .build()));
      CloudRun cloudRun = new GoogleCloudRun(clients);

      cloudRun.updateTraffic(
          ref,
          List.of(
              new TrafficEntry("slow-a", 50, null), new TrafficEntry("slow-b", 50, "candidate")),
          cloudRun.getService(ref).etag());
      ServiceSnapshot reconciling = cloudRun.getService(ref);
      assertThat(reconciling.reconciling()).isTrue();

      cloudRun.updateTraffic(
          ref,
          List.of(
              new TrafficEntry("slow-a", 100, null), new TrafficEntry("slow-b", 0, "candidate")),
          reconciling.etag());

      ServiceSnapshot after = cloudRun.getService(ref);
      assertThat(after.reconciling()).as("still inside the 30 s window").isTrue();
      assertThat(after.settled()).isFalse();
      assertThat(emulator.history().of("slow"))
          .last()
          .satisfies(
              c -> {
                assertThat(c.outcome()).isEqualTo("OK");
                assertThat(c.traffic())
                    .extracting(TrafficTarget::getPercent)
                    .containsExactly(100, 0);
              });
      assertThat(emulator.history().of("slow"))
          .extracting(UpdateHistory.Change::outcome)
          .doesNotContain("ABORTED");

      clock.advance(RECONCILE.minusMillis(1));
      assertThat(cloudRun.getService(ref).reconciling()).as("the whole 30 s window").isTrue();
      clock.advance(Duration.ofMillis(1));
      ServiceSnapshot done = cloudRun.getService(ref);
      assertThat(done.settled()).isTrue();
      assertThat(admin.services().getService(ref.resourceName()).getTrafficStatusesList())
          .as("the rollback superseded the move")
          .extracting(TrafficTargetStatus::getRevision, TrafficTargetStatus::getPercent)
          .containsExactly(tuple("slow-a", 100), tuple("slow-b", 0));
    }
  }

  /**
   * Lets a set-up operation's reconcile time pass and waits (real time) for its revision to start.
   */
  private static void settled(EmulatorServer emulator, MutableClock clock, Operation op)
      throws Exception {
    clock.advance(RECONCILE);
    Operation done = emulator.await(op, Duration.ofSeconds(30));
    assertThat(done.getDone()).as("set-up operation done").isTrue();
    assertThat(done.hasError()).as("set-up operation succeeded: %s", done.getError()).isFalse();
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
