package dev.rungate.gate.outcome;

import dev.rungate.api.ReadinessPolicyStatus;
import dev.rungate.api.status.RollbackStatus;
import dev.rungate.api.status.TrafficEntry;
import dev.rungate.domain.ServiceSnapshot;
import dev.rungate.gate.observed.Observation;
import dev.rungate.gate.round.Round;
import dev.rungate.gate.spec.GateSettings;
import dev.rungate.gate.status.Conditions;
import dev.rungate.gate.status.Reasons;
import dev.rungate.gate.traffic.Routing;
import dev.rungate.gate.traffic.TrafficPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A rollback from decision to done. Deciding records the failure (the intent); the traffic is then
 * sent at once, whether or not Cloud Run is still reconciling an earlier update, and re-sent with
 * backoff while Cloud Run refuses it. RolledBack=True is written only once the service reports the
 * stable revision's traffic back. After that the gate sends nothing more: a person may route by
 * hand.
 */
public final class Rollback {
  /**
   * An accepted update that the service still does not show after this long is sent again (e.g.
   * after a crash).
   */
  public static final Duration RESEND_AFTER = Duration.ofSeconds(2);

  /**
   * Rollback reasons that are the candidate's own fault, so CandidateHealthy turns False with them.
   */
  private static final Set<String> CANDIDATE_FAULTS =
      Set.of(
          Reasons.WORKER_BOOT_ERROR,
          Reasons.APP_LOAD_ERROR,
          Reasons.CONTAINER_EXITED,
          Reasons.CONTAINER_FAILED_TO_START,
          Reasons.REVISION_FAILED,
          Reasons.PROBE_FAILED);

  /** Rollbacks a person asked for (rungate abort, a revert): they override routing by hand. */
  private static final Set<String> ASKED_FOR = Set.of(Reasons.MANUAL_ABORT, Reasons.REVERTED);

  private Rollback() {}

  /** Decides the rollback for {@code f}; one a person asked for overrides the routing asked now. */
  public static void decide(
      Round r, GateSettings s, ServiceSnapshot svc, Observation obs, FailureDetector.Failure f) {
    decide(r, s, svc, obs, f, true);
  }

  /**
   * Decides the rollback, records it (the intent) and proceeds with it. {@code override}: for a
   * rollback a person asked for, whether it overrides the routing the service is asked for now (not
   * when that routing may be newer).
   */
  public static void decide(
      Round r,
      GateSettings s,
      ServiceSnapshot svc,
      Observation obs,
      FailureDetector.Failure f,
      boolean override) {
    var st = r.status;
    if (CANDIDATE_FAULTS.contains(f.reason())) {
      r.set(Conditions.CANDIDATE_HEALTHY, Conditions.FALSE, f.reason(), f.message());
    }
    RollbackStatus rb = new RollbackStatus();
    rb.reason = f.reason();
    rb.message = f.message();
    rb.failureAt = f.exit() != null && f.exit().at != null ? f.exit().at : r.now.toString();
    rb.decidedAt = r.now.toString();
    rb.failedAttempts = 0;
    if (ASKED_FOR.contains(f.reason()) && override) {
      rb.overrides = new ArrayList<>(svc.desired());
    }
    st.rollback = rb;
    if (f.exit() != null) {
      st.lastExit = f.exit();
    }
    st.stepStartedAt = null;
    st.healthySince = null;
    st.heldSince = null;
    r.set(
        Conditions.PROMOTED,
        Conditions.FALSE,
        Reasons.NOT_PROMOTED,
        "Candidate " + st.candidateRevision + " is rolled back.");
    proceed(r, s, svc, obs);
  }

  /** Carries the recorded rollback on, from sending its traffic to done (see the class comment). */
  public static void proceed(Round r, GateSettings s, ServiceSnapshot svc, Observation obs) {
    var st = r.status;
    RollbackStatus rb = st.rollback;
    List<TrafficEntry> plan = Routing.forExisting(Routing.planAt(st, svc, 0), st, obs);
    boolean settled = svc.settled();
    if (settled && (TrafficPlan.matches(svc.traffic(), plan) || nothingLeftOnCandidates(st, svc))) {
      Outcomes.adoptManualRouting(
          r, svc); // a person's full route to another revision makes it the stable one
      done(r, svc);
      return;
    }
    if (Boolean.TRUE.equals(rb.done)) {
      String message =
          "After the rollback of "
              + st.candidateRevision
              + " someone routed traffic by hand: the service"
              + " serves "
              + svc.traffic()
              + ". The gate leaves it; the next candidate is gated against "
              + st.stableRevision
              + " (or against the one revision that serves all traffic).";
      if (!Outcomes.adoptManualRouting(r, svc)) { // all of it on the candidate: promoted by hand
        Routing.holdFor(st, svc.traffic());
        r.set(
            Conditions.ROLLED_BACK,
            Conditions.FALSE,
            Reasons.TRAFFIC_CHANGED_OUTSIDE_GATE,
            message);
        r.hold(Reasons.TRAFFIC_CHANGED_OUTSIDE_GATE, message, true, Round.IDLE);
      }
      return;
    }
    if (takenOverByPerson(st, svc, obs)) {
      Outcomes.personRouted(r, s, svc, plan, "the rollback", Optional.empty());
      return;
    }
    if (s.paused()) {
      r.hold(
          Reasons.PAUSED_BY_USER,
          rb.message
              + " The rollback to "
              + st.stableRevision
              + " is held because"
              + " spec.paused is true: the gate changes no traffic. Set it to false to roll back.",
          true,
          Round.IDLE);
      return;
    }
    st.routedByHand = null;
    st.heldSince = null;
    String refused = Routing.refusal(obs);
    boolean failing = refused != null && rb.sentAt != null;
    if (failing && !rb.sentAt.equals(rb.failedSendAt)) {
      rb.failedAttempts = (rb.failedAttempts == null ? 0 : rb.failedAttempts) + 1;
      rb.failedSendAt = rb.sentAt;
      rb.lastError = refused;
    } else if (!failing) {
      rb.lastError = null;
    }
    Duration wait = failing ? backoff(rb.failedAttempts) : RESEND_AFTER;
    boolean due = due(r, rb, wait, failing || settled || !Objects.equals(rb.sentAt, rb.acceptedAt));
    if (due) {
      rb.sentAt = r.now.toString();
      r.setTraffic(
          plan,
          svc.etag(),
          "rollback to " + st.stableRevision + ", " + rb.reason,
          Instant.parse(rb.failureAt));
    }
    report(r, st, rb, failing);
    r.requeue(failing && !due ? wait : Round.FAST);
  }

  /**
   * The rollback is sent now: never sent; or the recorded send lies in the future (this replica's
   * clock is behind the one that wrote it); or {@code wait} has passed since it was sent and there
   * is reason to send again: Cloud Run refused it, the service settled without it, or this process
   * did not have it accepted (it was sent by a process that died, so it may never have reached
   * Cloud Run), whether or not the service is reconciling.
   */
  private static boolean due(Round r, RollbackStatus rb, Duration wait, boolean reason) {
    if (rb.sentAt == null) {
      return true;
    }
    Instant sent = Instant.parse(rb.sentAt);
    return r.now.isBefore(sent) || reason && !r.now.isBefore(sent.plus(wait));
  }

  /**
   * A person routed the service while the rollback was under way: the gate does not send its
   * rollback over it. A rollback a person asked for overrides the routing they had set before,
   * until Cloud Run accepted it.
   */
  public static boolean takenOverByPerson(
      ReadinessPolicyStatus st, ServiceSnapshot svc, Observation obs) {
    var rb = st.rollback;
    if (rb == null || !Routing.changedByPerson(st, svc, Routing.planAt(st, svc, 0), obs)) {
      return false;
    }
    // a rollback a person asked for overrides the routing it was asked over, until Cloud Run
    // accepted it; a routing asked for since then is newer, and stands
    return !ASKED_FOR.contains(rb.reason)
        || rb.acceptedAt != null
        || !Reasons.MANUAL_ABORT.equals(rb.reason) && rb.overrides == null
        || rb.overrides != null && !TrafficPlan.samePercents(svc.desired(), rb.overrides);
  }

  /**
   * Records that Cloud Run accepted the rollback this process sent (it remembers that only until it
   * stops).
   */
  public static void noteAccepted(ReadinessPolicyStatus st, Observation obs) {
    var rb = st.rollback;
    var at = obs.process().acceptedAt();
    if (rb != null
        && rb.sentAt != null
        && rb.acceptedAt == null
        && at != null
        && rb.sentAt.equals(at.toString())) {
      rb.acceptedAt = rb.sentAt;
    }
  }

  /**
   * The candidate (and any earlier one) serves nothing: what a rollback is for is true, tag or not.
   */
  private static boolean nothingLeftOnCandidates(ReadinessPolicyStatus st, ServiceSnapshot svc) {
    return svc.percentOf(st.candidateRevision) == 0
        && st.previousCandidates.stream().allMatch(p -> svc.percentOf(p) == 0);
  }

  private static void report(
      Round r, ReadinessPolicyStatus st, RollbackStatus rb, boolean failing) {
    r.set(
        Conditions.ROLLED_BACK,
        Conditions.FALSE,
        Reasons.ROLLING_BACK,
        "Rolling back to "
            + st.stableRevision
            + "; Cloud Run has not reported the traffic back yet.");
    if (failing) {
      String message =
          "Rolling back "
              + st.candidateRevision
              + " to "
              + st.stableRevision
              + " ("
              + rb.reason
              + ") failed "
              + rb.failedAttempts
              + (rb.failedAttempts == 1 ? " time" : " times")
              + ": "
              + rb.lastError
              + ". Retrying with backoff; the candidate still serves what the service reports.";
      r.ready(false, Reasons.ROLLBACK_FAILED, message);
      r.reconciling(true, Reasons.ROLLBACK_FAILED, message);
      r.stalled(true, Reasons.ROLLBACK_FAILED, message);
      return;
    }
    String message =
        rb.message
            + " Rolling back: all of the candidate's traffic goes to "
            + st.stableRevision
            + ".";
    r.ready(false, rb.reason, message);
    r.reconciling(true, Reasons.ROLLING_BACK, message);
    r.stalled(true, rb.reason, message);
  }

  /**
   * Cloud Run reports the candidate (and every earlier one) at 0%: the rollback is true, and says
   * what serves.
   */
  private static void done(Round r, ServiceSnapshot svc) {
    var st = r.status;
    RollbackStatus rb = st.rollback;
    String where =
        svc.percentOf(st.stableRevision) == 100
            ? "Traffic is back on " + st.stableRevision
            : "The service serves " + svc.traffic();
    String message =
        rb.message + " " + where + "; the candidate stays at 0% under tag " + st.candidateTag + ".";
    if (!Boolean.TRUE.equals(rb.done)) {
      rb.done = true;
      rb.lastError = null;
      Outcomes.record(r, "RolledBack", rb.reason);
    }
    st.heldSince = null;
    r.set(Conditions.ROLLED_BACK, Conditions.TRUE, rb.reason, message);
    r.ready(false, rb.reason, message);
    r.reconciling(false, rb.reason, "Rolled back.");
    r.stalled(true, rb.reason, message);
    r.requeue(Round.IDLE);
  }

  static Duration backoff(Integer failures) {
    return Round.backoff(failures == null ? 0 : failures - 1);
  }
}
