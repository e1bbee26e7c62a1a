package dev.rungate.emulator.admin;

import dev.rungate.emulator.EmulatorConfig;
import dev.rungate.emulator.Names;
import dev.rungate.emulator.UpdateHistory;
import dev.rungate.emulator.logging.LogStore;
import dev.rungate.emulator.router.TrafficRouter;
import dev.rungate.emulator.runtime.RevisionRunner;

import com.google.cloud.run.v2.RevisionTemplate;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.TrafficTarget;
import com.google.cloud.run.v2.TrafficTargetStatus;
import com.google.cloud.run.v2.UpdateServiceRequest;
import com.google.longrunning.Operation;
import dev.rungate.emulator.rules.AdminSettings;
import dev.rungate.emulator.rules.RevisionNames;
import dev.rungate.emulator.rules.ServiceStates;
import io.grpc.Status;
import java.io.File;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The emulator's Cloud Run control plane: services, their revisions and traffic, reconciled the way
 * Cloud Run does it. An accepted update is a long-running operation: the service is {@code reconciling}
 * and keeps serving (and reporting) its previous traffic until the update settles, at least
 * {@link AdminSettings#reconcile()} later and not before the revisions it needs are ready. Errors found
 * while settling fail the operation and the terminal condition, not the call.
 */
public final class ServiceStore implements RevisionRunner.Listener {
  public static final String WORKDIR_ANNOTATION = "run.rungate.dev/workdir";

  public final Map<String, ServiceRecord> services = new LinkedHashMap<>();
  private final EmulatorConfig config;
  private final OperationStore operations;
  private final LogStore logs;
  private final UpdateHistory history;
  private final AdminSettings settings;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "rungate-emulator-reconcile");
    t.setDaemon(true);
    return t;
  });
  private TrafficRouter router;

  public ServiceStore(EmulatorConfig config, AdminSettings settings, OperationStore operations, LogStore logs,
      UpdateHistory history) {
    this.config = config;
    this.settings = settings;
    this.operations = operations;
    this.logs = logs;
    this.history = history;
  }

  public void close() {
    timer.shutdownNow();
  }

  public void attach(TrafficRouter router) {
    this.router = router;
  }

  synchronized Operation create(String parent, String serviceId, Service requested, boolean validateOnly) {
    Names.requireParent(parent);
    RevisionNames.checkServiceId(serviceId);
    String name = Names.service(parent, serviceId);
    if (services.containsKey(name)) {
      throw Status.ALREADY_EXISTS.withDescription("Resource '" + serviceId + "' already exists.").asRuntimeException();
    }
    ServiceRecord record = new ServiceRecord(Service.newBuilder().setName(name).build());
    Service initial = record.service.toBuilder().setUid(record.uid).setCreateTime(Conditions.now())
        .setCreator("emulator@rungate.dev").setUri(router.serviceUrl(name)).addUrls(router.serviceUrl(name))
        .build();
    record.service = initial;
    Operation op = apply(record, requested.toBuilder().setName(name).build(), "CreateService", validateOnly, true);
    if (!validateOnly) {
      services.put(name, record);
    }
    return op;
  }

  /** UpdateService: allow_missing creates, update_mask limits the change to its fields, a given etag must match. */
  synchronized Operation update(UpdateServiceRequest request) {
    Service requested = request.getService();
    if (request.getAllowMissing() && !services.containsKey(requested.getName())) {
      return create(Names.parentOf(requested.getName()), Names.shortName(requested.getName()), requested,
          request.getValidateOnly());
    }
    ServiceRecord record = find(requested.getName());
    if (request.hasUpdateMask() && request.getUpdateMask().getPathsCount() > 0) {
      requested = ServiceStates.masked(record.service, requested, request.getUpdateMask());
    }
    if (!requested.getEtag().isEmpty() && !requested.getEtag().equals(record.service.getEtag())) {
      history.record(new UpdateHistory.Change(record.name(), java.time.Instant.now(), "UpdateService",
          requested.getTrafficList(), 0, "ABORTED"));
      throw Status.ABORTED.withDescription("etag mismatch: the service changed since it was read (expected "
          + record.service.getEtag() + ", got " + requested.getEtag() + ")").asRuntimeException();
    }
    return apply(record, requested, "UpdateService", request.getValidateOnly(), false);
  }

  private Operation apply(ServiceRecord record, Service requested, String method, boolean validateOnly,
      boolean creating) {
    String name = record.name();
    RevisionTemplate template = requested.getTemplate();
    boolean newRevision = creating || !template.equals(record.service.getTemplate());
    String revisionId = null;
    long generation = record.service.getGeneration() + 1;
    if (newRevision) {
      revisionId = template.getRevision().isEmpty()
          ? RevisionNames.generated(Names.shortName(name), generation) : template.getRevision();
      checkRevision(record, template, revisionId);
    }
    List<TrafficTarget> traffic = TrafficPlan.normalize(requested.getTrafficList());
    try {
      // a revision missing from traffic fails the operation, not the call (see settle)
      TrafficPlan.validate(traffic, r -> true,
          r -> record.revisions.containsKey(r) && record.revisions.get(r).isFailed());
      traffic.forEach(t -> RevisionNames.checkTag(Names.shortName(name), t.getTag()));
      String latestReady = record.latestReady();
      if (!newRevision && latestReady == null && traffic.stream().anyMatch(t -> t.getRevision().isEmpty())) {
        throw Status.FAILED_PRECONDITION.withDescription("traffic to LATEST needs a ready revision")
            .asRuntimeException();
      }
    } catch (RuntimeException e) {
      history.record(new UpdateHistory.Change(name, java.time.Instant.now(), method, requested.getTrafficList(), 0,
          Status.fromThrowable(e).getCode().name()));
      throw e;
    }
    if (validateOnly) {
      return operations.done(Names.parentOf(name), record.service);
    }
    Service.Builder spec = requested.toBuilder().clearTraffic().addAllTraffic(traffic);
    ServiceStates.copyStatus(record.service, spec);
    spec.setGeneration(generation).setUpdateTime(Conditions.now()).setLastModifier("emulator@rungate.dev");
    if (newRevision) {
      String revisionName = Names.revision(name, revisionId);
      File workdir = new File(template.getAnnotationsOrDefault(WORKDIR_ANNOTATION, config.workdir().getPath()));
      RevisionRunner runner = new RevisionRunner(revisionName, template.getContainers(0), workdir,
          config.defaultStartup(), logs, this);
      record.revisions.put(revisionId, new ServiceRecord.RevisionRecord(
          RevisionProtos.fromTemplate(name, revisionId, template, generation), runner));
      spec.setLatestCreatedRevision(revisionName);
      runner.ensureRunning();
    }
    history.record(new UpdateHistory.Change(name, java.time.Instant.now(), method, traffic, generation, "OK"));
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
    record.settleAt = Instant.now().plus(settings.reconcile());
    record.service = ServiceStates.reconciling(record.service, newRevision ? "Deploying revision." : "Routing traffic.")
        .toBuilder().setEtag(record.nextEtag()).build();
    Operation op = operations.pending(Names.parentOf(name), record.service);
    record.pendingOperations.add(op.getName());
    settle(record);
    if (record.service.getReconciling()) {
      timer.schedule(() -> settle(name, generation), settings.reconcile().toMillis(), TimeUnit.MILLISECONDS);
    }
    return operations.get(op.getName()).orElse(op);
  }

  private synchronized void settle(String name, long generation) {
    ServiceRecord record = services.get(name);
    if (record != null && record.service.getGeneration() == generation) {
      settle(record);
    }
  }

  /** Finishes the update in flight once its time is up and its revisions are ready; a missing revision fails it. */
  private void settle(ServiceRecord record) {
    if (!record.service.getReconciling() || !record.awaited.isEmpty() || Instant.now().isBefore(record.settleAt)) {
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

  /**
   * An error inside the operation (code 13, as Cloud Run reports it): the operation and the terminal
   * condition carry it; traffic_statuses, observed_generation and latest_ready_revision keep the last
   * serving state, and the router keeps routing it.
   */
  private void failedInOperation(ServiceRecord record, String message) {
    record.service = ServiceStates.failedRouting(record.service, message).toBuilder().setEtag(record.nextEtag()).build();
    record.pendingOperations.forEach(op -> operations.fail(op, record.service, Status.Code.INTERNAL, message));
    record.pendingOperations.clear();
  }

  private void checkRevision(ServiceRecord record, RevisionTemplate template, String revisionId) {
    RevisionNames.checkRevision(Names.shortName(record.name()), revisionId);
    if (record.revisions.containsKey(revisionId)) {
      throw Status.ALREADY_EXISTS.withDescription("Revision named '" + revisionId + "' with different "
          + "configuration already exists.").asRuntimeException();
    }
    if (template.getContainersCount() != 1 || template.getContainers(0).getCommandCount()
        + template.getContainers(0).getArgsCount() == 0) {
      throw Status.INVALID_ARGUMENT.withDescription("the emulator runs exactly one container's command + args "
          + "as a local process: give containers[0].command").asRuntimeException();
    }
  }

  /** The update in flight is done: serve its traffic, and finish the operations waiting for it. */
  private void reconciled(ServiceRecord record) {
    String latestReady = record.latestReady();
    String name = record.name();
    List<TrafficTargetStatus> statuses = TrafficPlan.resolve(record.service.getTrafficList(), latestReady,
        tag -> router.tagUrl(name, tag));
    record.service = ServiceStates.settled(record.service, statuses,
        latestReady == null ? "" : Names.revision(name, latestReady)).toBuilder().setEtag(record.nextEtag()).build();
    route(record);
    record.pendingOperations.forEach(op -> operations.succeed(op, record.service));
    record.pendingOperations.clear();
  }

  private void failedReconcile(ServiceRecord record, String revisionId, String message) {
    String text = "Revision '" + revisionId + "' is not ready and cannot serve traffic. " + message;
    record.service = ServiceStates.failedRevision(record.service, text).toBuilder().setEtag(record.nextEtag()).build();
    record.awaited.clear();
    record.pendingOperations.forEach(op -> operations.fail(op, record.service, Status.Code.FAILED_PRECONDITION, text));
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
      boolean serving = percents.getOrDefault(r.shortName(), 0) > 0 || tags.containsValue(r.shortName());
      r.idleSince = serving ? null : (r.idleSince == null ? java.time.Instant.now() : r.idleSince);
      if (serving) {
        r.runner.ensureRunning();
      }
    }
  }

  @Override
  public synchronized void onReady(String revisionName) {
    ServiceRecord record = services.get(Names.serviceOf(revisionName));
    ServiceRecord.RevisionRecord revision = record == null ? null : record.revisions.get(Names.shortName(revisionName));
    if (revision == null) {
      return;
    }
    revision.revision = RevisionProtos.ready(revision.revision);
    if (record.awaited.remove(revision.shortName())) {
      settle(record);
    }
  }

  @Override
  public synchronized void onFailed(String revisionName, String message) {
    ServiceRecord record = services.get(Names.serviceOf(revisionName));
    ServiceRecord.RevisionRecord revision = record == null ? null : record.revisions.get(Names.shortName(revisionName));
    if (revision == null) {
      return;
    }
    revision.revision = RevisionProtos.failed(revision.revision, message);
    if (record.awaited.contains(revision.shortName())) {
      failedReconcile(record, revision.shortName(), message);
    }
  }

  public synchronized ServiceRecord find(String serviceName) {
    ServiceRecord record = services.get(serviceName);
    if (record == null) {
      throw Status.NOT_FOUND.withDescription("Resource '" + Names.shortName(serviceName) + "' of kind 'SERVICE' in "
          + "region '" + Names.location(serviceName) + "' in project '" + Names.project(serviceName)
          + "' does not exist.").asRuntimeException();
    }
    return record;
  }

  /** ListServices: one location; the "-" wildcard is refused as the v2 API refuses it. */
  synchronized List<Service> list(String parent) {
    if (parent.endsWith("/locations/-")) {
      throw Status.INVALID_ARGUMENT.withDescription("Location must be a valid Google Cloud region, and cannot be "
          + "the \"-\" wildcard: " + parent).asRuntimeException();
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
