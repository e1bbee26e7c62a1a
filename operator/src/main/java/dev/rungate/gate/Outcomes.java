package dev.rungate.gate;

import dev.rungate.api.HistoryEntry;
import dev.rungate.api.TrafficEntry;
import dev.rungate.cloudrun.ServiceSnapshot;
import java.util.List;

/** The states a candidate ends in, and the resting ones: each sets every condition, so none is left stale. */
final class Outcomes {
  static final int HISTORY = 10;

  private Outcomes() {}

  /** Rollback reasons that are the candidate's own fault, so CandidateHealthy turns False with them. */
  private static final java.util.Set<String> CANDIDATE_FAULTS = java.util.Set.of(Reasons.WORKER_BOOT_ERROR,
      Reasons.APP_LOAD_ERROR, Reasons.CONTAINER_EXITED, Reasons.CONTAINER_FAILED_TO_START, Reasons.REVISION_FAILED,
      Reasons.PROBE_FAILED);

  static void rollBack(Round r, GateSettings s, ServiceSnapshot svc, FailureDetector.Failure f) {
    String stable = r.status.stableRevision;
    if (CANDIDATE_FAULTS.contains(f.reason())) {
      r.set(Conditions.CANDIDATE_HEALTHY, Conditions.FALSE, f.reason(), f.message());
    }
    String message = f.message() + " Traffic is back on " + stable + " (100%); the candidate stays at 0% under tag "
        + s.tag() + ".";
    r.set(Conditions.ROLLED_BACK, Conditions.TRUE, f.reason(), message);
    r.set(Conditions.PROMOTED, Conditions.FALSE, Reasons.NOT_PROMOTED, "Candidate " + r.status.candidateRevision
        + " was rolled back.");
    r.ready(false, f.reason(), message);
    r.reconciling(false, f.reason(), "Rolled back.");
    r.stalled(true, f.reason(), message);
    if (f.exit() != null) {
      r.status.lastExit = f.exit();
    }
    record(r, "RolledBack", f.reason());
    r.status.stepStartedAt = null;
    ensureRolledBack(r, s, svc);
  }

  /** Re-issues the rollback traffic until the service reports it (also after a crash mid-rollback). */
  static void ensureRolledBack(Round r, GateSettings s, ServiceSnapshot svc) {
    List<TrafficEntry> plan = TrafficPlan.split(r.status.stableRevision, r.status.candidateRevision, s.tag(), 0);
    settle(r, svc, plan, "rollback to " + r.status.stableRevision);
  }

  static void promote(Round r, ServiceSnapshot svc) {
    String candidate = r.status.candidateRevision;
    String message = "Candidate " + candidate + " serves 100% of traffic; it is the new stable revision.";
    r.set(Conditions.PROMOTED, Conditions.TRUE, Reasons.PROMOTED, message);
    r.set(Conditions.ROLLED_BACK, Conditions.FALSE, Reasons.NOT_ROLLED_BACK, "Not rolled back.");
    r.ready(true, Reasons.PROMOTED, message);
    r.reconciling(false, Reasons.PROMOTED, "Rollout finished.");
    r.stalled(false, Reasons.PROMOTED, "Rollout finished.");
    record(r, "Promoted", Reasons.PROMOTED);
    r.status.stableRevision = candidate;
    r.requeue(Round.IDLE);
  }

  static void idle(Round r, String why) {
    r.status.step = null;
    r.status.stepStartedAt = null;
    r.ready(true, Reasons.IDLE, why);
    r.reconciling(false, Reasons.IDLE, why);
    r.stalled(false, Reasons.IDLE, why);
    r.requeue(Round.IDLE);
  }

  static void invalid(Round r, List<String> errors) {
    String message = "The policy is invalid and moves no traffic: " + String.join("; ", errors);
    r.ready(false, Reasons.INVALID_SPEC, message);
    r.reconciling(false, Reasons.INVALID_SPEC, "Waiting for a valid spec.");
    r.stalled(true, Reasons.INVALID_SPEC, message);
    r.requeue(Round.IDLE);
  }

  static void trafficChangedOutsideGate(Round r, ServiceSnapshot svc, List<TrafficEntry> plan) {
    String message = "The service serves " + svc.traffic() + " but step " + r.status.step + " planned " + plan
        + ". Someone else changed traffic; the gate will not overwrite it. Restore the planned traffic to continue,"
        + " or set a new candidate.";
    r.ready(false, Reasons.TRAFFIC_CHANGED_OUTSIDE_GATE, message);
    r.reconciling(false, Reasons.TRAFFIC_CHANGED_OUTSIDE_GATE, message);
    r.stalled(true, Reasons.TRAFFIC_CHANGED_OUTSIDE_GATE, message);
    r.status.lastProgressAt = r.now.toString();
    r.requeue(Round.FAST.multipliedBy(5));
  }

  /** Asks for the plan until the service reports it; never issues a move while Cloud Run is still reconciling one. */
  static void settle(Round r, ServiceSnapshot svc, List<TrafficEntry> plan, String why) {
    if (TrafficPlan.matches(svc.traffic(), plan)) {
      r.requeue(Round.IDLE);
      return;
    }
    if (!svc.reconciling()) {
      r.setTraffic(TrafficPlan.withForeignTags(plan, svc.traffic()), svc.etag(), why);
    }
    r.requeue(Round.FAST);
  }

  static void record(Round r, String outcome, String reason) {
    r.status.history.add(0, new HistoryEntry(r.status.candidateRevision, outcome, reason, r.now.toString()));
    while (r.status.history.size() > HISTORY) {
      r.status.history.remove(r.status.history.size() - 1);
    }
  }
}
