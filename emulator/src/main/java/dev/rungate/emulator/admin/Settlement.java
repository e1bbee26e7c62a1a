package dev.rungate.emulator.admin;

import com.google.cloud.run.v2.TrafficTargetStatus;
import com.google.longrunning.Operation;
import dev.rungate.emulator.Names;
import dev.rungate.emulator.router.TrafficRouter;
import dev.rungate.emulator.rules.AdminSettings;
import dev.rungate.emulator.rules.ServiceStates;
import io.grpc.Status;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How an accepted update ends, as on Cloud Run: the service reconciles (keeping its previous
 * traffic_statuses and routing) until the reconcile time has passed and the revisions it needs are
 * ready; then it serves the new traffic, or, when a revision it names is gone, fails inside the
 * operation with code 13 and keeps the last serving state. The reconcile time is measured on the
 * emulator's clock. Always called under the store's lock.
 */
final class Settlement {
  private final OperationStore operations;
  private final AdminSettings settings;
  private final Clock clock;
  private TrafficRouter router;

  Settlement(OperationStore operations, AdminSettings settings, Clock clock) {
    this.operations = operations;
    this.settings = settings;
    this.clock = clock;
  }

  void attach(TrafficRouter router) {
    this.router = router;
  }

  /** The service has just taken a new generation: it reconciles; returns the update's operation. */
  Operation begin(ServiceRecord record, String message) {
    record.settleAt = clock.instant().plus(settings.reconcile());
    record.service =
        ServiceStates.reconciling(record.service, message, Conditions.now(clock)).toBuilder()
            .setEtag(record.nextEtag())
            .build();
    Operation op = operations.pending(Names.parentOf(record.name()), record.service);
    record.pendingOperations.add(op.getName());
    settle(record);
    return operations.get(op.getName()).orElse(op);
  }

  /**
   * An update that changes nothing: its operation ends with the update in flight, or at once when
   * settled.
   */
  Operation unchanged(ServiceRecord record) {
    if (!record.service.getReconciling()) {
      return operations.done(Names.parentOf(record.name()), record.service);
    }
    Operation op = operations.pending(Names.parentOf(record.name()), record.service);
    record.pendingOperations.add(op.getName());
    return op;
  }

  /**
   * Finishes the update in flight once its time is up and its revisions are ready; a missing
   * revision fails it.
   */
  void settle(ServiceRecord record) {
    if (!record.service.getReconciling()
        || !record.awaited.isEmpty()
        || clock.instant().isBefore(record.settleAt)) {
      return;
    }
    for (String r : TrafficPlan.referenced(record.service.getTrafficList(), record.latestReady())) {
      if (!record.revisions.containsKey(r)) {
        failedInOperation(record, "Revision '" + r + "' does not exist or is deleted");
        return;
      }
    }
    reconciled(record);
  }

  /** The revision the update waited for failed to start: the operation fails with its message. */
  void failedRevision(ServiceRecord record, String revisionId, String message) {
    String text = "Revision '" + revisionId + "' is not ready and cannot serve traffic. " + message;
    record.service =
        ServiceStates.failedRevision(record.service, text, Conditions.now(clock)).toBuilder()
            .setEtag(record.nextEtag())
            .build();
    record.awaited.clear();
    record.pendingOperations.forEach(
        op -> operations.fail(op, record.service, Status.Code.FAILED_PRECONDITION, text));
    record.pendingOperations.clear();
  }

  /**
   * An error inside the operation (code 13, as Cloud Run reports it): the operation and the
   * terminal condition carry it; traffic_statuses, observed_generation and latest_ready_revision
   * keep the last serving state, and the router keeps routing it.
   */
  private void failedInOperation(ServiceRecord record, String message) {
    record.service =
        ServiceStates.failedRouting(record.service, message, Conditions.now(clock)).toBuilder()
            .setEtag(record.nextEtag())
            .build();
    record.pendingOperations.forEach(
        op -> operations.fail(op, record.service, Status.Code.INTERNAL, message));
    record.pendingOperations.clear();
  }

  /** The update in flight is done: serve its traffic, and finish the operations waiting for it. */
  private void reconciled(ServiceRecord record) {
    String latestReady = record.latestReady();
    String name = record.name();
    List<TrafficTargetStatus> statuses =
        TrafficPlan.resolve(
            record.service.getTrafficList(), latestReady, tag -> router.tagUrl(name, tag));
    record.service =
        ServiceStates.settled(
                record.service,
                statuses,
                latestReady == null ? "" : Names.revision(name, latestReady),
                Conditions.now(clock))
            .toBuilder()
            .setEtag(record.nextEtag())
            .build();
    route(record);
    record.pendingOperations.forEach(op -> operations.succeed(op, record.service));
    record.pendingOperations.clear();
  }

  /** Points the router at what the service now serves, and starts those revisions. */
  private void route(ServiceRecord record) {
    Map<String, Integer> percents = new HashMap<>();
    Map<String, String> tags = new HashMap<>();
    for (TrafficTargetStatus s : record.service.getTrafficStatusesList()) {
      percents.merge(s.getRevision(), s.getPercent(), Integer::sum);
      if (!s.getTag().isEmpty()) {
        tags.put(s.getTag(), s.getRevision());
      }
    }
    router.update(record.name(), percents, tags);
    for (ServiceRecord.RevisionRecord r : record.revisions.values()) {
      boolean serving =
          percents.getOrDefault(r.shortName(), 0) > 0 || tags.containsValue(r.shortName());
      r.idleSince = serving ? null : (r.idleSince == null ? clock.instant() : r.idleSince);
      if (serving) {
        r.runner.ensureRunning();
      }
    }
  }
}
