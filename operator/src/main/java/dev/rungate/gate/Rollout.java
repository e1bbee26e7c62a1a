package dev.rungate.gate;

import dev.rungate.api.Durations;
import dev.rungate.api.ReadinessPolicySpec;
import dev.rungate.api.ReadinessPolicyStatus;
import dev.rungate.api.TrafficEntry;
import dev.rungate.cloudrun.RevisionSnapshot;
import dev.rungate.cloudrun.ServiceSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A candidate in flight: verify at 0%, then step traffic up with pauses, or roll back. Order matters:
 * a person's routing is respected first, failures roll back before any hold (pause, invalid edit,
 * deploy window) is considered, and forward moves come last.
 */
final class Rollout {
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private Rollout() {}

  static void advance(Round r, GateSettings s, ReadinessPolicySpec spec, Observation obs, List<String> errors) {
    var st = r.status;
    ServiceSnapshot svc = obs.service();
    RevisionSnapshot rev = obs.candidate();
    if (errors.isEmpty()) {
      StepEdits.remap(r, s);
    }
    CheckVerdicts.record(r, obs);
    boolean settled = svc.settled();
    List<TrafficEntry> plan = planAt(st, svc, st.stepPercent);
    if (settled && !knownRouting(st, svc, plan)) {
      Outcomes.trafficChangedOutsideGate(r, svc, plan, "step " + st.step);
      return;
    }
    Optional<Block> drift = st.step == 0 ? InstanceChecks.drift(spec, obs) : Optional.empty(); // Memorystore ConfigDrift:
    if (drift.isPresent()) { // before any traffic, and before the boot failure it causes (the root cause, with the fix)
      block(r, drift.get().reason(), drift.get().message());
      return;
    }
    Optional<FailureDetector.Failure> failure =
        FailureDetector.of(st.candidateRevision, rev, obs.exits(), s.failOnExitCodes(), st.retriedAt)
            .or(() -> st.step > 0 ? CheckVerdicts.failureWithTraffic(obs) : Optional.empty())
            .or(() -> s.paused() || !errors.isEmpty() ? Optional.empty() : deadlinePassed(r, s));
    if (failure.isPresent()) {
      Rollback.decide(r, s, svc, obs, failure.get());
      return;
    }
    if (s.paused()) {
      r.hold(Reasons.PAUSED_BY_USER, "spec.paused is true: the rollout holds at step " + st.step + " ("
          + st.stepPercent + "%); set it to false to continue.", false, Round.IDLE);
      return;
    }
    if (!errors.isEmpty()) {
      r.hold(Reasons.INVALID_SPEC, "The policy is invalid: " + String.join("; ", errors) + ". The rollout of "
          + st.candidateRevision + " holds at step " + st.step + " (" + st.stepPercent + "%); failures still roll"
          + " back. Fix the spec to continue.", true, Round.IDLE);
      return;
    }
    if (!settled || !TrafficPlan.matches(svc.traffic(), plan)) {
      move(r, svc, plan, obs);
      return;
    }
    stepReached(r);
    if (rev == null) {
      block(r, Reasons.CANDIDATE_NOT_FOUND, "Revision " + st.candidateRevision + " does not exist in service "
          + spec.service.name + (obs.revisionError() == null ? "" : " or could not be read (" + obs.revisionError() + ")")
          + ". Deploy it, or fix spec.candidate.revision.");
      return;
    }
    if (!rev.isReady()) {
      r.set(Conditions.CANDIDATE_HEALTHY, Conditions.UNKNOWN, Reasons.REVISION_NOT_READY,
          "Waiting for Cloud Run to report revision " + rev.name() + " ready.");
      inFlight(r, Reasons.REVISION_NOT_READY, "Waiting for candidate " + rev.name() + " to become ready.");
      return;
    }
    Optional<String> vpc = VpcCheck.mismatch(spec.revision == null ? null : spec.revision.vpcAccess, rev.vpc());
    if (vpc.isPresent()) {
      failOrBlock(r, s, svc, obs, Reasons.VPC_ACCESS_MISMATCH, vpc.get());
      return;
    }
    Optional<Block> instance = InstanceChecks.beforeTraffic(spec, obs); // Memorystore: ConfigDrift, VPC vs instance network
    if (instance.isPresent()) {
      failOrBlock(r, s, svc, obs, instance.get().reason(), instance.get().message());
      return;
    }
    Optional<CheckVerdicts.Verdict> checks = CheckVerdicts.atStepZero(r, s, spec, obs);
    if (checks.isPresent()) {
      if (checks.get().block()) {
        block(r, checks.get().reason(), checks.get().message());
      } else {
        st.healthySince = null;
        inFlight(r, Reasons.VERIFYING, checks.get().message());
      }
      return;
    }
    if (Signals.blind(obs)) {
      inFlight(r, Reasons.EXIT_SIGNALS_UNAVAILABLE, Signals.unavailable(obs));
      return;
    }
    healthy(r, s, spec, obs);
  }

  /** Every check passed at the current step: hold for its pause, then promote or take the next step. */
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
      inFlight(r, step == 0 ? Reasons.VERIFYING : Reasons.PROGRESSING, "Candidate " + st.candidateRevision
          + " healthy at " + st.stepPercent + "%; the next step is due at " + due + ".");
      Duration left = Duration.between(r.now, due);
      r.requeue(left.compareTo(Round.FAST) < 0 ? left : Round.FAST);
      return;
    }
    if (step == s.lastStep()) {
      Outcomes.promote(r, svc);
      return;
    }
    if (InstanceChecks.holdNextStep(r, s, spec, obs, step)) { // Memorystore maintenance: hold, never a rollback
      return;
    }
    if (InstanceChecks.holdNextStep(r, s, spec, obs, step)) { // Memorystore maintenance: hold, never a rollback
      return;
    }
    Optional<Instant> opens = Schedules.outsideWindow(spec.rollout == null ? null : spec.rollout.window, r.now);
    if (opens.isPresent()) {
      String message = "Candidate " + st.candidateRevision + " is healthy at " + st.stepPercent + "%; the next step"
          + " waits for the deploy window (spec.rollout.window), which opens at " + opens.get() + ".";
      Duration until = Duration.between(r.now, opens.get());
      r.hold(Reasons.OUTSIDE_DEPLOY_WINDOW, message, false,
          until.compareTo(Round.IDLE) > 0 ? Round.IDLE : until.compareTo(Round.FAST) < 0 ? Round.FAST : until);
      return;
    }
    st.step = step + 1;
    st.stepPercent = s.percentAt(step + 1);
    st.stepStartedAt = null;
    st.lastProgressAt = r.now.toString();
    r.setTraffic(planAt(st, svc, st.stepPercent), svc.etag(), "step " + st.step + ": candidate " + st.stepPercent + "%");
    r.emit("Normal", "StepStarted", "Moving candidate " + st.candidateRevision + " to " + st.stepPercent + "% of traffic.");
    inFlight(r, Reasons.TRAFFIC_MOVING, "Moving candidate " + st.candidateRevision + " to " + st.stepPercent + "%.");
  }

  /** The gate's plan with the candidate at {@code percent}: stable and candidate share what other routes leave. */
  static List<TrafficEntry> planAt(ReadinessPolicyStatus st, ServiceSnapshot svc, int percent) {
    return TrafficPlan.plan(st.stableRevision, st.candidateRevision, st.candidateTag, percent, svc.traffic(),
        st.previousCandidates);
  }

  /**
   * Routing the gate itself set or is moving to: the current step's plan, the last reached step's plan, or the
   * 0% plan of a rollback; before the first step is reached, whatever the service served. Anything else was a person.
   */
  static boolean knownRouting(ReadinessPolicyStatus st, ServiceSnapshot svc, List<TrafficEntry> plan) {
    List<TrafficEntry> now = svc.traffic();
    return st.reachedPercent == null || TrafficPlan.matches(now, plan)
        || st.stepPercent != null && TrafficPlan.matches(now, planAt(st, svc, st.stepPercent))
        || TrafficPlan.matches(now, planAt(st, svc, st.reachedPercent)) || TrafficPlan.matches(now, planAt(st, svc, 0));
  }

  /** The service is not (yet) at the plan: send it, unless Cloud Run is still reconciling the previous update. */
  private static void move(Round r, ServiceSnapshot svc, List<TrafficEntry> plan, Observation obs) {
    var st = r.status;
    String refused = refusal(obs);
    if (!svc.settled() && refused == null) {
      inFlight(r, Reasons.TRAFFIC_MOVING, "Waiting for Cloud Run to finish the traffic update for step " + st.step
          + " (the service is reconciling).");
      return;
    }
    r.setTraffic(plan, svc.etag(), "step " + st.step + ": candidate " + st.stepPercent + "%");
    if (refused != null) {
      inFlight(r, Reasons.TRAFFIC_UPDATE_FAILED, "Cloud Run refused the traffic update for step " + st.step + ": "
          + refused + ". Retrying.");
      r.requeue(Round.FAST.multipliedBy(5));
      return;
    }
    inFlight(r, Reasons.TRAFFIC_MOVING, "Moving candidate " + st.candidateRevision + " to " + st.stepPercent + "%.");
  }

  /** Cloud Run's refusal of the last update: on the call (this operator saw it) or inside its operation. */
  static String refusal(Observation obs) {
    if (obs.lastUpdateError() != null) {
      return obs.lastUpdateError();
    }
    return obs.service().updateError();
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
      r.emit("Normal", "StepReached", "Candidate " + st.candidateRevision + " serves " + st.stepPercent + "%.");
    }
  }

  private static Optional<FailureDetector.Failure> deadlinePassed(Round r, GateSettings s) {
    var st = r.status;
    if (st.heldSince != null || st.lastProgressAt == null) {
      return Optional.empty();
    }
    Duration hold = s.holdAt(Math.min(st.step, s.lastStep()));
    Instant deadline = Instant.parse(st.lastProgressAt).plus(s.progressDeadline()).plus(hold);
    if (!r.now.isAfter(deadline)) {
      return Optional.empty();
    }
    return Optional.of(new FailureDetector.Failure(Reasons.PROGRESS_DEADLINE_EXCEEDED, "Candidate "
        + st.candidateRevision + " made no progress at step " + st.step + " for "
        + Durations.format(s.progressDeadline()) + " (spec.rollout.progressDeadline).", null));
  }

  /** Before traffic moved, a failure blocks and is re-checked with backoff; after, it rolls back. */
  private static void failOrBlock(Round r, GateSettings s, ServiceSnapshot svc, Observation obs, String reason,
      String message) {
    if (r.status.step > 0) {
      Rollback.decide(r, s, svc, obs, new FailureDetector.Failure(reason, message, null));
    } else {
      block(r, reason, message);
    }
  }

  /** Blocked before any traffic moved: nothing moves; re-checked with backoff (1 s doubling to 30 s). */
  private static void block(Round r, String reason, String message) {
    var st = r.status;
    int attempts = st.blockedAttempts == null ? 0 : st.blockedAttempts;
    st.blockedAttempts = attempts + 1;
    st.healthySince = null;
    r.hold(reason, message + " The candidate stays at 0%; re-checking.", false, Round.backoff(attempts));
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
