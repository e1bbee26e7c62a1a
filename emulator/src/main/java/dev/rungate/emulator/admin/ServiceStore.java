package dev.rungate.emulator.admin;

import com.google.cloud.run.v2.RevisionTemplate;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.TrafficTarget;
import com.google.cloud.run.v2.UpdateServiceRequest;
import com.google.longrunning.Operation;
import dev.rungate.emulator.EmulatorConfig;
import dev.rungate.emulator.Names;
import dev.rungate.emulator.UpdateHistory;
import dev.rungate.emulator.logging.LogStore;
import dev.rungate.emulator.router.TrafficRouter;
import dev.rungate.emulator.rules.AdminSettings;
import dev.rungate.emulator.rules.RevisionNames;
import dev.rungate.emulator.rules.ServiceStates;
import dev.rungate.emulator.runtime.RevisionInstance;
import io.grpc.Status;
import java.io.File;
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
  private final EmulatorConfig config;
  private final OperationStore operations;
  private final LogStore logs;
  private final UpdateHistory history;
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
  private TrafficRouter router;

  public ServiceStore(
      EmulatorConfig config,
      AdminSettings settings,
      OperationStore operations,
      LogStore logs,
      UpdateHistory history) {
    this.config = config;
    this.settings = settings;
    this.clock = config.clock();
    this.settlement = new Settlement(operations, settings, clock);
    this.operations = operations;
    this.logs = logs;
    this.history = history;
  }

  public void close() {
    timer.shutdownNow();
  }

  public void attach(TrafficRouter router) {
    this.router = router;
    settlement.attach(router);
  }

  synchronized Operation create(
      String parent, String serviceId, Service requested, boolean validateOnly) {
    Names.requireParent(parent);
    RevisionNames.checkServiceId(serviceId);
    String name = Names.service(parent, serviceId);
    if (services.containsKey(name)) {
      throw Status.ALREADY_EXISTS
          .withDescription("Resource '" + serviceId + "' already exists.")
          .asRuntimeException();
    }
    ServiceRecord record = new ServiceRecord(Service.newBuilder().setName(name).build());
    Service initial =
        record.service.toBuilder()
            .setUid(record.uid)
            .setCreateTime(Conditions.now(clock))
            .setCreator("emulator@rungate.dev")
            .setUri(router.serviceUrl(name))
            .addUrls(router.serviceUrl(name))
            .build();
    record.service = initial;
    Operation op =
        apply(
            record,
            requested.toBuilder().setName(name).build(),
            "CreateService",
            validateOnly,
            true);
    if (!validateOnly) {
      services.put(name, record);
    }
    return op;
  }

  /**
   * UpdateService: allow_missing creates, update_mask limits the change to its fields, a given etag
   * must match.
   */
  synchronized Operation update(UpdateServiceRequest request) {
    Service requested = request.getService();
    if (request.getAllowMissing() && !services.containsKey(requested.getName())) {
      return create(
          Names.parentOf(requested.getName()),
          Names.shortName(requested.getName()),
          requested,
          request.getValidateOnly());
    }
    ServiceRecord record = find(requested.getName());
    if (request.hasUpdateMask() && request.getUpdateMask().getPathsCount() > 0) {
      requested = ServiceStates.masked(record.service, requested, request.getUpdateMask());
    }
    if (!requested.getEtag().isEmpty() && !requested.getEtag().equals(record.service.getEtag())) {
      history.record(
          new UpdateHistory.Change(
              record.name(),
              clock.instant(),
              "UpdateService",
              requested.getTrafficList(),
              0,
              "ABORTED"));
      throw Status.ABORTED
          .withDescription(
              "etag mismatch: the service changed since it was read (expected "
                  + record.service.getEtag()
                  + ", got "
                  + requested.getEtag()
                  + ")")
          .asRuntimeException();
    }
    return apply(record, requested, "UpdateService", request.getValidateOnly(), false);
  }

  Operation apply(
      ServiceRecord record,
      Service requested,
      String method,
      boolean validateOnly,
      boolean creating) {
    String name = record.name();
    RevisionTemplate template = requested.getTemplate();
    boolean newRevision = creating || !template.equals(record.service.getTemplate());
    String revisionId = null;
    long generation = record.service.getGeneration() + 1;
    if (newRevision) {
      revisionId =
          template.getRevision().isEmpty()
              ? RevisionNames.generated(Names.shortName(name), generation)
              : template.getRevision();
      NewRevisions.check(record, template, revisionId);
    }
    List<TrafficTarget> traffic = TrafficPlan.normalize(requested.getTrafficList());
    try {
      // a revision missing from traffic fails the operation, not the call (see settle)
      TrafficPlan.validate(
          traffic,
          r -> true,
          r -> record.revisions.containsKey(r) && record.revisions.get(r).isFailed());
      traffic.forEach(t -> RevisionNames.checkTag(Names.shortName(name), t.getTag()));
      String latestReady = record.latestReady();
      if (!newRevision
          && latestReady == null
          && traffic.stream().anyMatch(t -> t.getRevision().isEmpty())) {
        throw Status.FAILED_PRECONDITION
            .withDescription("traffic to LATEST needs a ready revision")
            .asRuntimeException();
      }
    } catch (RuntimeException e) {
      history.record(
          new UpdateHistory.Change(
              name,
              clock.instant(),
              method,
              requested.getTrafficList(),
              0,
              Status.fromThrowable(e).getCode().name()));
      throw e;
    }
    if (validateOnly) {
      return operations.done(Names.parentOf(name), record.service);
    }
    Service.Builder spec = requested.toBuilder().clearTraffic().addAllTraffic(traffic);
    ServiceStates.copyStatus(record.service, spec);
    if (!creating && !newRevision && ServiceStates.sameSpec(spec.build(), record.service)) {
      history.record(
          new UpdateHistory.Change(
              name, clock.instant(), method, traffic, record.service.getGeneration(), "UNCHANGED"));
      return settlement.unchanged(record);
    }
    spec.setGeneration(generation)
        .setUpdateTime(Conditions.now(clock))
        .setLastModifier("emulator@rungate.dev");
    if (newRevision) {
      String revisionName = Names.revision(name, revisionId);
      File workdir =
          new File(
              template.getAnnotationsOrDefault(WORKDIR_ANNOTATION, config.workdir().getPath()));
      RevisionInstance runner =
          NewRevisions.instance(
              revisionName,
              template.getContainers(0),
              workdir,
              config.defaultStartup(),
              logs,
              this);
      record.revisions.put(
          revisionId,
          new ServiceRecord.RevisionRecord(
              RevisionProtos.fromTemplate(
                  name, revisionId, template, generation, Conditions.now(clock)),
              runner));
      spec.setLatestCreatedRevision(revisionName);
      runner.ensureRunning();
    }
    history.record(
        new UpdateHistory.Change(name, clock.instant(), method, traffic, generation, "OK"));
    record.service = spec.build();
    record.awaited.clear();
    if (newRevision) {
      record.awaited.add(revisionId);
    }
    for (String r : TrafficPlan.referenced(traffic, record.latestReady())) {
      if (record.revisions.containsKey(r) && !record.revisions.get(r).isReady()) {
        record.awaited.add(r);
      }
    }
    Operation op =
        settlement.begin(record, newRevision ? "Deploying revision." : "Routing traffic.");
    if (record.service.getReconciling()) {
      settleLater(record, generation);
    }
    return op;
  }

  /**
   * Looks again when the reconcile time is up by the clock. A timer counts real time, which need
   * not agree with the clock (it may fire a moment early, or the clock may be a test's that only
   * moves when told, see catchUp()), so an update not due yet when it fires is looked at again
   * later.
   */
  private void settleLater(ServiceRecord record, long generation) {
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
