package dev.rungate.cloudrun;

import dev.rungate.api.ServiceRef;
import dev.rungate.api.TrafficEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Cloud Run held in memory: services with traffic, revisions with a Ready state, and every
 * traffic update kept in order. For tests of the reconciler.
 */
public class InMemoryCloudRun implements CloudRun {
  private final Map<String, Service> services = new HashMap<>();
  private final List<List<TrafficEntry>> updates = new ArrayList<>();
  private final java.util.ArrayDeque<String> readFaults = new java.util.ArrayDeque<>();
  private final java.util.ArrayDeque<String> updateFaults = new java.util.ArrayDeque<>();

  /** The next {@code times} reads of a service fail with this gRPC code. */
  public synchronized void failReads(String code, int times) {
    for (int i = 0; i < times; i++) {
      readFaults.add(code);
    }
  }

  /** The next {@code times} traffic updates fail with this gRPC code (e.g. PERMISSION_DENIED, UNAVAILABLE). */
  public synchronized void failUpdates(String code, int times) {
    for (int i = 0; i < times; i++) {
      updateFaults.add(code);
    }
  }

  /** Forgets the faults not used yet. */
  public synchronized void clearFaults() {
    readFaults.clear();
    updateFaults.clear();
  }

  /** Someone changed the service without touching traffic (e.g. its env): the etag moves on. */
  public synchronized void touch(ServiceRef ref) {
    service(ref).etag++;
  }

  /** Replaces a revision's state (e.g. its Ready condition failed). */
  public synchronized void replaceRevision(ServiceRef ref, RevisionSnapshot revision) {
    service(ref).revisions.put(revision.name(), revision);
  }

  private static final class Service {
    List<TrafficEntry> traffic = new ArrayList<>();
    final Map<String, RevisionSnapshot> revisions = new HashMap<>();
    String latestCreated;
    int etag = 1;
  }

  /** Adds a revision (at 0%, no tag) and makes it the latest created one. */
  public synchronized void deploy(ServiceRef ref, RevisionSnapshot revision) {
    Service s = services.computeIfAbsent(ref.resourceName(), k -> new Service());
    s.revisions.put(revision.name(), revision);
    s.latestCreated = revision.name();
    s.etag++;
  }

  /** Sets traffic as someone with gcloud would: not through the gate. */
  public synchronized void setTrafficByHand(ServiceRef ref, List<TrafficEntry> traffic) {
    Service s = service(ref);
    s.traffic = new ArrayList<>(traffic);
    s.etag++;
  }

  public synchronized List<TrafficEntry> traffic(ServiceRef ref) {
    return List.copyOf(service(ref).traffic);
  }

  /** Every traffic value the gate set, in order. */
  public synchronized List<List<TrafficEntry>> updates() {
    return List.copyOf(updates);
  }

  @Override
  public synchronized ServiceSnapshot getService(ServiceRef ref) {
    Service s = service(ref);
    if (!readFaults.isEmpty()) {
      throw new CloudRunException(readFaults.poll(), "injected read fault", null);
    }
    String latestReady = s.revisions.values().stream().filter(RevisionSnapshot::isReady)
        .max((a, b) -> a.createTime().compareTo(b.createTime())).map(RevisionSnapshot::name).orElse(null);
    Map<String, String> tagUrls = new HashMap<>();
    s.traffic.stream().filter(t -> t.tag != null)
        .forEach(t -> tagUrls.put(t.tag, "http://" + t.tag + "---" + ref.name + ".local"));
    return new ServiceSnapshot("\"" + s.etag + "\"", s.traffic, tagUrls, s.latestCreated, latestReady, false,
        "http://" + ref.name + ".local");
  }

  @Override
  public synchronized Optional<RevisionSnapshot> getRevision(ServiceRef ref, String revision) {
    return Optional.ofNullable(service(ref).revisions.get(revision));
  }

  @Override
  public synchronized void updateTraffic(ServiceRef ref, List<TrafficEntry> targets, String etag) {
    Service s = service(ref);
    if (!updateFaults.isEmpty()) {
      throw new CloudRunException(updateFaults.poll(), "injected update fault", null);
    }
    if (etag != null && !etag.equals("\"" + s.etag + "\"")) {
      throw new CloudRunException("ABORTED", "etag " + etag + " does not match the service's \"" + s.etag + "\"", null);
    }
    for (TrafficEntry t : targets) {
      if (!s.revisions.containsKey(t.revision)) {
        throw new CloudRunException("INVALID_ARGUMENT", "revision " + t.revision + " does not exist", null);
      }
    }
    int sum = targets.stream().mapToInt(t -> t.percent).sum();
    if (sum != 100) {
      throw new CloudRunException("INVALID_ARGUMENT", "traffic percents add up to " + sum + ", not 100", null);
    }
    long tags = targets.stream().filter(t -> t.tag != null).map(t -> t.tag).distinct().count();
    if (tags != targets.stream().filter(t -> t.tag != null).count()) {
      throw new CloudRunException("INVALID_ARGUMENT", "a tag is used twice: " + targets, null);
    }
    s.traffic = new ArrayList<>(targets);
    s.etag++;
    updates.add(List.copyOf(targets));
  }

  private Service service(ServiceRef ref) {
    Service s = services.get(ref.resourceName());
    if (s == null) {
      throw new CloudRunException("NOT_FOUND", "service " + ref.resourceName() + " not found", null);
    }
    return s;
  }

  public static RevisionSnapshot readyRevision(String name) {
    return new RevisionSnapshot(name, RevisionSnapshot.ReadyState.SUCCEEDED, null, null, VpcSettings.NONE, Instant.now());
  }
}
