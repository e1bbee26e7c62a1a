package dev.rungate.cloudrun;

import dev.rungate.api.spec.ServiceRef;
import dev.rungate.api.status.TrafficEntry;
import dev.rungate.domain.RevisionSnapshot;
import dev.rungate.domain.ServiceSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One service of the {@link InMemoryCloudRun}: the traffic it serves and was asked for, its
 * revisions, etag and reconcile. Guarded by the InMemoryCloudRun's lock.
 */
final class InMemoryService {
  List<TrafficEntry> served = new ArrayList<>();
  List<TrafficEntry> desired = new ArrayList<>();
  final Map<String, RevisionSnapshot> revisions = new HashMap<>();
  String latestCreated;
  int etag = 1;
  Instant reconcilingUntil;
  String operationError;

  /** The service as the Admin API reports it (after {@link #settle}). */
  ServiceSnapshot snapshot(ServiceRef ref) {
    String latestReady =
        revisions.values().stream()
            .filter(RevisionSnapshot::isReady)
            .max((a, b) -> a.createTime().compareTo(b.createTime()))
            .map(RevisionSnapshot::name)
            .orElse(null);
    Map<String, String> tagUrls = new HashMap<>();
    served.stream()
        .filter(t -> t.tag != null)
        .forEach(t -> tagUrls.put(t.tag, "http://" + t.tag + "---" + ref.name + ".local"));
    boolean reconciling = reconcilingUntil != null;
    return new ServiceSnapshot(
        "\"" + etag + "\"",
        served,
        tagUrls,
        latestCreated,
        latestReady,
        reconciling,
        "http://" + ref.name + ".local",
        !reconciling && operationError == null,
        operationError,
        desired);
  }

  /**
   * Refuses traffic targets as the Admin API does: a revision that does not exist, percents that do
   * not add up to 100, a tag used twice.
   */
  void checkTargets(List<TrafficEntry> targets) {
    for (TrafficEntry t : targets) {
      if (!revisions.containsKey(t.revision)) {
        throw new CloudRunException(
            "INVALID_ARGUMENT", "revision " + t.revision + " does not exist", null);
      }
    }
    int sum = targets.stream().mapToInt(t -> t.percent).sum();
    if (sum != 100) {
      throw new CloudRunException(
          "INVALID_ARGUMENT", "traffic percents add up to " + sum + ", not 100", null);
    }
    long tags = targets.stream().filter(t -> t.tag != null).map(t -> t.tag).distinct().count();
    if (tags != targets.stream().filter(t -> t.tag != null).count()) {
      throw new CloudRunException("INVALID_ARGUMENT", "a tag is used twice: " + targets, null);
    }
  }

  /** Asks for this traffic: served at once unless the service reconciles. */
  void apply(List<TrafficEntry> traffic) {
    desired = new ArrayList<>(traffic);
    operationError = null;
    if (reconcilingUntil == null) {
      served = new ArrayList<>(traffic);
    }
    etag++;
  }

  /** A reconcile that has ended (by the clock) serves what was asked for last. */
  void settle(Supplier<Instant> clock) {
    if (reconcilingUntil != null && !clock.get().isBefore(reconcilingUntil)) {
      reconcilingUntil = null;
      if (operationError == null) {
        served = new ArrayList<>(desired);
      }
      etag++;
    }
  }
}
