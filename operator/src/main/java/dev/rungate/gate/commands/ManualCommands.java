package dev.rungate.gate.commands;

import dev.rungate.domain.ServiceSnapshot;
import dev.rungate.gate.observed.Observation;
import dev.rungate.gate.outcome.FailureDetector;
import dev.rungate.gate.outcome.Rollback;
import dev.rungate.gate.rollout.CandidateFailures;
import dev.rungate.gate.rollout.Rollout;
import dev.rungate.gate.round.Round;
import dev.rungate.gate.spec.GateSettings;
import dev.rungate.gate.status.Conditions;
import dev.rungate.gate.status.Phases;
import dev.rungate.gate.status.Reasons;
import dev.rungate.gate.traffic.Routing;
import java.util.List;

/**
 * What abort, promote and retry do once {@link Commands} found that they belong to the current
 * candidate.
 */
final class ManualCommands {
  private ManualCommands() {}

  /** Verifies a rolled-back candidate again from step 0; returns why not, or null when done. */
  static String retry(Round r, List<String> errors, ServiceSnapshot svc) {
    var st = r.status;
    if (st.rollback == null) {
      return "candidate " + st.candidateRevision + " was not rolled back (nothing to retry)";
    }
    if (!errors.isEmpty()) {
      return "the policy is invalid (" + String.join("; ", errors) + ")";
    }
    st.step = 0;
    st.stepPercent = 0;
    st.reachedPercent = null;
    st.stepStartedAt = null;
    st.healthySince = null;
    st.lastProgressAt = r.now.toString();
    st.blockedAttempts = null;
    st.retriedAt = r.now.toString();
    st.rollback = null;
    HandBack.handBack(r, svc, "Retried by a user (rungate retry).");
    r.set(
        Conditions.ROLLED_BACK,
        Conditions.FALSE,
        Reasons.NOT_ROLLED_BACK,
        "Retried by a user (rungate retry).");
    r.stalled(false, Reasons.VERIFYING, "Retried by a user.");
    r.emit(
        "Normal",
        "Retry",
        "Candidate " + st.candidateRevision + " is verified again (rungate retry).");
    return null;
  }

  /**
   * Rolls the candidate back now, over a person's routing too (abort is a person's word); works on
   * an invalid spec.
   */
  static String abort(Round r, GateSettings s, ServiceSnapshot svc) {
    var st = r.status;
    if (!Phases.inFlight(st)) {
      return "no rollout is in flight (nothing to abort)";
    }
    if (st.rollback != null) {
      return "candidate " + st.candidateRevision + " is already being rolled back";
    }
    st.routedByHand = null; // abort is a person's word: it hands control back
    Rollback.decide(
        r,
        s,
        svc,
        Observation.ofService(svc),
        new FailureDetector.Failure(
            Reasons.MANUAL_ABORT,
            "Rollout of " + st.candidateRevision + " aborted by a user (rungate abort).",
            null));
    return null;
  }

  /**
   * Skips the remaining steps: the candidate to 100% of the gated traffic; returns why not, or null
   * when done.
   */
  static String promote(Round r, GateSettings s, List<String> errors, Observation obs) {
    ServiceSnapshot svc = obs.service();
    var st = r.status;
    if (!Phases.inFlight(st)) {
      return "no rollout is in flight (nothing to promote)";
    }
    if (st.rollback != null) {
      return "candidate "
          + st.candidateRevision
          + " is being rolled back (nothing to promote); run rungate retry first";
    }
    if (!errors.isEmpty()) {
      return "the policy is invalid (" + String.join("; ", errors) + ")";
    }
    if (s.paused()) {
      return "spec.paused is true, and a paused policy changes no traffic; resume it first";
    }
    String blocked = Conditions.reason(st.conditions, Conditions.READY);
    if (Phases.BLOCKING.contains(blocked)) {
      return "candidate "
          + st.candidateRevision
          + " is blocked ("
          + blocked
          + "); fix that first, see the Ready condition";
    }
    var failure =
        CandidateFailures.failure(
            st, s, obs, obs.candidate(), true); // failed checks count at 0% too
    if (failure.isPresent()) {
      return "candidate "
          + st.candidateRevision
          + " is failing ("
          + failure.get().reason()
          + ": "
          + failure.get().message()
          + ")";
    }
    if (obs.candidate() == null || !obs.candidate().isReady()) {
      return "candidate "
          + st.candidateRevision
          + " is not ready (Cloud Run has not reported it Ready)";
    }
    if (st.step >= s.lastStep()) {
      return "candidate "
          + st.candidateRevision
          + " is already at the last step; it is promoted when its pause ends";
    }
    if (Routing.share(st, svc) == 0) {
      return "revisions the gate does not manage serve all traffic, so there is nothing to give the candidate";
    }
    st.routedByHand = null; // promote is a person's word: it hands control back
    st.step = s.lastStep();
    st.stepPercent = 100;
    st.stepStartedAt = null;
    st.heldSince = null;
    st.lastProgressAt = r.now.toString();
    r.setTraffic(Routing.planAt(st, svc, 100), svc.etag(), "manual promote: candidate 100%");
    r.emit(
        "Normal",
        "ManualPromote",
        "Candidate " + st.candidateRevision + " moved to 100% by a user (rungate promote).");
    Rollout.inFlight(
        r,
        Reasons.TRAFFIC_MOVING,
        "Moving candidate " + st.candidateRevision + " to 100% (manual promote).");
    return null;
  }
}
