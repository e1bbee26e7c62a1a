package dev.rungate.gate;

import dev.rungate.api.CheckResult;
import dev.rungate.api.ReadinessPolicySpec;
import dev.rungate.api.ReadinessPolicyStatus;
import dev.rungate.cloudrun.ServiceSnapshot;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
    return decide(spec, generation, java.util.Map.of(), previous, obs, now);
  }

  /** As above, with the policy's annotations, which carry the manual commands (see {@link Commands}). */
  public static Decision decide(ReadinessPolicySpec spec, Long generation, java.util.Map<String, String> annotations,
      ReadinessPolicyStatus previous, Observation obs, Instant now) {
    Round r = new Round(copy(previous), generation, now);
    List<String> errors = new ArrayList<>(SpecValidator.validate(spec));
    obs.dependencies().stream().filter(c -> SECRET_STEP.equals(c.failedStep))
        .forEach(c -> errors.add("check " + c.name + ": " + c.message));
    if (!errors.isEmpty()) {
      Outcomes.invalid(r, errors);
      return r.finish();
    }
    GateSettings s = GateSettings.of(spec);
    ServiceSnapshot svc = obs.service();
    r.status.traffic = new ArrayList<>(svc.traffic());
    String candidate = candidateOf(s, svc);
    if (candidate == null) {
      Outcomes.idle(r, "The service has no revision to gate yet.");
      return r.finish();
    }
    if (!candidate.equals(r.status.candidateRevision)) {
      startCandidate(r, svc, candidate);
    }
    r.status.candidatePercent = svc.percentOf(candidate);
    if (Commands.apply(r, s, annotations, svc)) {
      return r.finish();
    }
    if (r.status.step == null) {
      Outcomes.idle(r, "Revision " + candidate + " serves all traffic; nothing to gate.");
      Verification.reverify(r, spec, obs);
    } else if (Conditions.isTrue(r.status.conditions, Conditions.ROLLED_BACK)) {
      Outcomes.ensureRolledBack(r, s, svc);
      Verification.reverify(r, spec, obs);
    } else if (Conditions.isTrue(r.status.conditions, Conditions.PROMOTED)) {
      r.requeue(Round.IDLE);
      Verification.reverify(r, spec, obs);
    } else if (s.paused()) {
      String why = "spec.paused is true: the rollout holds at step " + r.status.step + "; set it to false to continue.";
      r.ready(false, Reasons.PAUSED_BY_USER, why);
      r.reconciling(false, Reasons.PAUSED_BY_USER, why);
      r.stalled(false, Reasons.PAUSED_BY_USER, why);
      r.status.lastProgressAt = now.toString();
      r.requeue(Round.IDLE);
    } else {
      recordChecks(r, obs);
      Rollout.advance(r, s, spec, obs);
    }
    return r.finish();
  }

  /** Cloud Run could not be read: nothing moves; the status says why and the reconcile is retried. */
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

  /** The revision this policy gates: the pinned one, else the service's latest created revision. */
  public static String candidateOf(GateSettings s, ServiceSnapshot svc) {
    return s.pinnedCandidate() != null ? s.pinnedCandidate() : svc.latestCreatedRevision();
  }

  /** True while a candidate is between detection and its outcome: the reconciler then probes. */
  public static boolean inFlight(ReadinessPolicyStatus status) {
    return status != null && status.step != null
        && !Conditions.isTrue(status.conditions, Conditions.ROLLED_BACK)
        && !Conditions.isTrue(status.conditions, Conditions.PROMOTED);
  }

  private static void startCandidate(Round r, ServiceSnapshot svc, String candidate) {
    if (inFlight(r.status) && r.status.candidateRevision != null) {
      Outcomes.record(r, "Superseded", "NewCandidate");
    }
    String stable = TrafficPlan.busiestExcept(svc.traffic(), candidate);
    r.status.candidateRevision = candidate;
    r.status.stepStartedAt = null;
    r.status.blockedAttempts = null;
    r.status.lastExit = null;
    r.status.retriedAt = null;
    r.status.checks = new ArrayList<>();
    r.set(Conditions.ROLLED_BACK, Conditions.FALSE, Reasons.NOT_ROLLED_BACK, "Not rolled back.");
    if (stable == null) {
      r.status.stableRevision = candidate;
      r.status.step = null;
      r.set(Conditions.PROMOTED, Conditions.FALSE, Reasons.IDLE, "No candidate besides the serving revision.");
      return;
    }
    r.status.stableRevision = stable;
    r.status.step = 0;
    r.status.lastProgressAt = r.now.toString();
    r.set(Conditions.PROMOTED, Conditions.FALSE, Reasons.NOT_PROMOTED, "Candidate " + candidate + " is being verified.");
    r.set(Conditions.DEPENDENCIES_READY, Conditions.UNKNOWN, Reasons.NOT_CHECKED, "Not checked yet.");
    r.set(Conditions.CANDIDATE_HEALTHY, Conditions.UNKNOWN, Reasons.NOT_CHECKED, "Not checked yet.");
    r.emit("Normal", "CandidateDetected", "Gating candidate " + candidate + " against stable " + stable + ".");
  }

  private static void recordChecks(Round r, Observation obs) {
    if (obs.dependencies().isEmpty() && obs.probes().isEmpty()) {
      return;
    }
    List<CheckResult> checks = new ArrayList<>(obs.dependencies());
    checks.addAll(obs.probes());
    checks.forEach(c -> c.checkedAt = c.checkedAt == null ? r.now.toString() : c.checkedAt);
    r.status.checks = checks;
  }

  private static ReadinessPolicyStatus copy(ReadinessPolicyStatus previous) {
    return previous == null ? new ReadinessPolicyStatus() : COPIER.clone(previous);
  }
}
