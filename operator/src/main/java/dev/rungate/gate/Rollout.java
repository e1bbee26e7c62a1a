package dev.rungate.gate;

import dev.rungate.api.ReadinessPolicySpec;
import dev.rungate.api.ReadinessPolicyStatus;
import dev.rungate.api.checks.Durations;
import dev.rungate.api.status.TrafficEntry;
import dev.rungate.domain.RevisionSnapshot;
import dev.rungate.domain.ServiceSnapshot;
import dev.rungate.gate.instances.VpcCheck;
import dev.rungate.gate.observed.Observation;
import dev.rungate.gate.spec.GateSettings;
import dev.rungate.gate.spec.Schedules;
import dev.rungate.gate.status.Block;
import dev.rungate.gate.status.Conditions;
import dev.rungate.gate.status.Reasons;
import dev.rungate.gate.traffic.Routing;
import dev.rungate.gate.traffic.TrafficPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A candidate in flight: verify at 0%, then step traffic up with pauses, or roll back. Order
 * matters: a person's routing is respected first, failures roll back before any hold (pause,
 * invalid edit, deploy window) is considered, and forward moves come last.
 */
final class Rollout {
  private Rollout() {}

  static void advance(
      Round r, GateSettings s, ReadinessPolicySpec spec, Observation obs, List<String> errors) {
    var st = r.status;
    ServiceSnapshot svc = obs.service();
    RevisionSnapshot rev = obs.candidate();
    if (errors.isEmpty()) {
      StepEdits.remap(r, s, svc);
    }
    CheckVerdicts.record(r, obs);
    boolean settled = svc.settled();
    List<TrafficEntry> plan = Routing.forExisting(Routing.planAt(st, svc, st.stepPercent), st, obs);
    if (Routing.changedByPerson(st, svc, plan, obs)) {
      Outcomes.personRouted(r, s, svc, plan, "step " + st.step, failure(st, s, obs, rev, false));
      return;
    }
    st.routedByHand = null; // restored (or never changed): the gate's own routing again
    boolean withTraffic = Routing.withTraffic(st, svc);
    if (!s.paused()
        && Routing.returnsTraffic(
            st, svc, plan)) { // more on candidates than planned goes back first:
      move(
          r, svc, plan,
          obs); // nothing about the candidate (drift, checks, an invalid edit) holds that back
      return;
    }
    Optional<Block> drift =
        withTraffic
            ? Optional.empty()
            : InstanceChecks.drift(spec, obs); // Memorystore ConfigDrift:
    if (drift.isPresent()) { // before any traffic, and before the boot failure it causes (the root
      // cause, with the fix)
      block(r, drift.get().reason(), drift.get().message(), false);
      return;
    }
    Optional<FailureDetector.Failure> failure =
        failure(st, s, obs, rev, withTraffic)
            .or(
                () ->
                    s.paused() || !errors.isEmpty() ? Optional.empty() : deadlinePassed(r, s, obs));
    if (failure.isPresent()) {
      Rollback.decide(r, s, svc, obs, failure.get());
      return;
    }
    if (s.paused()) {
      r.hold(
          Reasons.PAUSED_BY_USER,
          "spec.paused is true: the rollout holds at step "
              + st.step
              + " ("
              + st.stepPercent
              + "%); set it to false to continue.",
          false,
          Round.IDLE);
      return;
    }
    if (!errors.isEmpty()) {
      r.hold(
          Reasons.INVALID_SPEC,
          "The policy is invalid: "
              + String.join("; ", errors)
              + ". The rollout of "
              + st.candidateRevision
              + " holds at step "
              + st.step
              + " ("
              + st.stepPercent
              + "%); failures still roll"
              + " back. Fix the spec to continue.",
          true,
          Round.IDLE);
      return;
    }
    if (!settled || !TrafficPlan.matches(svc.traffic(), plan)) {
      boolean forward =
          TrafficPlan.percentOf(plan, st.candidateRevision) > svc.percentOf(st.candidateRevision);
      if (forward
          && Signals.blind(
              obs)) { // a move decided before exits went unseen waits until they are seen again
        inFlight(r, Signals.blindReason(obs), Signals.unavailable(obs));
        return;
      }
      if (forward && nextStepHeld(r, s, spec, obs, Math.max(st.step - 1, 0))) {
        return;
      }
      move(r, svc, plan, obs);
      return;
    }
    stepReached(r);
    if (rev == null
        && !obs.exitsRead()) { // this round read another revision: the next one reads the candidate
      inFlight(
          r, Reasons.VERIFYING, "Candidate " + st.candidateRevision + " detected; verifying it.");
      return;
    }
    if (rev == null) {
      block(
          r,
          Reasons.CANDIDATE_NOT_FOUND,
          "Revision "
              + st.candidateRevision
              + " does not exist in service "
              + spec.service.name
              + (obs.revisionError() == null
                  ? ""
                  : " or could not be read (" + obs.revisionError() + ")")
              + ". Deploy it, or fix spec.candidate.revision.",
          withTraffic);
      return;
    }
    if (!rev.isReady()) {
      r.set(
          Conditions.CANDIDATE_HEALTHY,
          Conditions.UNKNOWN,
          Reasons.REVISION_NOT_READY,
          "Waiting for Cloud Run to report revision " + rev.name() + " ready.");
      inFlight(
          r,
          Reasons.REVISION_NOT_READY,
          "Waiting for candidate " + rev.name() + " to become ready.");
      return;
    }
    Optional<String> vpc =
        VpcCheck.mismatch(spec.revision == null ? null : spec.revision.vpcAccess, rev.vpc());
    if (vpc.isPresent()) {
      failOrBlock(r, s, svc, obs, withTraffic, Reasons.VPC_ACCESS_MISMATCH, vpc.get());
      return;
    }
    Optional<Block> instance =
        InstanceChecks.beforeTraffic(
            spec, obs); // Memorystore: ConfigDrift, VPC vs instance network
    if (instance.isPresent()) {
      failOrBlock(r, s, svc, obs, withTraffic, instance.get().reason(), instance.get().message());
      return;
    }
    Optional<CheckVerdicts.Verdict> checks = CheckVerdicts.atStepZero(r, s, spec, obs);
    if (checks.isPresent()) {
      if (checks.get().block()) {
        block(r, checks.get().reason(), checks.get().message(), false);
      } else {
        st.healthySince = null;
        inFlight(r, Reasons.VERIFYING, checks.get().message());
      }
      return;
    }
    if (Signals.blind(obs)) {
      inFlight(r, Signals.blindReason(obs), Signals.unavailable(obs));
      return;
    }
    healthy(r, s, spec, obs);
  }

  /**
   * Every check passed at the current step: hold for its pause, then promote or take the next step.
   */
  private static void healthy(Round r, GateSettings s, ReadinessPolicySpec spec, Observation obs) {
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
      inFlight(
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
    inFlight(
        r,
        Reasons.TRAFFIC_MOVING,
        "Moving candidate " + st.candidateRevision + " to " + st.stepPercent + "%.");
  }

  /**
   * Memorystore maintenance or a closed deploy window holds the next step (never a rollback); true
   * when held.
   */
  private static boolean nextStepHeld(
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

  /**
   * The service is not (yet) at the plan: send it. A forward move waits while Cloud Run reconciles
   * an update it accepted; a move that only takes traffic away from candidates is sent at once,
   * unless this process already had it accepted.
   */
  private static void move(Round r, ServiceSnapshot svc, List<TrafficEntry> plan, Observation obs) {
    var st = r.status;
    String refused = Routing.refusal(obs);
    boolean returning = Routing.returnsTraffic(st, svc, plan) && !Routing.accepted(obs, plan);
    if (!svc.settled() && refused == null && !returning) {
      inFlight(
          r,
          Reasons.TRAFFIC_MOVING,
          "Waiting for Cloud Run to finish the traffic update for step "
              + st.step
              + " (the service is reconciling).");
      return;
    }
    r.setTraffic(plan, svc.etag(), "step " + st.step + ": candidate " + st.stepPercent + "%");
    if (refused != null) {
      inFlight(
          r,
          Reasons.TRAFFIC_UPDATE_FAILED,
          "Cloud Run refused the traffic update for step "
              + st.step
              + ": "
              + refused
              + ". Retrying.");
      r.requeue(Round.FAST.multipliedBy(5));
      return;
    }
    inFlight(
        r,
        Reasons.TRAFFIC_MOVING,
        "Moving candidate " + st.candidateRevision + " to " + st.stepPercent + "%.");
  }

  private static void stepReached(Round r) {
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

  /**
   * An exit or a failed revision at any time; a failed dependency or probe while the candidate has
   * traffic.
   */
  static Optional<FailureDetector.Failure> failure(
      ReadinessPolicyStatus st,
      GateSettings s,
      Observation obs,
      RevisionSnapshot rev,
      boolean withTraffic) {
    return FailureDetector.of(
            st.candidateRevision, rev, obs.exits(), s.failOnExitCodes(), st.retriedAt)
        .or(() -> withTraffic ? CheckVerdicts.failureWithTraffic(obs) : Optional.empty());
  }

  /**
   * No progress for spec.rollout.progressDeadline: counted from the last progress, or from when
   * this process began watching without a gap if that is later, so operator downtime or a clock
   * jump is never blamed on the candidate.
   */
  private static Optional<FailureDetector.Failure> deadlinePassed(
      Round r, GateSettings s, Observation obs) {
    var st = r.status;
    if (st.heldSince != null || st.lastProgressAt == null) {
      return Optional.empty();
    }
    Instant from = Instant.parse(st.lastProgressAt);
    Instant watching = obs.process().watchingSince();
    if (watching != null && watching.isAfter(from)) {
      from = watching;
    }
    Duration hold = s.holdAt(Math.min(st.step, s.lastStep()));
    if (!r.now.isAfter(from.plus(s.progressDeadline()).plus(hold))) {
      return Optional.empty();
    }
    return Optional.of(
        new FailureDetector.Failure(
            Reasons.PROGRESS_DEADLINE_EXCEEDED,
            "Candidate "
                + st.candidateRevision
                + " made no progress at step "
                + st.step
                + " for "
                + Durations.format(s.progressDeadline())
                + " (spec.rollout.progressDeadline).",
            null));
  }

  /**
   * Before traffic moved, a failure blocks and is re-checked with backoff; after, it rolls back.
   */
  private static void failOrBlock(
      Round r,
      GateSettings s,
      ServiceSnapshot svc,
      Observation obs,
      boolean withTraffic,
      String reason,
      String message) {
    if (withTraffic) {
      Rollback.decide(r, s, svc, obs, new FailureDetector.Failure(reason, message, null));
    } else {
      block(r, reason, message, false);
    }
  }

  /** Blocked: nothing moves; re-checked with backoff (1 s doubling to 30 s). */
  private static void block(Round r, String reason, String message, boolean withTraffic) {
    var st = r.status;
    int attempts = st.blockedAttempts == null ? 0 : st.blockedAttempts;
    st.blockedAttempts = attempts + 1;
    st.healthySince = null;
    r.hold(
        reason,
        message
            + (withTraffic
                ? " The candidate keeps its " + st.stepPercent + "%; re-checking."
                : " The candidate stays at 0%; re-checking."),
        false,
        Round.backoff(attempts));
    r.reconciling(true, reason, message);
  }

  static void inFlight(Round r, String reason, String message) {
    r.ready(false, reason, message);
    r.reconciling(true, reason, message);
    r.stalled(false, reason, message);
    r.requeue(Round.FAST);
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
