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
import dev.rungate.emulator.rules.RevisionNames;
import dev.rungate.emulator.rules.ServiceStates;
import dev.rungate.emulator.runtime.RevisionInstance;
import io.grpc.Status;
import java.io.File;
import java.time.Clock;
import java.util.List;

/**
 * CreateService and UpdateService on the {@link ServiceStore}: the checks a request must pass, the
 * revision a new template starts, and the long-running operation that an accepted update returns.
 * Called under the store's lock.
 */
final class ServiceUpdates {
  private final ServiceStore store;
  private final EmulatorConfig config;
  private final OperationStore operations;
  private final LogStore logs;
  private final UpdateHistory history;
  private final Settlement settlement;
  private final Clock clock;

  ServiceUpdates(
      ServiceStore store,
      EmulatorConfig config,
      OperationStore operations,
      LogStore logs,
      UpdateHistory history,
      Settlement settlement,
      Clock clock) {
    this.store = store;
    this.config = config;
    this.operations = operations;
    this.logs = logs;
    this.history = history;
    this.settlement = settlement;
    this.clock = clock;
  }

  Operation create(String parent, String serviceId, Service requested, boolean validateOnly) {
    Names.requireParent(parent);
    RevisionNames.checkServiceId(serviceId);
    String name = Names.service(parent, serviceId);
    if (store.services.containsKey(name)) {
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
            .setUri(store.router().serviceUrl(name))
            .addUrls(store.router().serviceUrl(name))
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
      store.services.put(name, record);
    }
    return op;
  }

  /**
   * UpdateService: allow_missing creates, update_mask limits the change to its fields, a given etag
   * must match.
   */
  Operation update(UpdateServiceRequest request) {
    Service requested = request.getService();
    if (request.getAllowMissing() && !store.services.containsKey(requested.getName())) {
      return create(
          Names.parentOf(requested.getName()),
          Names.shortName(requested.getName()),
          requested,
          request.getValidateOnly());
    }
    ServiceRecord record = store.find(requested.getName());
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
              template.getAnnotationsOrDefault(
                  ServiceStore.WORKDIR_ANNOTATION, config.workdir().getPath()));
      RevisionInstance runner =
          NewRevisions.instance(
              revisionName,
              template.getContainers(0),
              workdir,
              config.defaultStartup(),
              logs,
              store);
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
      store.settleLater(record, generation);
    }
    return op;
  }
}
