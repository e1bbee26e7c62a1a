package dev.rungate.gate.status;

import dev.rungate.api.Phase;
import dev.rungate.api.ReadinessPolicyStatus;
import dev.rungate.domain.ServiceSnapshot;
import dev.rungate.gate.spec.GateSettings;
import java.util.Set;

/** Derives the one-word phase from the status, so the two never disagree. */
public final class Phases {
  public static final Set<String> BLOCKING =
      Set.of(
          Reasons.DEPENDENCY_UNREACHABLE,
          Reasons.VPC_ACCESS_MISMATCH,
          Reasons.CANDIDATE_NOT_FOUND,
          Reasons.SERVICE_NOT_FOUND,
          Reasons.CLOUD_RUN_API_ERROR,
          Reasons.CONFLICT,
          Reasons.CONFIG_DRIFT);
  static final Set<String> PAUSING =
      Set.of(
          Reasons.PAUSED_BY_USER,
          Reasons.TRAFFIC_CHANGED_OUTSIDE_GATE,
          Reasons.OUTSIDE_DEPLOY_WINDOW,
          Reasons.DEPENDENCY_MAINTENANCE,
          Reasons.NO_TRAFFIC_TO_SHIFT);

  private Phases() {}

  /** The revision this policy gates: the pinned one, else the service's latest created revision. */
  public static String candidateOf(GateSettings s, ServiceSnapshot svc) {
    return s.pinnedCandidate() != null ? s.pinnedCandidate() : svc.latestCreatedRevision();
  }

  /**
   * True while the gate owns the service's routing: from a candidate's detection until it is
   * promoted or rolled back.
   */
  public static boolean inFlight(ReadinessPolicyStatus status) {
    return status != null
        && status.step != null
        && (status.rollback == null || !Boolean.TRUE.equals(status.rollback.done))
        && !Conditions.isTrue(status.conditions, Conditions.PROMOTED);
  }

  public static Phase derive(ReadinessPolicyStatus status) {
    var conditions = status.conditions;
    String ready = Conditions.reason(conditions, Conditions.READY);
    if (Reasons.INVALID_SPEC.equals(ready)) {
      return Phase.Invalid;
    }
    if (PAUSING.contains(ready)) {
      return Phase.Paused;
    }
    // a rollback outranks what caused it: a dependency that went down mid-rollout is RollingBack,
    // not Blocked
    if (Conditions.isTrue(conditions, Conditions.ROLLED_BACK)) {
      return Phase.RolledBack;
    }
    if (status.rollback != null) {
      return Phase.RollingBack;
    }
    if (BLOCKING.contains(ready)) {
      return Phase.Blocked;
    }
    if (Conditions.isTrue(conditions, Conditions.PROMOTED)) {
      return Phase.Promoted;
    }
    if (Conditions.isTrue(conditions, Conditions.RECONCILING)) {
      return status.stepPercent == null || status.stepPercent == 0
          ? Phase.Verifying
          : Phase.Progressing;
    }
    return Phase.Idle;
  }
}
