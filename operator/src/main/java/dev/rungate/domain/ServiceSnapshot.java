package dev.rungate.domain;

import dev.rungate.api.status.TrafficEntry;
import java.util.List;
import java.util.Map;

/**
 * What the gate reads of a Cloud Run service. {@code traffic} is what the service reports serving
 * (traffic_statuses), {@code tagUrls} maps each tag to its URL. {@code settled}: the last update is
 * done (not reconciling, observed_generation == generation, terminal condition not failed, and the
 * update's long-running operation, when known, finished); a traffic move counts as reached only
 * when its traffic matches and the service is settled. {@code updateError}: Cloud Run's message
 * when the last update failed inside its operation (e.g. "Revision 'X' does not exist or is
 * deleted"), else null. {@code desired}: the traffic the service was last asked for (its traffic
 * field; a LATEST target named by the latest ready revision), which differs from {@code traffic}
 * while an update is not served yet.
 */
public record ServiceSnapshot(
    String etag,
    List<TrafficEntry> traffic,
    Map<String, String> tagUrls,
    String latestCreatedRevision,
    String latestReadyRevision,
    boolean reconciling,
    String uri,
    boolean settled,
    String updateError,
    List<TrafficEntry> desired) {

  public ServiceSnapshot {
    traffic = List.copyOf(traffic);
    tagUrls = Map.copyOf(tagUrls);
    desired = desired == null ? traffic : List.copyOf(desired);
  }

  /** A service that serves what it was asked for. */
  public ServiceSnapshot(
      String etag,
      List<TrafficEntry> traffic,
      Map<String, String> tagUrls,
      String latestCreatedRevision,
      String latestReadyRevision,
      boolean reconciling,
      String uri,
      boolean settled,
      String updateError) {
    this(
        etag,
        traffic,
        tagUrls,
        latestCreatedRevision,
        latestReadyRevision,
        reconciling,
        uri,
        settled,
        updateError,
        null);
  }

  /** A service whose state is settled exactly when it is not reconciling, with no update error. */
  public ServiceSnapshot(
      String etag,
      List<TrafficEntry> traffic,
      Map<String, String> tagUrls,
      String latestCreatedRevision,
      String latestReadyRevision,
      boolean reconciling,
      String uri) {
    this(
        etag,
        traffic,
        tagUrls,
        latestCreatedRevision,
        latestReadyRevision,
        reconciling,
        uri,
        !reconciling,
        null);
  }

  public int percentOf(String revision) {
    return traffic.stream().filter(t -> t.revision.equals(revision)).mapToInt(t -> t.percent).sum();
  }
}
