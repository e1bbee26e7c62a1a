package dev.rungate.emulator.admin;

import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.UpdateServiceRequest;
import com.google.longrunning.Operation;
import dev.rungate.emulator.EmulatorConfig;
import dev.rungate.emulator.Names;
import dev.rungate.emulator.UpdateHistory;
import dev.rungate.emulator.logging.LogStore;
import dev.rungate.emulator.router.TrafficRouter;
import dev.rungate.emulator.rules.AdminSettings;
import dev.rungate.emulator.runtime.RevisionInstance;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The emulator's Cloud Run control plane: services, their revisions and traffic, reconciled the way
 * Cloud Run does it. An accepted update is a long-running operation: the service is {@code
 * reconciling} and keeps serving (and reporting) its previous traffic until the update settles, at
 * least {@link AdminSettings#reconcile()} later and not before the revisions it needs are ready.
 * Errors found while settling fail the operation and the terminal condition, not the call.
 */
public final class ServiceStore implements RevisionInstance.Listener {
  public static final String WORKDIR_ANNOTATION = "run.rungate.dev/workdir";

  public final Map<String, ServiceRecord> services = new LinkedHashMap<>();
  private final AdminSettings settings;
  private final Settlement settlement;
  private final Clock clock;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "rungate-emulator-reconcile");
            t.setDaemon(true);
            return t;
          });
  private final ServiceUpdates updates;
  private TrafficRouter router;

  public ServiceStore(
      EmulatorConfig config,
      AdminSettings settings,
      OperationStore operations,
      LogStore logs,
      UpdateHistory history) {
    this.settings = settings;
    this.clock = config.clock();
    this.settlement = new Settlement(operations, settings, clock);
    this.updates = new ServiceUpdates(this, config, operations, logs, history, settlement, clock);
  }

  public void close() {
    timer.shutdownNow();
  }

  TrafficRouter router() {
    return router;
  }

  public void attach(TrafficRouter router) {
    this.router = router;
    settlement.attach(router);
  }

  synchronized Operation create(
      String parent, String serviceId, Service requested, boolean validateOnly) {
    return updates.create(parent, serviceId, requested, validateOnly);
  }

  /**
   * UpdateService: allow_missing creates, update_mask limits the change to its fields, a given etag
   * must match.
   */
  synchronized Operation update(UpdateServiceRequest request) {
    return updates.update(request);
  }

  /**
   * Accepts a checked request as an update (see {@link ServiceUpdates}); under the store's lock.
   */
  Operation apply(
      ServiceRecord record,
      Service requested,
      String method,
      boolean validateOnly,
      boolean creating) {
    return updates.apply(record, requested, method, validateOnly, creating);
  }

  /**
   * Looks again when the reconcile time is up by the clock. A timer counts real time, which need
   * not agree with the clock (it may fire a moment early, or the clock may be a test's that only
   * moves when told, see catchUp()), so an update not due yet when it fires is looked at again
   * later.
   */
  void settleLater(ServiceRecord record, long generation) {
    long delay = Math.max(0, Duration.between(clock.instant(), record.settleAt).toMillis()) + 1;
    timer.schedule(() -> settle(record.name(), generation), delay, TimeUnit.MILLISECONDS);
  }

  /**
   * A revision was deleted: an update waiting for it settles now, failing if its traffic or tags
   * named it.
   */
  public synchronized void revisionDeleted(ServiceRecord record, String revisionId) {
    if (record.awaited.remove(revisionId)) {
      record.settleAt = Instant.MIN;
      settlement.settle(record);
    }
  }

  /**
   * Settles every update whose reconcile time has passed on the clock and whose revisions are
   * ready.
   */
  public synchronized void catchUp() {
    services.values().forEach(settlement::settle);
  }

  private synchronized void settle(String name, long generation) {
    ServiceRecord record = services.get(name);
    if (record != null && record.service.getGeneration() == generation) {
      settlement.settle(record);
      if (record.service.getReconciling() && clock.instant().isBefore(record.settleAt)) {
        settleLater(record, generation);
      }
    }
  }

  @Override
  public synchronized void onReady(String revisionName) {
    ServiceRecord record = services.get(Names.serviceOf(revisionName));
    ServiceRecord.RevisionRecord revision =
        record == null ? null : record.revisions.get(Names.shortName(revisionName));
    if (revision == null) {
      return;
    }
    revision.revision = RevisionProtos.ready(revision.revision, Conditions.now(clock));
    if (record.awaited.remove(revision.shortName())) {
      settlement.settle(record);
    }
  }

  @Override
  public synchronized void onFailed(String revisionName, String message) {
    ServiceRecord record = services.get(Names.serviceOf(revisionName));
    ServiceRecord.RevisionRecord revision =
        record == null ? null : record.revisions.get(Names.shortName(revisionName));
    if (revision == null) {
      return;
    }
    revision.revision = RevisionProtos.failed(revision.revision, message, Conditions.now(clock));
    if (record.awaited.contains(revision.shortName())) {
      settlement.failedRevision(record, revision.shortName(), message);
    }
  }

  public synchronized ServiceRecord find(String serviceName) {
    ServiceRecord record = services.get(serviceName);
    if (record == null) {
      throw Status.NOT_FOUND
          .withDescription(
              "Resource '"
                  + Names.shortName(serviceName)
                  + "' of kind 'SERVICE' in "
                  + "region '"
                  + Names.location(serviceName)
                  + "' in project '"
                  + Names.project(serviceName)
                  + "' does not exist.")
          .asRuntimeException();
    }
    return record;
  }

  /** ListServices: one location; the "-" wildcard is refused as the v2 API refuses it. */
  synchronized List<Service> list(String parent) {
    if (parent.endsWith("/locations/-")) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              "Location must be a valid Google Cloud region, and cannot be "
                  + "the \"-\" wildcard: "
                  + parent)
          .asRuntimeException();
    }
    List<Service> out = new ArrayList<>();
    for (ServiceRecord r : services.values()) {
      if (Names.parentOf(r.name()).equals(parent)) {
        out.add(r.service);
      }
    }
    return out;
  }
}
