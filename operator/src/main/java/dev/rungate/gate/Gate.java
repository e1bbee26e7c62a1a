package dev.rungate.gate;

import dev.rungate.api.ReadinessPolicySpec;
import dev.rungate.api.ReadinessPolicyStatus;
import dev.rungate.cloudrun.ServiceSnapshot;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The decision core: (spec, previous status, observation, now) in; (status, actions, requeue) out.
 * Pure: no I/O, no clock of its own. The reconciler writes the status first, then carries out the actions.
 */
public final class Gate {
  /** Failed step a probe reports when a Secret or key named in the spec is missing: a spec error. */
  public static final String SECRET_STEP = "SECRET";
  private static final KubernetesSerialization COPIER = new KubernetesSerialization();

  private Gate() {}

  public static Decision decide(ReadinessPolicySpec spec, Long generation, ReadinessPolicyStatus previous,
      Observation obs, Instant now) {
    return decide(spec, generation, Map.of(), previous, obs, now);
  }

  /** As above, with the policy's annotations, which carry the manual commands (see {@link Commands}). */
  public static Decision decide(ReadinessPolicySpec spec, Long generation, Map<String, String> annotations,
      ReadinessPolicyStatus previous, Observation obs, Instant now) {
    Round r = new Round(copy(previous), generation, now);
    List<String> errors = specErrors(spec, obs);
    boolean inFlight = inFlight(r.status);
    if (obs.conflictWith() != null) {
      Outcomes.conflict(r, spec, obs.conflictWith());
      return r.finish();
    }
    ServiceSnapshot svc = obs.service();
    if (svc == null || (!errors.isEmpty() && !inFlight)) {
      Outcomes.invalid(r, errors);
      return r.finish();
    }
    GateSettings s = GateSettings.lenient(spec);
    r.status.traffic = new ArrayList<>(svc.traffic());
    Signals.record(r, obs);
    String candidate = errors.isEmpty() ? candidateOf(s, svc) : r.status.candidateRevision;
    if (candidate == null) {
      Outcomes.idle(r, svc, "The service has no revision to gate yet.");
      return r.finish();
    }
    if (!candidate.equals(r.status.candidateRevision)) {
      startCandidate(r, s, svc, candidate);
    }
    r.status.candidatePercent = svc.percentOf(candidate);
    if (Commands.apply(r, s, errors, annotations, svc)) {
      return r.finish();
    }
    if (r.status.step == null) {
      Outcomes.idle(r, svc, "Revision " + candidate + " serves all traffic; nothing to gate.");
      Verification.reverify(r, spec, obs);
    } else if (r.status.rollback != null) {
      boolean lateLinesMayArrive = ExitEvidence.complete(r, obs);
      Rollback.proceed(r, s, svc, obs);
      Verification.reverify(r, spec, obs);
      if (lateLinesMayArrive) {
        r.requeueWithin(ExitEvidence.POLL);
      }
    } else if (Conditions.isTrue(r.status.conditions, Conditions.PROMOTED)) {
      Outcomes.adoptManualRouting(r, svc);
      r.requeue(Round.IDLE);
      Verification.reverify(r, spec, obs);
    } else {
      Rollout.advance(r, s, spec, obs, errors);
    }
    return r.finish();
  }

  /** Cloud Run could not be read: nothing moves; the status (and the recorded intent) stays, and the read is retried. */
  public static Decision cloudRunUnavailable(Long generation, ReadinessPolicyStatus previous, String code,
      String message, Instant now) {
    Round r = new Round(copy(previous), generation, now);
    boolean missing = "NOT_FOUND".equals(code);
    String why = (missing ? "The Cloud Run service was not found: " : "Cloud Run could not be read: ") + message
        + ". No traffic moves until it can be read again.";
    String reason = missing ? Reasons.SERVICE_NOT_FOUND : Reasons.CLOUD_RUN_API_ERROR;
    r.ready(false, reason, why);
    r.reconciling(true, reason, why);
    r.stalled(false, reason, why);
    r.requeue(Round.FAST.multipliedBy(5));
    return r.finish();
  }

  /**
   * A round failed unexpectedly (a bug, or a source that threw where none should): the previous status and its
   * intent stay; the error is shown on Ready and the round is retried with backoff, never wedging the policy.
   */
  public static Decision roundFailed(Long generation, ReadinessPolicyStatus previous, String message, int failures,
      Instant now) {
    Round r = new Round(copy(previous), generation, now);
    String why = "The last reconcile failed (" + message + "); retrying. The recorded step and rollback stay in force.";
    r.ready(false, Reasons.RECONCILE_ERROR, why);
    r.reconciling(true, Reasons.RECONCILE_ERROR, why);
    r.requeue(Round.backoff(failures - 1));
    return r.finish();
  }

  /** The revision this policy gates: the pinned one, else the service's latest created revision. */
  public static String candidateOf(GateSettings s, ServiceSnapshot svc) {
    return s.pinnedCandidate() != null ? s.pinnedCandidate() : svc.latestCreatedRevision();
  }

  /** True while the gate owns the service's routing: from a candidate's detection until it is promoted or rolled back. */
  public static boolean inFlight(ReadinessPolicyStatus status) {
    return status != null && status.step != null
        && (status.rollback == null || !Boolean.TRUE.equals(status.rollback.done))
        && !Conditions.isTrue(status.conditions, Conditions.PROMOTED);
  }

  /** Spec errors, including Secrets or keys a check names that do not exist. */
  static List<String> specErrors(ReadinessPolicySpec spec, Observation obs) {
    List<String> errors = new ArrayList<>(SpecValidator.validate(spec));
    obs.dependencies().stream().filter(c -> SECRET_STEP.equals(c.failedStep))
        .forEach(c -> errors.add("check " + c.name + ": " + c.message));
    return errors;
  }

  private static void startCandidate(Round r, GateSettings s, ServiceSnapshot svc, String candidate) {
    var st = r.status;
    List<String> previous = new ArrayList<>();
    if (st.candidateRevision != null && !st.candidateRevision.equals(st.stableRevision)) {
      previous.add(st.candidateRevision);
    }
    previous.addAll(st.previousCandidates);
    previous.removeIf(p -> p.equals(candidate) || p.equals(st.stableRevision) || svc.percentOf(p) == 0);
    if (inFlight(st) && st.candidateRevision != null && !st.candidateRevision.equals(st.stableRevision)) {
      Outcomes.record(r, "Superseded", "NewCandidate");
    }
    List<String> exclude = new ArrayList<>(previous);
    exclude.add(candidate);
    String stable = st.stableRevision != null && !st.stableRevision.equals(candidate) ? st.stableRevision
        : TrafficPlan.busiestExcept(svc.traffic(), exclude);
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
    if (stable == null) {
      st.stableRevision = candidate;
      st.step = null;
      st.stepPercent = null;
      r.set(Conditions.PROMOTED, Conditions.FALSE, Reasons.IDLE, "No candidate besides the serving revision.");
      return;
    }
    st.stableRevision = stable;
    st.step = 0;
    st.stepPercent = 0;
    st.lastProgressAt = r.now.toString();
    r.set(Conditions.PROMOTED, Conditions.FALSE, Reasons.NOT_PROMOTED, "Candidate " + candidate + " is being verified.");
    r.set(Conditions.DEPENDENCIES_READY, Conditions.UNKNOWN, Reasons.NOT_CHECKED, "Not checked yet.");
    r.set(Conditions.CANDIDATE_HEALTHY, Conditions.UNKNOWN, Reasons.NOT_CHECKED, "Not checked yet.");
    r.emit("Normal", "CandidateDetected", "Gating candidate " + candidate + " against stable " + stable + ".");
  }

  private static ReadinessPolicyStatus copy(ReadinessPolicyStatus previous) {
    return previous == null ? new ReadinessPolicyStatus() : COPIER.clone(previous);
  }
}
