package dev.rungate.gate;

import dev.rungate.api.Phase;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Set;

/** Derives the one-word phase from the conditions, so the two never disagree. */
public final class Phases {
  static final Set<String> BLOCKING = Set.of(
      Reasons.DEPENDENCY_UNREACHABLE, Reasons.VPC_ACCESS_MISMATCH, Reasons.CANDIDATE_NOT_FOUND,
      Reasons.SERVICE_NOT_FOUND, Reasons.CLOUD_RUN_API_ERROR, Reasons.CONFIG_DRIFT);

  private Phases() {}

  public static Phase derive(List<Condition> conditions, Integer step) {
    String ready = Conditions.reason(conditions, Conditions.READY);
    if (Reasons.INVALID_SPEC.equals(ready)) {
      return Phase.Invalid;
    }
    if (Conditions.isTrue(conditions, Conditions.ROLLED_BACK)) {
      return Phase.RolledBack;
    }
    if (Conditions.isTrue(conditions, Conditions.PROMOTED)) {
      return Phase.Promoted;
    }
    if (Reasons.PAUSED_BY_USER.equals(ready) || Reasons.TRAFFIC_CHANGED_OUTSIDE_GATE.equals(ready)
        || Reasons.OUTSIDE_DEPLOY_WINDOW.equals(ready) || Reasons.DEPENDENCY_MAINTENANCE.equals(ready)) {
      return Phase.Paused;
    }
    if (BLOCKING.contains(ready)) {
      return Phase.Blocked;
    }
    if (Conditions.isTrue(conditions, Conditions.RECONCILING)) {
      return step == null || step == 0 ? Phase.Verifying : Phase.Progressing;
    }
    return Phase.Idle;
  }
}
