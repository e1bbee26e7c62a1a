package dev.rungate.emulator.admin;

import dev.rungate.emulator.EmulatorConfig;
import dev.rungate.emulator.Names;
import dev.rungate.emulator.UpdateHistory;
import dev.rungate.emulator.logging.LogStore;
import dev.rungate.emulator.router.TrafficRouter;
import dev.rungate.emulator.runtime.RevisionRunner;

import com.google.cloud.run.v2.Condition.CommonReason;
import com.google.cloud.run.v2.Condition.State;
import com.google.cloud.run.v2.RevisionTemplate;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.TrafficTarget;
import com.google.cloud.run.v2.TrafficTargetStatus;
import com.google.longrunning.Operation;
import io.grpc.Status;
import java.io.File;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The emulator's Cloud Run control plane: services, their revisions and traffic, reconciled the way
 * Cloud Run does it (an update that needs a revision completes when that revision is ready or fails).
 */
public final class ServiceStore implements RevisionRunner.Listener {
  public static final String WORKDIR_ANNOTATION = "run.rungate.dev/workdir";

  public final Map<String, ServiceRecord> services = new LinkedHashMap<>();
  private final EmulatorConfig config;
  private final OperationStore operations;
  private final LogStore logs;
  private final UpdateHistory history;
  private TrafficRouter router;

  public ServiceStore(EmulatorConfig config, OperationStore operations, LogStore logs, UpdateHistory history) {
    this.config = config;
    this.operations = operations;
    this.logs = logs;
    this.history = history;
  }

  public void attach(TrafficRouter router) {
    this.router = router;
  }

  synchronized Operation create(String parent, String serviceId, Service requested, boolean validateOnly) {
    Names.requireParent(parent);
    if (!serviceId.matches("[a-z]([-a-z0-9]{0,47}[a-z0-9])?")) {
      throw Status.INVALID_ARGUMENT.withDescription("service_id must be lowercase letters, digits and hyphens: "
          + serviceId).asRuntimeException();
    }
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

  synchronized Operation update(Service requested, boolean validateOnly) {
    ServiceRecord record = find(requested.getName());
    if (!requested.getEtag().isEmpty() && !requested.getEtag().equals(record.service.getEtag())) {
      history.record(new UpdateHistory.Change(record.name(), java.time.Instant.now(), "UpdateService",
          requested.getTrafficList(), 0, "ABORTED"));
      throw Status.ABORTED.withDescription("etag mismatch: the service changed since it was read (expected "
          + record.service.getEtag() + ", got " + requested.getEtag() + ")").asRuntimeException();
    }
    return apply(record, requested, "UpdateService", validateOnly, false);
  }

  private Operation apply(ServiceRecord record, Service requested, String method, boolean validateOnly,
      boolean creating) {
    String name = record.name();
    RevisionTemplate template = requested.getTemplate();
    boolean newRevision = creating || !template.equals(record.service.getTemplate());
    String revisionId = null;
    if (newRevision) {
      revisionId = template.getRevision().isEmpty() ? generateRevisionId(record) : template.getRevision();
      checkRevision(record, template, revisionId);
    }
    List<TrafficTarget> traffic = TrafficPlan.normalize(requested.getTrafficList());
    String created = revisionId;
    try {
      TrafficPlan.validate(traffic, r -> record.revisions.containsKey(r) || r.equals(created),
          r -> record.revisions.containsKey(r) && record.revisions.get(r).isFailed());
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
    long generation = record.service.getGeneration() + 1;
    Service.Builder spec = requested.toBuilder().clearTraffic().addAllTraffic(traffic);
    copyStatus(record.service, spec);
    spec.setGeneration(generation).setUpdateTime(Conditions.now()).setLastModifier("emulator@rungate.dev");
    if (newRevision) {
      record.revisionCounter++;
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
    if (record.awaited.isEmpty()) {
      reconciled(record);
      return operations.done(Names.parentOf(name), record.service);
    }
    record.service = record.service.toBuilder().setReconciling(true)
        .setTerminalCondition(Conditions.pending("Ready", "Deploying revision.")).setEtag(record.nextEtag()).build();
    Operation op = operations.pending(Names.parentOf(name), record.service);
    record.pendingOperations.add(op.getName());
    return op;
  }

  private static void copyStatus(Service from, Service.Builder to) {
    to.setName(from.getName()).setUid(from.getUid()).setCreateTime(from.getCreateTime())
        .setCreator(from.getCreator()).setUri(from.getUri()).clearUrls().addAllUrls(from.getUrlsList())
        .setObservedGeneration(from.getObservedGeneration())
        .setLatestReadyRevision(from.getLatestReadyRevision())
        .setLatestCreatedRevision(from.getLatestCreatedRevision())
        .clearTrafficStatuses().addAllTrafficStatuses(from.getTrafficStatusesList())
        .setTerminalCondition(from.getTerminalCondition())
        .clearConditions().addAllConditions(from.getConditionsList())
        .setReconciling(from.getReconciling()).setEtag(from.getEtag());
  }

  private void checkRevision(ServiceRecord record, RevisionTemplate template, String revisionId) {
    String service = Names.shortName(record.name());
    if (!revisionId.startsWith(service + "-")) {
      throw Status.INVALID_ARGUMENT.withDescription("Revision name must be prefixed by the service name '"
          + service + "-', got '" + revisionId + "'").asRuntimeException();
    }
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

  private static String generateRevisionId(ServiceRecord record) {
    StringBuilder suffix = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      suffix.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
    }
    return String.format("%s-%05d-%s", Names.shortName(record.name()), record.revisionCounter + 1, suffix);
  }

  /** The update in flight is done: serve its traffic, and finish the operations waiting for it. */
  private void reconciled(ServiceRecord record) {
    String latestReady = record.latestReady();
    String name = record.name();
    List<TrafficTargetStatus> statuses = TrafficPlan.resolve(record.service.getTrafficList(), latestReady,
        tag -> router.tagUrl(name, tag));
    record.service = record.service.toBuilder().setReconciling(false)
        .setObservedGeneration(record.service.getGeneration())
        .setLatestReadyRevision(latestReady == null ? "" : Names.revision(name, latestReady))
        .clearTrafficStatuses().addAllTrafficStatuses(statuses)
        .setTerminalCondition(Conditions.of("Ready", State.CONDITION_SUCCEEDED))
        .clearConditions()
        .addConditions(Conditions.of("RoutesReady", State.CONDITION_SUCCEEDED))
        .addConditions(Conditions.of("ConfigurationsReady", State.CONDITION_SUCCEEDED))
        .setEtag(record.nextEtag()).build();
    route(record);
    record.pendingOperations.forEach(op -> operations.succeed(op, record.service));
    record.pendingOperations.clear();
  }

  private void failedReconcile(ServiceRecord record, String revisionId, String message) {
    String text = "Revision '" + revisionId + "' is not ready and cannot serve traffic. " + message;
    record.service = record.service.toBuilder().setReconciling(false)
        .setTerminalCondition(Conditions.failed("Ready", CommonReason.REVISION_FAILED, text))
        .clearConditions()
        .addConditions(Conditions.of("RoutesReady", State.CONDITION_SUCCEEDED))
        .addConditions(Conditions.failed("ConfigurationsReady", CommonReason.REVISION_FAILED, text))
        .setEtag(record.nextEtag()).build();
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
    if (record.awaited.remove(revision.shortName()) && record.awaited.isEmpty()) {
      reconciled(record);
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

  synchronized List<Service> list(String parent) {
    List<Service> out = new ArrayList<>();
    for (ServiceRecord r : services.values()) {
      if (Names.parentOf(r.name()).equals(parent) || parent.endsWith("/locations/-")
          && Names.project(r.name()).equals(Names.project(parent))) {
        out.add(r.service);
      }
    }
    return out;
  }
}
