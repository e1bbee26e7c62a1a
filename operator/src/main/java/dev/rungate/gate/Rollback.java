package dev.rungate.gate;

import dev.rungate.api.ReadinessPolicyStatus;
import dev.rungate.api.RollbackStatus;
import dev.rungate.api.TrafficEntry;
import dev.rungate.cloudrun.ServiceSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A rollback from decision to done. Deciding records the failure (the intent); the traffic is then sent at
 * once, whether or not Cloud Run is still reconciling an earlier update, and re-sent with backoff while
 * Cloud Run refuses it. RolledBack=True is written only once the service reports the stable revision's
 * traffic back. After that the gate sends nothing more: a person may route by hand.
 */
final class Rollback {
  /** An accepted update that the service still does not show after this long is sent again (e.g. after a crash). */
  static final Duration RESEND_AFTER = Duration.ofSeconds(2);

  /** Rollback reasons that are the candidate's own fault, so CandidateHealthy turns False with them. */
  private static final Set<String> CANDIDATE_FAULTS = Set.of(Reasons.WORKER_BOOT_ERROR, Reasons.APP_LOAD_ERROR,
      Reasons.CONTAINER_EXITED, Reasons.CONTAINER_FAILED_TO_START, Reasons.REVISION_FAILED, Reasons.PROBE_FAILED);

  private Rollback() {}

  static void decide(Round r, GateSettings s, ServiceSnapshot svc, Observation obs, FailureDetector.Failure f) {
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
    st.rollback = rb;
    if (f.exit() != null) {
      st.lastExit = f.exit();
    }
    st.stepStartedAt = null;
    st.healthySince = null;
    st.heldSince = null;
    r.set(Conditions.PROMOTED, Conditions.FALSE, Reasons.NOT_PROMOTED, "Candidate " + st.candidateRevision
        + " is rolled back.");
    proceed(r, s, svc, obs);
  }

  static void proceed(Round r, GateSettings s, ServiceSnapshot svc, Observation obs) {
    var st = r.status;
    RollbackStatus rb = st.rollback;
    List<TrafficEntry> plan = Rollout.planAt(st, svc, 0);
    boolean settled = svc.settled();
    if (settled && (TrafficPlan.matches(svc.traffic(), plan) || nothingLeftOnCandidates(st, svc))) {
      done(r);
      return;
    }
    if (Boolean.TRUE.equals(rb.done)) {
      String message = "After the rollback of " + st.candidateRevision + " someone routed traffic by hand: the service"
          + " serves " + svc.traffic() + ". The gate leaves it; the next candidate is gated against " + st.stableRevision
          + " (or against the one revision that serves all traffic).";
      Outcomes.adoptManualRouting(r, svc);
      r.hold(Reasons.TRAFFIC_CHANGED_OUTSIDE_GATE, message, true, Round.IDLE);
      return;
    }
    if (s.paused()) {
      r.hold(Reasons.PAUSED_BY_USER, rb.message + " The rollback to " + st.stableRevision + " is held because"
          + " spec.paused is true: the gate changes no traffic. Set it to false to roll back.", true, Round.IDLE);
      return;
    }
    boolean askedFor = Reasons.MANUAL_ABORT.equals(rb.reason); // rungate abort overrides a person's routing: it is one
    if (settled && !askedFor && !Rollout.knownRouting(st, svc, plan)) {
      Outcomes.trafficChangedOutsideGate(r, svc, plan, "the rollback");
      return;
    }
    st.heldSince = null;
    String refused = Rollout.refusal(obs);
    boolean failing = refused != null && rb.sentAt != null;
    if (failing && !rb.sentAt.equals(rb.failedSendAt)) {
      rb.failedAttempts = (rb.failedAttempts == null ? 0 : rb.failedAttempts) + 1;
      rb.failedSendAt = rb.sentAt;
      rb.lastError = refused;
    } else if (!failing) {
      rb.lastError = null;
    }
    Duration wait = failing ? backoff(rb.failedAttempts) : RESEND_AFTER;
    boolean due = rb.sentAt == null || (failing || settled) && !r.now.isBefore(Instant.parse(rb.sentAt).plus(wait));
    if (due) {
      rb.sentAt = r.now.toString();
      r.setTraffic(plan, svc.etag(), "rollback to " + st.stableRevision + ", " + rb.reason, Instant.parse(rb.failureAt));
    }
    report(r, st, rb, failing);
    r.requeue(failing && !due ? wait : Round.FAST);
  }

  /** The candidate (and any earlier one) serves nothing: what a rollback is for is true, tag or not. */
  private static boolean nothingLeftOnCandidates(ReadinessPolicyStatus st, ServiceSnapshot svc) {
    return svc.percentOf(st.candidateRevision) == 0 && st.previousCandidates.stream().allMatch(p -> svc.percentOf(p) == 0);
  }

  private static void report(Round r, ReadinessPolicyStatus st, RollbackStatus rb, boolean failing) {
    r.set(Conditions.ROLLED_BACK, Conditions.FALSE, Reasons.ROLLING_BACK, "Rolling back to " + st.stableRevision
        + "; Cloud Run has not reported the traffic back yet.");
    if (failing) {
      String message = "Rolling back " + st.candidateRevision + " to " + st.stableRevision + " (" + rb.reason + ") failed "
          + rb.failedAttempts + (rb.failedAttempts == 1 ? " time" : " times") + ": " + rb.lastError
          + ". Retrying with backoff; the candidate still serves what the service reports.";
      r.ready(false, Reasons.ROLLBACK_FAILED, message);
      r.reconciling(true, Reasons.ROLLBACK_FAILED, message);
      r.stalled(true, Reasons.ROLLBACK_FAILED, message);
      return;
    }
    String message = rb.message + " Rolling back: all of the candidate's traffic goes to " + st.stableRevision + ".";
    r.ready(false, rb.reason, message);
    r.reconciling(true, Reasons.ROLLING_BACK, message);
    r.stalled(true, rb.reason, message);
  }

  private static void done(Round r) {
    var st = r.status;
    RollbackStatus rb = st.rollback;
    String message = rb.message + " Traffic is back on " + st.stableRevision + "; the candidate stays at 0% under tag "
        + st.candidateTag + ".";
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
