package dev.rungate.gate.rollout;

import dev.rungate.api.ReadinessPolicySpec;
import dev.rungate.domain.ServiceSnapshot;
import dev.rungate.gate.observed.Observation;
import dev.rungate.gate.outcome.Outcomes;
import dev.rungate.gate.round.Round;
import dev.rungate.gate.spec.GateSettings;
import dev.rungate.gate.spec.Schedules;
import dev.rungate.gate.status.Reasons;
import dev.rungate.gate.traffic.Routing;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A candidate at its planned step: marks the step reached, holds it for its pause while every check
 * passes, then takes the next step or promotes; Memorystore maintenance or a closed deploy window
 * holds the next step.
 */
final class StepProgress {
  private StepProgress() {}

  /**
   * Every check passed at the current step: hold for its pause, then promote or take the next step.
   */
  static void healthy(Round r, GateSettings s, ReadinessPolicySpec spec, Observation obs) {
    var st = r.status;
    ServiceSnapshot svc = obs.service();
    int step = st.step;
    st.blockedAttempts = null;
    if (st.healthySince == null) {
      st.healthySince = r.now.toString();
    }
    Instant since = later(Instant.parse(st.stepStartedAt), Instant.parse(st.healthySince));
    Instant due = since.plus(s.holdAt(step));
    if (r.now.isBefore(due)) {
      Rollout.inFlight(
          r,
          Routing.withTraffic(st, svc) ? Reasons.PROGRESSING : Reasons.VERIFYING,
          "Candidate "
              + st.candidateRevision
              + " healthy at "
              + st.stepPercent
              + "%; the next step is due at "
              + due
              + ".");
      Duration left = Duration.between(r.now, due);
      r.requeue(left.compareTo(Round.FAST) < 0 ? left : Round.FAST);
      return;
    }
    if (Routing.share(st, svc)
        == 0) { // other routes hold all traffic: a step would give nothing, a promotion lie
      r.hold(
          Reasons.NO_TRAFFIC_TO_SHIFT,
          "Revisions the gate does not manage serve all traffic ("
              + svc.traffic()
              + "), so there is nothing to shift from "
              + st.stableRevision
              + " to candidate "
              + st.candidateRevision
              + ". Route traffic to "
              + st.stableRevision
              + " (all of it makes it the stable revision) to continue.",
          true,
          Round.FAST.multipliedBy(5));
      return;
    }
    if (step == s.lastStep()) {
      Outcomes.promote(r, svc);
      return;
    }
    if (nextStepHeld(r, s, spec, obs, step)) {
      return;
    }
    st.step = step + 1;
    st.stepPercent = s.percentAt(step + 1);
    st.stepStartedAt = null;
    st.lastProgressAt = r.now.toString();
    r.setTraffic(
        Routing.planAt(st, svc, st.stepPercent),
        svc.etag(),
        "step " + st.step + ": candidate " + st.stepPercent + "%");
    r.emit(
        "Normal",
        "StepStarted",
        "Moving candidate " + st.candidateRevision + " to " + st.stepPercent + "% of traffic.");
    Rollout.inFlight(
        r,
        Reasons.TRAFFIC_MOVING,
        "Moving candidate " + st.candidateRevision + " to " + st.stepPercent + "%.");
  }

  /**
   * Memorystore maintenance or a closed deploy window holds the next step (never a rollback); true
   * when held.
   */
  static boolean nextStepHeld(
      Round r, GateSettings s, ReadinessPolicySpec spec, Observation obs, int step) {
    if (InstanceChecks.holdNextStep(r, s, spec, obs, step)) {
      return true;
    }
    Optional<Instant> opens =
        Schedules.outsideWindow(spec.rollout == null ? null : spec.rollout.window, r.now);
    if (opens.isEmpty()) {
      return false;
    }
    String message =
        "Candidate "
            + r.status.candidateRevision
            + " is healthy at "
            + r.status.stepPercent
            + "%; the"
            + " next step waits for the deploy window (spec.rollout.window), which opens at "
            + opens.get()
            + ".";
    Duration until = Duration.between(r.now, opens.get());
    r.hold(
        Reasons.OUTSIDE_DEPLOY_WINDOW,
        message,
        false,
        until.compareTo(Round.IDLE) > 0
            ? Round.IDLE
            : until.compareTo(Round.FAST) < 0 ? Round.FAST : until);
    return true;
  }

  static void stepReached(Round r) {
    var st = r.status;
    if (st.stepStartedAt != null && Objects.equals(st.reachedPercent, st.stepPercent)) {
      return;
    }
    st.stepStartedAt = r.now.toString();
    st.lastProgressAt = r.now.toString();
    st.reachedPercent = st.stepPercent;
    if (st.step > 0) {
      r.emit(
          "Normal",
          "StepReached",
          "Candidate " + st.candidateRevision + " serves " + st.stepPercent + "%.");
    }
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
