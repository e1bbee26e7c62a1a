package dev.rungate.gate;

import dev.rungate.api.TrafficEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * Absolute traffic targets for a step: stable 100-p, candidate p under its tag, both pinned by
 * name. Repeating a plan is harmless. Other revisions' tags at 0% are kept as they are.
 */
public final class TrafficPlan {
  private TrafficPlan() {}

  public static List<TrafficEntry> split(String stable, String candidate, String tag, int candidatePercent) {
    List<TrafficEntry> plan = new ArrayList<>();
    if (!stable.equals(candidate)) {
      plan.add(new TrafficEntry(stable, 100 - candidatePercent, null));
    }
    plan.add(new TrafficEntry(candidate, stable.equals(candidate) ? 100 : candidatePercent, tag));
    return plan;
  }

  /** The plan plus the observed 0% tagged targets of other revisions, so the gate never drops someone's tag. */
  public static List<TrafficEntry> withForeignTags(List<TrafficEntry> plan, List<TrafficEntry> observed) {
    List<TrafficEntry> targets = new ArrayList<>(plan);
    for (TrafficEntry o : observed) {
      boolean ours = plan.stream().anyMatch(p -> p.revision.equals(o.revision) || (o.tag != null && o.tag.equals(p.tag)));
      if (!ours && o.tag != null && o.percent == 0) {
        targets.add(new TrafficEntry(o.revision, 0, o.tag));
      }
    }
    return targets;
  }

  /** True when the service serves exactly the plan's percentages, with the plan's tags on the planned revisions. */
  public static boolean matches(List<TrafficEntry> observed, List<TrafficEntry> plan) {
    for (TrafficEntry p : plan) {
      if (percentOf(observed, p.revision) != p.percent) {
        return false;
      }
      if (p.tag != null && observed.stream().noneMatch(o -> p.tag.equals(o.tag) && p.revision.equals(o.revision))) {
        return false;
      }
    }
    int planned = plan.stream().mapToInt(p -> p.percent).sum();
    int served = plan.stream().mapToInt(p -> percentOf(observed, p.revision)).sum();
    return planned == served && observed.stream().mapToInt(o -> o.percent).sum() == served;
  }

  public static int percentOf(List<TrafficEntry> traffic, String revision) {
    return traffic.stream().filter(t -> revision.equals(t.revision)).mapToInt(t -> t.percent).sum();
  }

  /** The revision serving the most traffic other than {@code except}, or null. */
  public static String busiestExcept(List<TrafficEntry> traffic, String except) {
    return traffic.stream()
        .filter(t -> t.percent > 0 && !t.revision.equals(except))
        .max((a, b) -> Integer.compare(a.percent, b.percent))
        .map(t -> t.revision).orElse(null);
  }
}
