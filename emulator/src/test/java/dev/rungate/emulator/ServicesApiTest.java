package dev.rungate.emulator;

import static dev.rungate.emulator.EmulatorFixture.PARENT;
import static dev.rungate.emulator.EmulatorFixture.httpApp;
import static dev.rungate.emulator.EmulatorFixture.pinned;
import static dev.rungate.emulator.EmulatorFixture.serviceName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.gax.rpc.AbortedException;
import com.google.api.gax.rpc.InternalException;
import com.google.api.gax.rpc.InvalidArgumentException;
import com.google.api.gax.rpc.NotFoundException;
import com.google.cloud.run.v2.Condition;
import com.google.cloud.run.v2.Revision;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.TrafficTargetAllocationType;
import com.google.cloud.run.v2.TrafficTargetStatus;
import com.google.cloud.run.v2.UpdateServiceRequest;
import com.google.cloud.run.v2.VpcAccess;
import com.google.longrunning.Operation;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Services and Revisions APIs through the real google-cloud-run client. */
@Tag("real")
class ServicesApiTest {
  @RegisterExtension static final EmulatorFixture emulator = new EmulatorFixture();

  @Test
  void createdServiceServesItsReadyRevisionWithTheStatusFieldsCloudRunFills() throws Exception {
    Service service = emulator.createReady("shop", "shop-blue");

    assertThat(service.getName()).isEqualTo(serviceName("shop"));
    assertThat(service.getGeneration()).isEqualTo(1);
    assertThat(service.getObservedGeneration()).isEqualTo(1);
    assertThat(service.getReconciling()).isFalse();
    assertThat(service.getLatestReadyRevision())
        .isEqualTo(serviceName("shop") + "/revisions/shop-blue");
    assertThat(service.getLatestCreatedRevision()).isEqualTo(service.getLatestReadyRevision());
    assertThat(service.getTerminalCondition().getState())
        .isEqualTo(Condition.State.CONDITION_SUCCEEDED);
    assertThat(service.getTrafficStatusesList())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getType())
                  .isEqualTo(TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST);
              assertThat(s.getRevision()).isEqualTo("shop-blue");
              assertThat(s.getPercent()).isEqualTo(100);
            });
    assertThat(service.getUri()).startsWith("http://127.0.0.1:");
    assertThat(service.getEtag()).isNotEmpty();

    Revision revision =
        emulator.clients.revisions().getRevision(serviceName("shop") + "/revisions/shop-blue");
    assertThat(revision.getConditionsList())
        .filteredOn(c -> c.getType().equals("Ready"))
        .singleElement()
        .satisfies(c -> assertThat(c.getState()).isEqualTo(Condition.State.CONDITION_SUCCEEDED));
    assertThat(revision.getContainers(0).getImage()).isEqualTo("europe-docker.pkg.dev/demo/app:1");
    assertThat(revision.getLogUri()).contains("revision_name/shop-blue");
    assertThat(revision.hasCreateTime()).isTrue();
    assertThat(revision.getEtag()).isNotEmpty();
  }

  @Test
  void candidateWithoutTrafficThenTrafficUpdateReconcilesBeforeItServes() throws Exception {
    Service stable = emulator.createReady("cart", "cart-v1");
    VpcAccess vpc =
        VpcAccess.newBuilder()
            .setConnector(PARENT.replace("locations", "locations") + "/connectors/redis")
            .setEgress(VpcAccess.VpcEgress.PRIVATE_RANGES_ONLY)
            .build();
    Service withCandidate =
        emulator.update(
            stable.toBuilder()
                .setTemplate(httpApp("cart-v2").toBuilder().setVpcAccess(vpc))
                .clearTraffic()
                .addTraffic(pinned("cart-v1", 100, ""))
                .addTraffic(pinned("cart-v2", 0, "candidate"))
                .build());

    assertThat(withCandidate.getGeneration()).isEqualTo(2);
    assertThat(withCandidate.getLatestCreatedRevision()).endsWith("/revisions/cart-v2");
    assertThat(withCandidate.getTrafficStatusesList())
        .extracting(TrafficTargetStatus::getRevision, TrafficTargetStatus::getPercent)
        .containsExactly(Tuple.tuple("cart-v1", 100), Tuple.tuple("cart-v2", 0));
    assertThat(withCandidate.getTrafficStatuses(1).getUri())
        .startsWith("http://127.0.0.1:")
        .isNotEqualTo(withCandidate.getUri());
    Revision candidate =
        emulator.clients.revisions().getRevision(serviceName("cart") + "/revisions/cart-v2");
    assertThat(candidate.getVpcAccess()).isEqualTo(vpc);

    Operation op =
        emulator
            .clients
            .services()
            .updateServiceCallable()
            .call(
                UpdateServiceRequest.newBuilder()
                    .setService(
                        withCandidate.toBuilder()
                            .clearTraffic()
                            .addTraffic(pinned("cart-v1", 90, ""))
                            .addTraffic(pinned("cart-v2", 10, "candidate")))
                    .build());
    assertThat(op.getDone()).as("a traffic update is a long-running operation too").isFalse();
    Service reconciling = emulator.clients.services().getService(serviceName("cart"));
    assertThat(reconciling.getReconciling()).isTrue();
    assertThat(reconciling.getGeneration()).isEqualTo(3);
    assertThat(reconciling.getObservedGeneration()).isEqualTo(2);
    assertThat(reconciling.getTrafficStatusesList())
        .extracting(TrafficTargetStatus::getPercent)
        .containsExactly(100, 0);
    Service split = emulator.finish(op);
    assertThat(split.getGeneration()).isEqualTo(3);
    assertThat(split.getObservedGeneration()).isEqualTo(3);
    assertThat(split.getReconciling()).isFalse();
    assertThat(split.getTrafficStatusesList())
        .extracting(TrafficTargetStatus::getPercent)
        .containsExactly(90, 10);
    assertThat(emulator.clients.revisions().listRevisions(serviceName("cart")).iterateAll())
        .extracting(Revision::getName)
        .hasSize(2);
    assertThat(emulator.server.history().of("cart"))
        .extracting(UpdateHistory.Change::method)
        .containsExactly("CreateService", "UpdateService", "UpdateService");
  }

  @Test
  void staleEtagIsAbortedAndLeavesTrafficAlone() throws Exception {
    Service read = emulator.createReady("pay", "pay-a");
    Service moved =
        emulator.update(
            read.toBuilder()
                .setEtag("")
                .setTemplate(httpApp("pay-b"))
                .clearTraffic()
                .addTraffic(pinned("pay-a", 100, ""))
                .addTraffic(pinned("pay-b", 0, "next"))
                .build());

    assertThatThrownBy(
            () ->
                emulator.update(
                    moved.toBuilder()
                        .setEtag(read.getEtag())
                        .clearTraffic()
                        .addTraffic(pinned("pay-b", 100, ""))
                        .build()))
        .hasCauseInstanceOf(AbortedException.class);
    Service now = emulator.clients.services().getService(serviceName("pay"));
    assertThat(now.getTrafficStatusesList())
        .extracting(TrafficTargetStatus::getPercent)
        .containsExactly(100, 0);
    assertThat(emulator.server.history().of("pay"))
        .last()
        .satisfies(c -> assertThat(c.outcome()).isEqualTo("ABORTED"));
  }

  @Test
  void invalidTrafficIsRejectedLikeCloudRun() throws Exception {
    Service svc = emulator.createReady("inv", "inv-a");
    assertThatThrownBy(
            () ->
                emulator.update(
                    svc.toBuilder().clearTraffic().addTraffic(pinned("inv-a", 90, "")).build()))
        .hasCauseInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("add up to 100");
    assertThatThrownBy(
            () ->
                emulator.update(
                    svc.toBuilder()
                        .clearTraffic()
                        .addTraffic(pinned("inv-a", 100, "x"))
                        .addTraffic(pinned("inv-a", 0, "x"))
                        .build()))
        .hasCauseInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("unique");
    assertThatThrownBy(
            () ->
                emulator.update(
                    svc.toBuilder().clearTraffic().addTraffic(pinned("inv-zzz", 100, "")).build()))
        .as("accepted, then failed inside the operation as Cloud Run does")
        .hasCauseInstanceOf(InternalException.class)
        .hasMessageContaining("Revision 'inv-zzz' does not exist or is deleted");
    Service after = emulator.clients.services().getService(serviceName("inv"));
    assertThat(after.getGeneration()).as("only the accepted update counts").isEqualTo(2);
    assertThat(after.getObservedGeneration()).isEqualTo(1);
    assertThat(after.getTrafficStatusesList())
        .extracting(TrafficTargetStatus::getRevision)
        .containsExactly("inv-a");
  }

  @Test
  void unknownServiceIsNotFound() {
    assertThatThrownBy(() -> emulator.clients.services().getService(serviceName("nope")))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(
            () -> emulator.update(Service.newBuilder().setName(serviceName("nope")).build()))
        .hasCauseInstanceOf(NotFoundException.class);
    assertThat(emulator.clients.services().listServices(PARENT).iterateAll())
        .extracting(Service::getName)
        .doesNotContain(serviceName("nope"));
  }
}
