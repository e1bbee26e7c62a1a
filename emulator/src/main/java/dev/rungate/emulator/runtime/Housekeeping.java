package dev.rungate.emulator.runtime;

import com.google.cloud.run.v2.Revision;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.TrafficTargetStatus;
import dev.rungate.emulator.Names;
import dev.rungate.emulator.admin.Conditions;
import dev.rungate.emulator.admin.ServiceRecord;
import dev.rungate.emulator.admin.ServiceStore;
import dev.rungate.emulator.identity.IngressGuard;
import dev.rungate.emulator.router.TrafficRouter;
import dev.rungate.emulator.router.Upstream;
import dev.rungate.emulator.rules.Invokers;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The parts of the store that start and stop processes: backends for the router, deletes, stopping
 * idle revisions (idle time on the emulator's clock), and stopping everything on shutdown. Locks
 * the store like it does.
 */
public final class Housekeeping implements TrafficRouter.Backends {
  private final ServiceStore store;
  private final TrafficRouter router;
  private final Duration idleStop;
  private final Clock clock;
  private IngressGuard guard;

  public Housekeeping(ServiceStore store, TrafficRouter router, Duration idleStop, Clock clock) {
    this.store = store;
    this.router = router;
    this.idleStop = idleStop;
    this.clock = clock;
  }

  /** From now on private services need an ID token this guard accepts. */
  public void guard(IngressGuard guard) {
    this.guard = guard;
  }

  @Override
  public Optional<Upstream> upstreamOf(String serviceName, String revision) {
    synchronized (store) {
      ServiceRecord record = store.services.get(serviceName);
      ServiceRecord.RevisionRecord r = record == null ? null : record.revisions.get(revision);
      if (r == null || r.runner.hasFailed()) {
        return Optional.empty();
      }
      r.runner.ensureRunning();
      if (r.idleSince != null) {
        r.idleSince = clock.instant();
      }
      return Optional.of(r.runner.upstream());
    }
  }

  /**
   * Cloud Run's IAM check: a service whose IAM policy grants roles/run.invoker to allUsers is
   * public; any other needs an ID token for its URL (the guard decides). Unknown services pass
   * (answered 404).
   */
  public boolean admits(String serviceName, String head) {
    String uri;
    synchronized (store) {
      ServiceRecord record = store.services.get(serviceName);
      if (record == null || guard == null || Invokers.isPublic(record.iamPolicy)) {
        return true;
      }
      uri = record.service.getUri();
    }
    return guard.refusal(head, List.of(uri)).isEmpty();
  }

  public Service deleteService(String name) {
    List<RevisionInstance> runners = new ArrayList<>();
    Service deleted;
    synchronized (store) {
      ServiceRecord record = store.find(name);
      record.revisions.values().forEach(r -> runners.add(r.runner));
      store.services.remove(name);
      router.remove(name);
      deleted = record.service.toBuilder().setDeleteTime(Conditions.now(clock)).build();
    }
    runners.forEach(RevisionInstance::stop);
    return deleted;
  }

  public Revision deleteRevision(String revisionName) {
    ServiceRecord.RevisionRecord removed;
    synchronized (store) {
      ServiceRecord record = store.find(Names.serviceOf(revisionName));
      String id = Names.shortName(revisionName);
      removed = record.revisions.get(id);
      if (removed == null) {
        throw Status.NOT_FOUND
            .withDescription("Revision '" + id + "' does not exist.")
            .asRuntimeException();
      }
      for (TrafficTargetStatus s : record.service.getTrafficStatusesList()) {
        if (s.getRevision().equals(id) && (s.getPercent() > 0 || !s.getTag().isEmpty())) {
          throw Status.FAILED_PRECONDITION
              .withDescription(
                  "Revision '"
                      + id
                      + "' is referenced by the service's traffic and cannot be deleted.")
              .asRuntimeException();
        }
      }
      record.revisions.remove(id);
      // a revision still starting (e.g. crash-looping) may go too: the update waiting for it then
      // fails
      store.revisionDeleted(record, id);
    }
    removed.runner.stop();
    return removed.revision.toBuilder().setDeleteTime(Conditions.now(clock)).build();
  }

  public Revision getRevision(String revisionName) {
    synchronized (store) {
      ServiceRecord record = store.find(Names.serviceOf(revisionName));
      ServiceRecord.RevisionRecord r = record.revisions.get(Names.shortName(revisionName));
      if (r == null) {
        throw Status.NOT_FOUND
            .withDescription("Revision '" + Names.shortName(revisionName) + "' does not exist.")
            .asRuntimeException();
      }
      return r.revision;
    }
  }

  /**
   * Revisions of a service (or, with service "-", of every service in the location), newest first.
   */
  public List<Revision> listRevisions(String serviceName) {
    List<Revision> out = new ArrayList<>();
    synchronized (store) {
      for (ServiceRecord record : store.services.values()) {
        boolean all =
            serviceName.endsWith("/services/-")
                && Names.parentOf(record.name()).equals(Names.parentOf(serviceName));
        if (all || record.name().equals(serviceName)) {
          record.revisions.values().forEach(r -> out.add(0, r.revision));
        }
      }
      if (out.isEmpty() && !serviceName.endsWith("/services/-")) {
        store.find(serviceName);
      }
    }
    return out;
  }

  /** Stops revisions that have had neither traffic nor a tag for the idle period. */
  public void stopIdle() {
    List<RevisionInstance> idle = new ArrayList<>();
    Instant cutoff = clock.instant().minus(idleStop);
    synchronized (store) {
      for (ServiceRecord record : store.services.values()) {
        for (ServiceRecord.RevisionRecord r : record.revisions.values()) {
          if (r.idleSince != null
              && r.idleSince.isBefore(cutoff)
              && !record.awaited.contains(r.shortName())) {
            idle.add(r.runner);
          }
        }
      }
    }
    idle.forEach(RevisionInstance::stop);
  }

  public void stopAll() {
    List<RevisionInstance> all = new ArrayList<>();
    synchronized (store) {
      store
          .services
          .values()
          .forEach(record -> record.revisions.values().forEach(r -> all.add(r.runner)));
    }
    all.parallelStream().forEach(RevisionInstance::stop);
  }

  /** PIDs of every revision process tree now running. */
  public List<Long> pids() {
    List<Long> pids = new ArrayList<>();
    synchronized (store) {
      store
          .services
          .values()
          .forEach(record -> record.revisions.values().forEach(r -> pids.addAll(r.runner.pids())));
    }
    return pids;
  }
}
