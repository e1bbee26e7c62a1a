package dev.rungate.gate.rollout;

import dev.rungate.api.ReadinessPolicySpec;
import dev.rungate.api.status.TrafficEntry;
import dev.rungate.domain.RevisionSnapshot;
import dev.rungate.domain.ServiceSnapshot;
import dev.rungate.gate.instances.VpcCheck;
import dev.rungate.gate.observed.Observation;
import dev.rungate.gate.outcome.FailureDetector;
import dev.rungate.gate.outcome.Outcomes;
import dev.rungate.gate.outcome.Rollback;
import dev.rungate.gate.round.Round;
import dev.rungate.gate.spec.GateSettings;
import dev.rungate.gate.status.Block;
import dev.rungate.gate.status.Conditions;
import dev.rungate.gate.status.Reasons;
import dev.rungate.gate.traffic.Routing;
import dev.rungate.gate.traffic.TrafficPlan;
import java.util.List;
import java.util.Optional;

/**
 * A candidate in flight: verify at 0%, then step traffic up with pauses, or roll back. Order
 * matters: a person's routing is respected first, failures roll back before any hold (pause,
 * invalid edit, deploy window) is considered, and forward moves come last.
 */
public final class Rollout {
  private Rollout() {}

  /** The round of a candidate in flight and not rolling back (see the class comment). */
  public static void advance(
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
      Outcomes.personRouted(
          r, s, svc, plan, "step " + st.step, CandidateFailures.failure(st, s, obs, rev, false));
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
        CandidateFailures.failure(st, s, obs, rev, withTraffic)
            .or(
                () ->
                    s.paused() || !errors.isEmpty()
                        ? Optional.empty()
                        : CandidateFailures.deadlinePassed(r, s, obs));
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
      if (forward && StepProgress.nextStepHeld(r, s, spec, obs, Math.max(st.step - 1, 0))) {
        return;
      }
      move(r, svc, plan, obs);
      return;
    }
    StepProgress.stepReached(r);
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
    StepProgress.healthy(r, s, spec, obs);
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

  /** A healthy rollout in progress: Ready and Stalled False, Reconciling True; look again soon. */
  public static void inFlight(Round r, String reason, String message) {
    r.ready(false, reason, message);
    r.reconciling(true, reason, message);
    r.stalled(false, reason, message);
    r.requeue(Round.FAST);
  }
}
