package dev.rungate.cloudrun;

import static dev.rungate.cloudrun.GateServiceFixture.REF;
import static dev.rungate.cloudrun.GateServiceFixture.SERVE;
import static dev.rungate.cloudrun.GateServiceFixture.pin;
import static dev.rungate.cloudrun.GateServiceFixture.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.run.v2.Service;
import dev.rungate.api.spec.ServiceRef;
import dev.rungate.api.status.TrafficEntry;
import dev.rungate.domain.ServiceSnapshot;
import dev.rungate.emulator.EmulatorClients;
import dev.rungate.emulator.EmulatorConfig;
import dev.rungate.emulator.EmulatorServer;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The adapter's traffic updates against the rungate emulator over gRPC (real clients, no mocks):
 * etags, long-running operations and the errors inside them.
 */
@Tag("real")
@Order(3) // the longest classes start first (scripts/test runs several at once)
class GoogleCloudRunTrafficTest {
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
  void trafficUpdateWithStaleEtagIsAbortedAndAFreshOneIsAccepted() throws Exception {
    Service current = admin.services().getService(REF.resourceName());
    admin
        .services()
        .updateServiceAsync(
            current.toBuilder()
                .setTemplate(template("gate-next", SERVE))
                .clearTraffic()
                .addTraffic(pin("gate-stable", 100, ""))
                .addTraffic(pin("gate-next", 0, "next"))
                .build())
        .get();
    ServiceSnapshot read = cloudRun.getService(REF);
    assertThat(read.tagUrls()).containsKey("next");

    List<TrafficEntry> split =
        List.of(
            new TrafficEntry("gate-stable", 80, null), new TrafficEntry("gate-next", 20, "next"));
    cloudRun.updateTraffic(REF, split, read.etag());
    assertThat(awaitSettled(REF).percentOf("gate-next")).isEqualTo(20);

    assertThatThrownBy(
            () ->
                cloudRun.updateTraffic(
                    REF, List.of(new TrafficEntry("gate-stable", 100, null)), read.etag()))
        .isInstanceOfSatisfying(
            CloudRunException.class, e -> assertThat(e.code()).isEqualTo("ABORTED"));
    assertThat(cloudRun.getService(REF).percentOf("gate-next")).isEqualTo(20);
  }

  @Test
  void aMoveIsSettledOnlyWhenItsOperationEndsAndARollbackIsAcceptedWhileReconciling()
      throws Exception {
    ServiceRef ref = new ServiceRef("demo-project", "europe-west1", "lro");
    admin
        .services()
        .createServiceAsync(
            "projects/demo-project/locations/europe-west1",
            Service.newBuilder().setTemplate(template("lro-a", SERVE)).build(),
            "lro")
        .get();
    Service two = admin.services().getService(ref.resourceName());
    admin
        .services()
        .updateServiceAsync(
            two.toBuilder()
                .setTemplate(template("lro-b", SERVE))
                .clearTraffic()
                .addTraffic(pin("lro-a", 100, ""))
                .addTraffic(pin("lro-b", 0, "candidate"))
                .build())
        .get();
    ServiceSnapshot before = cloudRun.getService(ref);
    assertThat(before.settled()).isTrue();

    cloudRun.updateTraffic(
        ref,
        List.of(new TrafficEntry("lro-a", 50, null), new TrafficEntry("lro-b", 50, "candidate")),
        before.etag());
    ServiceSnapshot moving = cloudRun.getService(ref);
    assertThat(moving.reconciling()).isTrue();
    assertThat(moving.settled()).isFalse();
    assertThat(moving.percentOf("lro-b"))
        .as("traffic_statuses keep the old split while reconciling")
        .isZero();

    cloudRun.updateTraffic(
        ref,
        List.of(new TrafficEntry("lro-a", 100, null), new TrafficEntry("lro-b", 0, "candidate")),
        moving.etag());
    ServiceSnapshot back = awaitSettled(ref);
    assertThat(back.percentOf("lro-a")).isEqualTo(100);
    assertThat(back.updateError()).isNull();
  }

  @Test
  void theFirstReadAfterAMovesOperationEndedSeesItSettledThoughTheSharedListingPredatesTheEnd()
      throws Exception {
    ServiceRef ref = new ServiceRef("demo-project", "europe-west1", "listed");
    admin
        .services()
        .createServiceAsync(
            "projects/demo-project/locations/europe-west1",
            Service.newBuilder().setTemplate(template("listed-a", SERVE)).build(),
            "listed")
        .get();
    Service one = admin.services().getService(ref.resourceName());
    admin
        .services()
        .updateServiceAsync(
            one.toBuilder()
                .setTemplate(template("listed-b", SERVE))
                .clearTraffic()
                .addTraffic(pin("listed-a", 100, ""))
                .addTraffic(pin("listed-b", 0, "candidate"))
                .build())
        .get();
    Duration anyAge = Duration.ofMinutes(10);

    cloudRun.updateTraffic(
        ref,
        List.of(
            new TrafficEntry("listed-a", 50, null), new TrafficEntry("listed-b", 50, "candidate")),
        cloudRun.getService(ref, anyAge).etag());
    assertThat(cloudRun.getService(ref, anyAge).settled())
        .as("listed while the operation runs")
        .isFalse();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !admin.services().getService(ref.resourceName()).getReconciling());

    ServiceSnapshot after = cloudRun.getService(ref, anyAge);
    assertThat(after.settled())
        .as("no round lost to a listing taken before the operation ended")
        .isTrue();
    assertThat(after.percentOf("listed-b")).isEqualTo(50);
  }

  @Test
  void anErrorInsideTheUpdateOperationIsReportedWithCloudRunsMessage() throws Exception {
    ServiceRef ref = new ServiceRef("demo-project", "europe-west1", "oops");
    admin
        .services()
        .createServiceAsync(
            "projects/demo-project/locations/europe-west1",
            Service.newBuilder().setTemplate(template("oops-a", SERVE)).build(),
            "oops")
        .get();
    Service one = admin.services().getService(ref.resourceName());
    admin
        .services()
        .updateServiceAsync(
            one.toBuilder()
                .setTemplate(template("oops-b", SERVE))
                .clearTraffic()
                .addTraffic(pin("oops-a", 100, ""))
                .build())
        .get();

    cloudRun.updateTraffic(
        ref,
        List.of(new TrafficEntry("oops-a", 50, null), new TrafficEntry("oops-b", 50, null)),
        cloudRun.getService(ref).etag());
    admin.revisions().deleteRevisionAsync(ref.resourceName() + "/revisions/oops-b").get();

    ServiceSnapshot failed =
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> cloudRun.getService(ref), s -> s.updateError() != null);
    assertThat(failed.updateError()).isEqualTo("Revision 'oops-b' does not exist or is deleted");
    assertThat(failed.settled()).isFalse();
    assertThat(failed.traffic()).containsExactly(new TrafficEntry("oops-a", 100, null));
  }

  private static ServiceSnapshot awaitSettled(ServiceRef ref) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> cloudRun.getService(ref), ServiceSnapshot::settled);
  }
}
