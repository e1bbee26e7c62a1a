package dev.rungate.reconciler.model;

import dev.rungate.api.ReadinessPolicyStatus;
import dev.rungate.api.status.TrafficEntry;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;

/**
 * Helpers of the model on policies and their parts: valid rollout steps, a status's size as JSON,
 * traffic with the tags of what is served now, traffic after a deploy that moves a tag.
 */
final class ModelPolicies {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private ModelPolicies() {}

  static boolean validSteps(List<Integer> steps) {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i) < 1 || steps.get(i) > 100 || i > 0 && steps.get(i) <= steps.get(i - 1)) {
        return false;
      }
    }
    return !steps.isEmpty() && steps.get(steps.size() - 1) == 100;
  }

  static int sizeOf(ReadinessPolicyStatus s) {
    return s == null ? 0 : JSON.asJson(s).length();
  }

  static List<TrafficEntry> withTagsOf(List<TrafficEntry> now, List<TrafficEntry> routed) {
    List<TrafficEntry> out = new ArrayList<>(routed);
    now.stream()
        .filter(t -> t.tag != null)
        .forEach(t -> out.add(new TrafficEntry(t.revision, 0, t.tag)));
    return out;
  }

  /**
   * The traffic after gcloud run deploy --no-traffic --tag TAG: Cloud Run keeps a tag on one
   * revision, so it moves from the revision that had it (dropped if that route is at 0%) to the new
   * revision at 0%.
   */
  static List<TrafficEntry> withTagMoved(List<TrafficEntry> asked, String revision, String tag) {
    List<TrafficEntry> out = new ArrayList<>();
    for (TrafficEntry t : asked) {
      if (!tag.equals(t.tag)) {
        out.add(t);
      } else if (t.percent != null && t.percent > 0) {
        out.add(new TrafficEntry(t.revision, t.percent, null));
      }
    }
    out.add(new TrafficEntry(revision, 0, tag));
    return out;
  }
}
