package dev.rungate.cloudrun;

import dev.rungate.api.spec.ServiceRef;
import dev.rungate.api.status.TrafficEntry;
import dev.rungate.domain.RevisionSnapshot;
import dev.rungate.domain.ServiceSnapshot;
import dev.rungate.domain.VpcSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A Cloud Run held in memory, for tests of the reconciler: services with the traffic they serve
 * (traffic_statuses) and the traffic they were asked for, revisions with a Ready state, and every
 * accepted traffic update in order. It behaves as the Admin API does where the gate can tell: an
 * update is accepted while the service reconciles (a deploy starting a revision) and served once
 * the reconcile ends; an update can be accepted and fail inside its operation; the etag guards
 * updates; a revision that traffic names cannot be deleted.
 */
public class InMemoryCloudRun implements CloudRun {
  /**
   * One accepted traffic update: the service, the traffic it asked for before, and the new targets.
   */
  public record Update(
      String service, List<TrafficEntry> before, List<TrafficEntry> targets, Instant at) {}

  private final Map<String, InMemoryService> services = new HashMap<>();
  private final List<Update> accepted = new ArrayList<>();
  private final ArrayDeque<String> readFaults = new ArrayDeque<>();
  private final ArrayDeque<String> updateFaults = new ArrayDeque<>();
  private int revisionReadFaults;
  private String nextOperationError;
  private boolean abortNext;
  private Supplier<Instant> clock = Instant::now;

  /** The clock that ends reconciles (the test's own clock; the system clock by default). */
  public synchronized void setClock(Supplier<Instant> clock) {
    this.clock = clock;
  }

  /** The next {@code times} reads of a service fail with this gRPC code. */
  public synchronized void failReads(String code, int times) {
    for (int i = 0; i < times; i++) {
      readFaults.add(code);
    }
  }

  /**
   * The next {@code times} traffic updates fail with this gRPC code (e.g. PERMISSION_DENIED,
   * UNAVAILABLE).
   */
  public synchronized void failUpdates(String code, int times) {
    for (int i = 0; i < times; i++) {
      updateFaults.add(code);
    }
  }

  /** The next {@code times} revision reads fail (UNAVAILABLE). */
  public synchronized void failRevisionReads(int times) {
    revisionReadFaults += times;
  }

  /**
   * The next accepted update fails inside its operation with this message (traffic stays as it was
   * served).
   */
  public synchronized void failNextOperation(String message) {
    nextOperationError = message;
  }

  /**
   * Someone else changes the service between the next update's read and its write: it is refused
   * with ABORTED.
   */
  public synchronized void abortNextUpdate() {
    abortNext = true;
  }

  /**
   * True while an injected fault is still to come (reads, updates, revision reads, an operation or
   * an etag race).
   */
  public synchronized boolean faultsPending() {
    return !readFaults.isEmpty()
        || !updateFaults.isEmpty()
        || revisionReadFaults > 0
        || nextOperationError != null
        || abortNext
        || services.values().stream().anyMatch(s -> s.operationError != null);
  }

  /** True while an injected fault of service reads is still to come. */
  public synchronized boolean readFaultsPending() {
    return !readFaults.isEmpty();
  }

  /** Forgets the faults not used yet. */
  public synchronized void clearFaults() {
    readFaults.clear();
    updateFaults.clear();
    revisionReadFaults = 0;
    nextOperationError = null;
    abortNext = false;
  }

  /** Someone changed the service without touching traffic (e.g. its env): the etag moves on. */
  public synchronized void touch(ServiceRef ref) {
    service(ref).etag++;
  }

  /**
   * The service reconciles (e.g. a deploy starts a revision) for this long: updates wait until it
   * ends.
   */
  public synchronized void reconcileFor(ServiceRef ref, Duration d) {
    InMemoryService s = service(ref);
    Instant until = clock.get().plus(d);
    s.reconcilingUntil =
        s.reconcilingUntil != null && s.reconcilingUntil.isAfter(until)
            ? s.reconcilingUntil
            : until;
    s.etag++;
  }

  /** Replaces a revision's state (e.g. its Ready condition failed). */
  public synchronized void replaceRevision(ServiceRef ref, RevisionSnapshot revision) {
    service(ref).revisions.put(revision.name(), revision);
  }

  /** Adds a revision (at 0%, no tag) and makes it the latest created one. */
  public synchronized void deploy(ServiceRef ref, RevisionSnapshot revision) {
    InMemoryService s = services.computeIfAbsent(ref.resourceName(), k -> new InMemoryService());
    s.revisions.put(revision.name(), revision);
    s.latestCreated = revision.name();
    s.etag++;
  }

  /**
   * Deletes a revision no traffic target names, as Cloud Run allows; false when traffic names it.
   */
  public synchronized boolean deleteRevision(ServiceRef ref, String revision) {
    InMemoryService s = service(ref);
    s.settle(clock);
    boolean named =
        s.desired.stream().anyMatch(t -> t.revision.equals(revision))
            || s.served.stream().anyMatch(t -> t.revision.equals(revision));
    if (named || s.revisions.remove(revision) == null) {
      return false;
    }
    s.etag++;
    return true;
  }

  /** Sets traffic as someone with gcloud would: not through the gate. */
  public synchronized void setTrafficByHand(ServiceRef ref, List<TrafficEntry> traffic) {
    InMemoryService s = service(ref);
    s.settle(clock);
    s.apply(traffic);
  }

  /** The traffic the service serves (traffic_statuses). */
  public synchronized List<TrafficEntry> traffic(ServiceRef ref) {
    InMemoryService s = service(ref);
    s.settle(clock);
    return List.copyOf(s.served);
  }

  /** The traffic the service was last asked for (its spec), served once a reconcile ends. */
  public synchronized List<TrafficEntry> desired(ServiceRef ref) {
    return List.copyOf(service(ref).desired);
  }

  /** A revision as it is, without any injected fault (for a test's own view of the world). */
  public synchronized Optional<RevisionSnapshot> revisionOf(ServiceRef ref, String revision) {
    return Optional.ofNullable(service(ref).revisions.get(revision));
  }

  /** The service's latest created revision, without any injected fault. */
  public synchronized String latestCreated(ServiceRef ref) {
    return service(ref).latestCreated;
  }

  /**
   * True while the service reconciles (a deploy starting a revision, or an update not yet served).
   */
  public synchronized boolean reconciling(ServiceRef ref) {
    InMemoryService s = service(ref);
    s.settle(clock);
    return s.reconcilingUntil != null;
  }

  /** Every traffic value the gate set, in order. */
  public synchronized List<List<TrafficEntry>> updates() {
    return accepted.stream().map(Update::targets).toList();
  }

  /** Every accepted traffic update of the gate, in order. */
  public synchronized List<Update> accepted() {
    return List.copyOf(accepted);
  }

  @Override
  public synchronized ServiceSnapshot getService(ServiceRef ref) {
    InMemoryService s = service(ref);
    if (!readFaults.isEmpty()) {
      throw new CloudRunException(readFaults.poll(), "injected read fault", null);
    }
    s.settle(clock);
    return s.snapshot(ref);
  }

  @Override
  public synchronized Optional<RevisionSnapshot> getRevision(ServiceRef ref, String revision) {
    if (revisionReadFaults > 0) {
      revisionReadFaults--;
      throw new CloudRunException("UNAVAILABLE", "injected revision read fault", null);
    }
    return Optional.ofNullable(service(ref).revisions.get(revision));
  }

  @Override
  public synchronized void updateTraffic(ServiceRef ref, List<TrafficEntry> targets, String etag) {
    InMemoryService s = service(ref);
    if (!updateFaults.isEmpty()) {
      throw new CloudRunException(updateFaults.poll(), "injected update fault", null);
    }
    if (abortNext) {
      abortNext = false;
      s.etag++;
    }
    if (etag != null && !etag.equals("\"" + s.etag + "\"")) {
      throw new CloudRunException(
          "ABORTED", "etag " + etag + " does not match the service's \"" + s.etag + "\"", null);
    }
    s.checkTargets(targets);
    s.settle(clock);
    accepted.add(
        new Update(ref.resourceName(), List.copyOf(s.desired), List.copyOf(targets), clock.get()));
    if (nextOperationError
        != null) { // accepted, then failed inside its operation: nothing served changes
      s.desired = new ArrayList<>(targets);
      s.operationError = nextOperationError;
      nextOperationError = null;
      s.etag++;
      return;
    }
    s.apply(targets);
  }

  private InMemoryService service(ServiceRef ref) {
    InMemoryService s = services.get(ref.resourceName());
    if (s == null) {
      throw new CloudRunException(
          "NOT_FOUND", "service " + ref.resourceName() + " not found", null);
    }
    return s;
  }

  public static RevisionSnapshot readyRevision(String name) {
    return new RevisionSnapshot(
        name, RevisionSnapshot.ReadyState.SUCCEEDED, null, null, VpcSettings.NONE, Instant.now());
  }
}
