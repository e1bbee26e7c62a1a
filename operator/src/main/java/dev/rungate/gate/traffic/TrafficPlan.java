package dev.rungate.gate.traffic;

import dev.rungate.api.status.TrafficEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Absolute traffic targets for a step, pinned by revision name. The gate moves traffic only between
 * the stable revision and the candidate (and takes it away from a superseded candidate); every
 * other route stays as the service reports it: other revisions keep their percent, and every tag
 * other than the gate's own stays where it is. The candidate's percent is a share of what those
 * routes leave, so with no other routes it is exactly the step's percent. Repeating a plan is
 * harmless.
 */
public final class TrafficPlan {
  private TrafficPlan() {}

  /**
   * The targets for {@code percent} on the candidate; {@code managed} lists the revisions whose
   * percent the gate assigns.
   */
  public static List<TrafficEntry> plan(
      String stable,
      String candidate,
      String tag,
      int percent,
      List<TrafficEntry> observed,
      Collection<String> managed) {
    int others =
        observed.stream()
            .filter(o -> !isManaged(o.revision, stable, candidate, managed))
            .mapToInt(o -> o.percent)
            .sum();
    int share = Math.max(0, 100 - others);
    int onCandidate = stable.equals(candidate) ? share : percent * share / 100;
    List<TrafficEntry> targets = new ArrayList<>();
    if (!stable.equals(candidate)) { // named even at 0%, so every update pins both revisions
      targets.add(new TrafficEntry(stable, share - onCandidate, null));
    }
    targets.add(new TrafficEntry(candidate, onCandidate, tag));
    for (TrafficEntry o : observed) {
      if (o.tag != null && o.tag.equals(tag)) { // the gate's own tag goes with the candidate
        if (!isManaged(o.revision, stable, candidate, managed) && o.percent > 0) {
          targets.add(
              new TrafficEntry(o.revision, o.percent, null)); // someone's percent under it stays
        }
        continue;
      }
      if (isManaged(o.revision, stable, candidate, managed)) {
        if (o.tag != null) {
          targets.add(
              new TrafficEntry(
                  o.revision, 0, o.tag)); // someone's tag on a managed revision: kept, 0%
        }
      } else {
        targets.add(
            new TrafficEntry(o.revision, o.percent, o.tag)); // someone's route: kept as it is
      }
    }
    return targets;
  }

  /** A plan for a service with no other routes (tests, and the simple case). */
  public static List<TrafficEntry> split(
      String stable, String candidate, String tag, int candidatePercent) {
    return plan(stable, candidate, tag, candidatePercent, List.of(), List.of());
  }

  /**
   * True when both route the same: the same percent on every revision and the same tags on the same
   * revisions.
   */
  public static boolean matches(List<TrafficEntry> observed, List<TrafficEntry> plan) {
    return sameRouting(observed, plan, null);
  }

  /**
   * True when both route the same: the same percents and tags, except where {@code ownTag} points
   * (the gate's candidate tag, which a pipeline's next deploy moves to its new revision).
   */
  public static boolean sameRouting(List<TrafficEntry> a, List<TrafficEntry> b, String ownTag) {
    Set<String> tagsA = tags(a);
    Set<String> tagsB = tags(b);
    if (ownTag != null) {
      tagsA.removeIf(t -> t.startsWith(ownTag + "->"));
      tagsB.removeIf(t -> t.startsWith(ownTag + "->"));
    }
    return percents(a).equals(percents(b)) && tagsA.equals(tagsB);
  }

  /** True when both give every revision the same percent (tags aside). */
  public static boolean samePercents(List<TrafficEntry> a, List<TrafficEntry> b) {
    return percents(a).equals(percents(b));
  }

  public static int percentOf(List<TrafficEntry> traffic, String revision) {
    return traffic.stream().filter(t -> revision.equals(t.revision)).mapToInt(t -> t.percent).sum();
  }

  /** The revision serving the most traffic other than {@code except}, or null. */
  public static String busiestExcept(List<TrafficEntry> traffic, Collection<String> except) {
    Map<String, Integer> byRevision = percents(traffic);
    return byRevision.entrySet().stream()
        .filter(e -> !except.contains(e.getKey()))
        .max(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey)
        .orElse(null);
  }

  /** The one revision serving 100%, or null when traffic is split (or empty). */
  public static String soleRevision(List<TrafficEntry> traffic) {
    Map<String, Integer> byRevision = percents(traffic);
    return byRevision.size() == 1 && byRevision.values().iterator().next() == 100
        ? byRevision.keySet().iterator().next()
        : null;
  }

  private static boolean isManaged(
      String revision, String stable, String candidate, Collection<String> managed) {
    return revision.equals(stable) || revision.equals(candidate) || managed.contains(revision);
  }

  private static Map<String, Integer> percents(List<TrafficEntry> traffic) {
    Map<String, Integer> byRevision = new TreeMap<>();
    for (TrafficEntry t : traffic) {
      if (t.percent != null && t.percent > 0) {
        byRevision.merge(t.revision, t.percent, Integer::sum);
      }
    }
    return byRevision;
  }

  private static Set<String> tags(List<TrafficEntry> traffic) {
    Set<String> tags = new TreeSet<>();
    traffic.stream().filter(t -> t.tag != null).forEach(t -> tags.add(t.tag + "->" + t.revision));
    return tags;
  }
}
