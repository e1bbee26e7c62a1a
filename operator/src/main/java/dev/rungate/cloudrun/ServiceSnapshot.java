package dev.rungate.cloudrun;

import dev.rungate.api.TrafficEntry;
import java.util.List;
import java.util.Map;

/**
 * What the gate reads of a Cloud Run service. {@code traffic} is what the service reports serving
 * (traffic_statuses), {@code tagUrls} maps each tag to its URL.
 */
public record ServiceSnapshot(
    String etag,
    List<TrafficEntry> traffic,
    Map<String, String> tagUrls,
    String latestCreatedRevision,
    String latestReadyRevision,
    boolean reconciling,
    String uri) {

  public ServiceSnapshot {
    traffic = List.copyOf(traffic);
    tagUrls = Map.copyOf(tagUrls);
  }

  public int percentOf(String revision) {
    return traffic.stream().filter(t -> t.revision.equals(revision)).mapToInt(t -> t.percent).sum();
  }
}
