package dev.rungate.gate;

import dev.rungate.domain.ServiceSnapshot;
import dev.rungate.gate.commands.HandBack;
import dev.rungate.gate.outcome.Outcomes;
import dev.rungate.gate.round.Round;
import dev.rungate.gate.spec.GateSettings;
import dev.rungate.gate.status.Conditions;
import dev.rungate.gate.status.Phases;
import dev.rungate.gate.status.Reasons;
import dev.rungate.gate.traffic.TrafficPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * A new candidate revision: the stable revision it is gated against, the status reset for its
 * rollout, and the previous candidates kept at 0%.
 */
final class CandidateStart {
  private CandidateStart() {}

  static void startCandidate(Round r, GateSettings s, ServiceSnapshot svc, String candidate) {
    var st = r.status;
    List<String> previous = new ArrayList<>();
    if (st.candidateRevision != null && !st.candidateRevision.equals(st.stableRevision)) {
      previous.add(st.candidateRevision);
    }
    previous.addAll(st.previousCandidates);
    previous.removeIf(
        p ->
            p.equals(candidate)
                || p.equals(st.stableRevision)); // kept at 0% too: a person may route to one
    if (Phases.inFlight(st)
        && st.candidateRevision != null
        && !st.candidateRevision.equals(st.stableRevision)) {
      Outcomes.record(r, "Superseded", "NewCandidate");
    }
    // the recorded stable revision, never the busiest of the moment; only a policy's first
    // candidate has none yet
    String stable =
        st.stableRevision != null
            ? st.stableRevision
            : TrafficPlan.busiestExcept(svc.traffic(), previous);
    if (candidate.equals(stable)) {
      stable = null;
    }
    st.candidateRevision = candidate;
    st.candidateTag = s.tag();
    st.previousCandidates = new ArrayList<>(previous.stream().distinct().limit(5).toList());
    st.stepStartedAt = null;
    st.healthySince = null;
    st.heldSince = null;
    st.blockedAttempts = null;
    st.lastExit = null;
    st.retriedAt = null;
    st.rollback = null;
    st.reachedPercent = null;
    st.checks = new ArrayList<>();
    r.set(Conditions.ROLLED_BACK, Conditions.FALSE, Reasons.NOT_ROLLED_BACK, "Not rolled back.");
    if (stable == null) { // the candidate is the stable (or only) revision: nothing to gate
      st.stableRevision = candidate;
      st.step = null;
      st.stepPercent = null;
      // (a Promoted=True of the candidate before was about that candidate, not this one)
      r.set(
          Conditions.PROMOTED,
          Conditions.FALSE,
          Reasons.IDLE,
          "No candidate besides the stable revision " + candidate + ".");
      return;
    }
    st.stableRevision = stable;
    HandBack.handBack(r, svc, "Candidate " + candidate + " detected.");
    // (handBack dates the hand-back: an update this process sent for an earlier gating of any
    // revision is no evidence that someone undid this candidate's plan)
    st.step = 0;
    st.stepPercent = 0;
    st.lastProgressAt = r.now.toString();
    r.set(
        Conditions.PROMOTED,
        Conditions.FALSE,
        Reasons.NOT_PROMOTED,
        "Candidate " + candidate + " is being verified.");
    r.set(
        Conditions.DEPENDENCIES_READY, Conditions.UNKNOWN, Reasons.NOT_CHECKED, "Not checked yet.");
    r.set(
        Conditions.CANDIDATE_HEALTHY, Conditions.UNKNOWN, Reasons.NOT_CHECKED, "Not checked yet.");
    r.emit(
        "Normal",
        "CandidateDetected",
        "Gating candidate " + candidate + " against stable " + stable + ".");
  }
}
