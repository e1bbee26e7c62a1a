package dev.rungate.emulator;

import static dev.rungate.emulator.EmulatorFixture.PARENT;
import static dev.rungate.emulator.EmulatorFixture.httpApp;
import static dev.rungate.emulator.EmulatorFixture.pinned;
import static dev.rungate.emulator.EmulatorFixture.serviceName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.google.api.core.ApiFuture;
import com.google.api.gax.rpc.AbortedException;
import com.google.api.gax.rpc.InternalException;
import com.google.api.gax.rpc.InvalidArgumentException;
import com.google.api.gax.rpc.NotFoundException;
import com.google.cloud.run.v2.Condition;
import com.google.cloud.run.v2.Revision;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.TrafficTargetStatus;
import com.google.cloud.run.v2.UpdateServiceRequest;
import com.google.longrunning.ListOperationsRequest;
import com.google.longrunning.Operation;
import com.google.longrunning.OperationsClient;
import com.google.protobuf.FieldMask;
import dev.rungate.emulator.rules.AdminSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * UpdateService as Cloud Run runs it, through the real google-cloud-run client (platform-facts.md).
 */
@Tag("real")
class UpdateOperationTest {
  private static final FieldMask TRAFFIC = FieldMask.newBuilder().addPaths("traffic").build();
  @RegisterExtension static final EmulatorFixture emulator = new EmulatorFixture();

  /** A service serving {@code a} at 100% with {@code b} ready and tagged "next" at 0%. */
  private static Service twoRevisions(String id) throws Exception {
    Service s = emulator.createReady(id, id + "-a");
    return emulator.update(
        s.toBuilder()
            .setTemplate(httpApp(id + "-b"))
            .clearTraffic()
            .addTraffic(pinned(id + "-a", 100, ""))
            .addTraffic(pinned(id + "-b", 0, "next"))
            .build());
  }

  private static Operation trafficOnly(String id, String etag, int percentA, int percentB) {
    Service patch =
        Service.newBuilder()
            .setName(serviceName(id))
            .setEtag(etag)
            .addTraffic(pinned(id + "-a", percentA, ""))
            .addTraffic(pinned(id + "-b", percentB, "next"))
            .build();
    return emulator
        .clients
        .services()
        .updateServiceCallable()
        .call(UpdateServiceRequest.newBuilder().setService(patch).setUpdateMask(TRAFFIC).build());
  }

  /** Lets the reconcile time pass and returns the operation's result through the real client. */
  private static Service await(Operation op) throws Exception {
    return emulator.finish(op);
  }

  private static boolean done(Operation op) throws InterruptedException {
    return emulator.server.await(op, Duration.ZERO).getDone();
  }

  private static Service read(String id) {
    return emulator.clients.services().getService(serviceName(id));
  }

  @Test
  void trafficUpdateReconcilesThenSettlesAndUpdateMaskKeepsTheTemplate() throws Exception {
    Service before = twoRevisions("lro");
    Operation op = trafficOnly("lro", before.getEtag(), 50, 50);

    assertThat(op.getDone()).isFalse();
    Service reconciling = read("lro");
    assertThat(reconciling.getReconciling()).isTrue();
    assertThat(reconciling.getGeneration()).isEqualTo(before.getGeneration() + 1);
    assertThat(reconciling.getObservedGeneration()).isEqualTo(before.getGeneration());
    assertThat(reconciling.getTerminalCondition().getState())
        .isEqualTo(Condition.State.CONDITION_RECONCILING);
    assertThat(reconciling.getTrafficStatusesList())
        .as("still the traffic it served before")
        .extracting(TrafficTargetStatus::getPercent)
        .containsExactly(100, 0);
    assertThat(reconciling.getTrafficList())
        .extracting(t -> t.getPercent())
        .containsExactly(50, 50);

    emulator.clock.advance(AdminSettings.DEFAULT_RECONCILE.minusMillis(1));
    assertThat(done(op))
        .as("not before the reconcile time, though both revisions are ready")
        .isFalse();
    assertThat(read("lro").getReconciling()).isTrue();
    emulator.clock.advance(Duration.ofMillis(1));
    assertThat(done(op)).as("settles when the reconcile time is up").isTrue();
    Service settled = emulator.result(op);
    assertThat(settled.getReconciling()).isFalse();
    assertThat(settled.getObservedGeneration()).isEqualTo(settled.getGeneration());
    assertThat(settled.getTerminalCondition().getState())
        .isEqualTo(Condition.State.CONDITION_SUCCEEDED);
    assertThat(settled.getTrafficStatusesList())
        .extracting(
            TrafficTargetStatus::getRevision,
            TrafficTargetStatus::getPercent,
            TrafficTargetStatus::getTag)
        .containsExactly(tuple("lro-a", 50, ""), tuple("lro-b", 50, "next"));
    assertThat(settled.getTemplate())
        .as("update_mask=traffic leaves the template")
        .isEqualTo(before.getTemplate());
    assertThat(emulator.clients.revisions().listRevisions(serviceName("lro")).iterateAll())
        .hasSize(2);
  }

  @Test
  void updatesAreAcceptedWhileReconcilingAndAStaleEtagIsAborted() throws Exception {
    Service before = twoRevisions("etag");
    Operation first = trafficOnly("etag", before.getEtag(), 50, 50);
    String etagWhileReconciling = read("etag").getEtag();

    assertThatThrownBy(() -> trafficOnly("etag", before.getEtag(), 0, 100))
        .isInstanceOf(AbortedException.class);
    Operation rollback = trafficOnly("etag", etagWhileReconciling, 100, 0);
    assertThat(rollback.getDone()).isFalse();

    Service settled = await(rollback);
    assertThat(settled.getTrafficStatusesList())
        .extracting(TrafficTargetStatus::getPercent)
        .containsExactly(100, 0);
    assertThat(settled.getObservedGeneration()).isEqualTo(before.getGeneration() + 2);
    assertThat(await(first).getTrafficStatusesList())
        .as("the superseded operation ends with the final state")
        .extracting(TrafficTargetStatus::getPercent)
        .containsExactly(100, 0);
  }

  @Test
  void anUpdateThatChangesNothingIsNoNewGenerationAndDoesNotRestartTheReconcile() throws Exception {
    Service before = twoRevisions("same");
    Operation move = trafficOnly("same", before.getEtag(), 50, 50);
    Service reconciling = read("same");
    emulator.clock.advance(Duration.ofSeconds(1));
    Operation again = trafficOnly("same", reconciling.getEtag(), 50, 50);
    assertThat(again.getDone()).isFalse();
    assertThat(read("same").getGeneration())
        .as("a repeat is no change")
        .isEqualTo(reconciling.getGeneration());
    emulator.clock.advance(AdminSettings.DEFAULT_RECONCILE.minusSeconds(1));
    assertThat(done(again))
        .as("the repeat ends with the move, at the move's reconcile time")
        .isTrue();

    Service settled = emulator.result(again);
    assertThat(settled.getObservedGeneration()).isEqualTo(reconciling.getGeneration());
    assertThat(await(move).getTrafficStatusesList())
        .extracting(TrafficTargetStatus::getPercent)
        .containsExactly(50, 50);
    Operation repeatSettled = trafficOnly("same", settled.getEtag(), 50, 50);
    assertThat(repeatSettled.getDone()).as("nothing to do on a settled service").isTrue();
    assertThat(emulator.server.history().of("same"))
        .extracting(UpdateHistory.Change::outcome)
        .containsExactly("OK", "OK", "OK", "UNCHANGED", "UNCHANGED");
  }

  @Test
  void aRevisionDeletedDuringTheUpdateFailsTheOperationAndTheServiceKeepsServing()
      throws Exception {
    Service s = emulator.createReady("gone", "gone-a");
    Service before =
        emulator.update(
            s.toBuilder()
                .setTemplate(httpApp("gone-b"))
                .clearTraffic()
                .addTraffic(pinned("gone-a", 100, ""))
                .build());
    Operation op =
        emulator
            .clients
            .services()
            .updateServiceCallable()
            .call(
                UpdateServiceRequest.newBuilder()
                    .setService(
                        Service.newBuilder()
                            .setName(serviceName("gone"))
                            .addTraffic(pinned("gone-a", 50, ""))
                            .addTraffic(pinned("gone-b", 50, "")))
                    .setUpdateMask(TRAFFIC)
                    .build());
    emulator
        .clients
        .revisions()
        .deleteRevisionAsync(serviceName("gone") + "/revisions/gone-b")
        .get();

    assertThatThrownBy(() -> await(op))
        .hasCauseInstanceOf(InternalException.class)
        .hasMessageContaining("Revision 'gone-b' does not exist or is deleted");
    Operation failed = emulator.clients.services().getOperationsClient().getOperation(op.getName());
    assertThat(failed.getError().getCode()).isEqualTo(13);
    Service after = read("gone");
    assertThat(after.getReconciling()).isFalse();
    assertThat(after.getTerminalCondition().getState()).isEqualTo(Condition.State.CONDITION_FAILED);
    assertThat(after.getTerminalCondition().getMessage())
        .isEqualTo("Revision 'gone-b' does not exist or is deleted");
    assertThat(after.getObservedGeneration()).isEqualTo(before.getGeneration());
    assertThat(after.getLatestReadyRevision()).isEqualTo(before.getLatestReadyRevision());
    assertThat(after.getTrafficStatusesList())
        .extracting(TrafficTargetStatus::getRevision, TrafficTargetStatus::getPercent)
        .containsExactly(tuple("gone-a", 100));
  }

  @Test
  void operationsListAllowMissingWildcardAndRevisionDefaults() throws Exception {
    OperationsClient operations = emulator.clients.services().getOperationsClient();
    ApiFuture<Operation> created =
        emulator
            .clients
            .services()
            .updateServiceCallable()
            .futureCall(
                UpdateServiceRequest.newBuilder()
                    .setAllowMissing(true)
                    .setService(
                        Service.newBuilder()
                            .setName(serviceName("upsert"))
                            .setTemplate(httpApp("upsert-1")))
                    .build());
    String opName = created.get().getName();
    assertThat(emulator.finish(created).getLatestReadyRevision()).endsWith("/revisions/upsert-1");

    List<String> names = new ArrayList<>();
    operations
        .listOperations(ListOperationsRequest.newBuilder().setName(PARENT).build())
        .iterateAll()
        .forEach(o -> names.add(o.getName()));
    assertThat(names).contains(opName).allMatch(n -> n.startsWith(PARENT + "/operations/"));
    operations.deleteOperation(opName);
    assertThatThrownBy(() -> operations.getOperation(opName)).isInstanceOf(NotFoundException.class);

    assertThatThrownBy(
            () ->
                emulator
                    .clients
                    .services()
                    .listServices("projects/demo/locations/-")
                    .iterateAll()
                    .iterator()
                    .hasNext())
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("wildcard");
    assertThat(emulator.clients.revisions().listRevisions(PARENT + "/services/-").iterateAll())
        .as("revisions across services may use the wildcard")
        .extracting(Revision::getName)
        .contains(serviceName("upsert") + "/revisions/upsert-1");

    Revision revision =
        emulator.clients.revisions().getRevision(serviceName("upsert") + "/revisions/upsert-1");
    assertThat(revision.getTimeout().getSeconds()).isEqualTo(300);
    assertThat(revision.getMaxInstanceRequestConcurrency()).isEqualTo(80);
    assertThat(revision.getContainers(0).getResources().getLimitsMap())
        .containsEntry("cpu", "1000m")
        .containsEntry("memory", "512Mi");
    assertThat(revision.getContainers(0).getPorts(0).getContainerPort()).isEqualTo(8080);
  }
}
