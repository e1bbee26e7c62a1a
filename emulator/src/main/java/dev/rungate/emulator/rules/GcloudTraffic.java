package dev.rungate.emulator.rules;

import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.TrafficTarget;
import com.google.cloud.run.v2.TrafficTargetAllocationType;
import com.google.cloud.run.v2.TrafficTargetStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How gcloud turns its flags into a service's traffic block (platform-facts.md, "gcloud
 * semantics"): {@code update-traffic --to-revisions} sets the named percents (LATEST names the
 * latest revision) and takes the rest from the revisions now serving, in proportion; tags change
 * only through the tag flags; a plain deploy keeps a pinned split, and {@code --no-traffic} pins
 * LATEST to the revision it serves now.
 */
public final class GcloudTraffic {
  public static final String LATEST = "LATEST";
  private static final TrafficTargetAllocationType LATEST_TYPE =
      TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST;

  private GcloudTraffic() {}

  /**
   * update-traffic: new percents (by revision or LATEST), tags to set (tag to revision) and to
   * remove.
   */
  public static List<TrafficTarget> updateTraffic(
      Service current,
      Map<String, Integer> percents,
      Map<String, String> setTags,
      Set<String> removeTags,
      boolean clearTags) {
    Map<String, Integer> split = new LinkedHashMap<>();
    Map<String, String> tags = new LinkedHashMap<>();
    for (TrafficTarget t : current.getTrafficList()) {
      String key = t.getType() == LATEST_TYPE ? LATEST : t.getRevision();
      if (t.getPercent() > 0) {
        split.merge(key, t.getPercent(), Integer::sum);
      }
      if (!t.getTag().isEmpty() && !clearTags && !removeTags.contains(t.getTag())) {
        tags.put(t.getTag(), key);
      }
    }
    if (!percents.isEmpty()) {
      split = reassign(split, percents);
    }
    tags.putAll(setTags);
    return targets(split, tags);
  }

  /**
   * deploy: the service's traffic after a deploy of {@code revision} (null: named by the server).
   */
  public static List<TrafficTarget> deploy(
      Service current, String revision, String tag, boolean noTraffic) {
    String servedByLatest =
        current.getTrafficStatusesList().stream()
            .filter(s -> s.getType() == LATEST_TYPE)
            .map(TrafficTargetStatus::getRevision)
            .filter(r -> !r.isEmpty())
            .findFirst()
            .orElse(null);
    List<TrafficTarget> out = new ArrayList<>();
    for (TrafficTarget t : current.getTrafficList()) {
      TrafficTarget.Builder b = t.toBuilder();
      if (tag != null && t.getTag().equals(tag)) {
        b.setTag("");
      }
      if (noTraffic && t.getType() == LATEST_TYPE && servedByLatest != null) {
        b.setType(TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION)
            .setRevision(servedByLatest);
      }
      if (b.getPercent() > 0 || !b.getTag().isEmpty()) {
        out.add(b.build());
      }
    }
    if (out.stream().noneMatch(t -> t.getPercent() > 0)) {
      out.add(0, target(LATEST, 100, ""));
    }
    if (tag != null) {
      out.add(target(revision, 0, tag));
    }
    return out;
  }

  /**
   * The named percents, and what is left spread over the others now serving in proportion (largest
   * remainder).
   */
  static Map<String, Integer> reassign(Map<String, Integer> now, Map<String, Integer> wanted) {
    int given = wanted.values().stream().mapToInt(Integer::intValue).sum();
    if (given > 100) {
      throw new IllegalArgumentException("--to-revisions assigns " + given + "%, more than 100%");
    }
    Map<String, Integer> out = new LinkedHashMap<>(wanted);
    Map<String, Integer> others = new LinkedHashMap<>(now);
    others.keySet().removeAll(wanted.keySet());
    int left = 100 - given;
    int base = others.values().stream().mapToInt(Integer::intValue).sum();
    if (left > 0 && base == 0) {
      throw new IllegalArgumentException(
          "--to-revisions assigns "
              + given
              + "% and no other revision serves "
              + "traffic to take the remaining "
              + left
              + "%: assign 100% in total");
    }
    Map<String, Double> exact = new LinkedHashMap<>();
    others.forEach((k, v) -> exact.put(k, (double) v * left / Math.max(1, base)));
    int assigned = 0;
    for (Map.Entry<String, Double> e : exact.entrySet()) {
      out.put(e.getKey(), (int) Math.floor(e.getValue()));
      assigned += (int) Math.floor(e.getValue());
    }
    List<String> byRemainder = new ArrayList<>(exact.keySet());
    byRemainder.sort(
        Comparator.comparingDouble((String k) -> exact.get(k) - Math.floor(exact.get(k)))
            .reversed());
    for (int i = 0; assigned < left && i < byRemainder.size(); i++, assigned++) {
      out.merge(byRemainder.get(i), 1, Integer::sum);
    }
    out.values().removeIf(p -> p == 0);
    return out;
  }

  private static List<TrafficTarget> targets(Map<String, Integer> split, Map<String, String> tags) {
    List<TrafficTarget> out = new ArrayList<>();
    Map<String, String> untaggedTags = new LinkedHashMap<>(tags);
    split.forEach(
        (key, percent) -> {
          String tag =
              untaggedTags.entrySet().stream()
                  .filter(e -> e.getValue().equals(key))
                  .map(Map.Entry::getKey)
                  .findFirst()
                  .orElse("");
          untaggedTags.remove(tag);
          out.add(target(key, percent, tag));
        });
    untaggedTags.forEach((tag, key) -> out.add(target(key, 0, tag)));
    return out;
  }

  public static TrafficTarget target(String revisionOrLatest, int percent, String tag) {
    TrafficTarget.Builder t = TrafficTarget.newBuilder().setPercent(percent).setTag(tag);
    if (LATEST.equals(revisionOrLatest)) {
      return t.setType(LATEST_TYPE).build();
    }
    return t.setType(TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION)
        .setRevision(revisionOrLatest)
        .build();
  }
}
