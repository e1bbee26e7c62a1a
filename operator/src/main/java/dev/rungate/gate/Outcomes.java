package dev.rungate.gate;

import dev.rungate.api.HistoryEntry;
import dev.rungate.api.ReadinessPolicySpec;
import dev.rungate.api.TrafficEntry;
import dev.rungate.cloudrun.ServiceSnapshot;
import java.util.List;

/** The states a candidate ends in, and the resting ones: each sets every condition, so none is left stale. */
final class Outcomes {
  static final int HISTORY = 10;

  private Outcomes() {}

  static void promote(Round r, ServiceSnapshot svc) {
    String candidate = r.status.candidateRevision;
    String message = "Candidate " + candidate + " serves 100% of the gated traffic; it is the new stable revision.";
    r.set(Conditions.PROMOTED, Conditions.TRUE, Reasons.PROMOTED, message);
    r.set(Conditions.ROLLED_BACK, Conditions.FALSE, Reasons.NOT_ROLLED_BACK, "Not rolled back.");
    r.ready(true, Reasons.PROMOTED, message);
    r.reconciling(false, Reasons.PROMOTED, "Rollout finished.");
    r.stalled(false, Reasons.PROMOTED, "Rollout finished.");
    record(r, "Promoted", Reasons.PROMOTED);
    r.status.stableRevision = candidate;
    r.status.previousCandidates = new java.util.ArrayList<>();
    r.status.heldSince = null;
    r.requeue(Round.IDLE);
  }

  /** No rollout in flight and nothing to gate. */
  static void idle(Round r, ServiceSnapshot svc, String why) {
    r.status.step = null;
    r.status.stepPercent = null;
    r.status.stepStartedAt = null;
    r.status.heldSince = null;
    adoptManualRouting(r, svc);
    r.ready(true, Reasons.IDLE, why);
    r.reconciling(false, Reasons.IDLE, why);
    r.stalled(false, Reasons.IDLE, why);
    r.requeue(Round.IDLE);
  }

  /**
   * While no rollout is in flight, a person who routes all traffic to one revision makes it the stable one:
   * the next candidate is gated against it and a rollback returns to it.
   */
  static void adoptManualRouting(Round r, ServiceSnapshot svc) {
    String sole = !svc.settled() ? null : TrafficPlan.soleRevision(svc.traffic());
    if (sole != null && !sole.equals(r.status.stableRevision)) {
      if (r.status.stableRevision != null) {
        r.emit("Normal", "StableAdopted", "All traffic is on " + sole + " (routed outside the gate); it is the stable"
            + " revision from now on instead of " + r.status.stableRevision + ".");
      }
      r.status.stableRevision = sole;
    }
  }

  static void invalid(Round r, List<String> errors) {
    String message = "The policy is invalid and moves no traffic: " + String.join("; ", errors);
    r.ready(false, Reasons.INVALID_SPEC, message);
    r.reconciling(false, Reasons.INVALID_SPEC, "Waiting for a valid spec.");
    r.stalled(true, Reasons.INVALID_SPEC, message);
    r.requeue(Round.IDLE);
  }

  /** Another policy gates the same service: this one moves nothing, so the two never fight over its traffic. */
  static void conflict(Round r, ReadinessPolicySpec spec, String other) {
    String message = "Policy " + other + " already gates Cloud Run service " + spec.service.name + " ("
        + spec.service.project + "/" + spec.service.region + "); this policy moves no traffic. Delete one of the two,"
        + " or point this one at another service.";
    r.ready(false, Reasons.CONFLICT, message);
    r.reconciling(false, Reasons.CONFLICT, message);
    r.stalled(true, Reasons.CONFLICT, message);
    r.requeue(Round.IDLE);
  }

  static void trafficChangedOutsideGate(Round r, ServiceSnapshot svc, List<TrafficEntry> plan, String what) {
    String message = "The service serves " + svc.traffic() + " but " + what + " planned " + plan
        + ". Someone else changed traffic; the gate will not overwrite it. Restore the planned traffic to continue,"
        + " run rungate abort (back to stable) or retry, or deploy a new candidate.";
    r.hold(Reasons.TRAFFIC_CHANGED_OUTSIDE_GATE, message, true, Round.FAST.multipliedBy(5));
  }

  static void record(Round r, String outcome, String reason) {
    r.status.history.add(0, new HistoryEntry(r.status.candidateRevision, outcome, reason, r.now.toString()));
    while (r.status.history.size() > HISTORY) {
      r.status.history.remove(r.status.history.size() - 1);
    }
  }
}
