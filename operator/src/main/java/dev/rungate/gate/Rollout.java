package dev.rungate.gate;

import dev.rungate.api.CheckResult;
import dev.rungate.api.Durations;
import dev.rungate.api.ReadinessPolicySpec;
import dev.rungate.api.TrafficEntry;
import dev.rungate.cloudrun.RevisionSnapshot;
import dev.rungate.cloudrun.ServiceSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** A candidate in flight: verify at 0%, then step traffic up with pauses, or roll back. */
final class Rollout {
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  /** Holds the gate chose (or was told) to make: time spent in them does not count against the progress deadline. */
  private static final java.util.Set<String> WAITING_ON_PURPOSE = java.util.Set.of(
      Reasons.OUTSIDE_DEPLOY_WINDOW, Reasons.PAUSED_BY_USER, Reasons.TRAFFIC_CHANGED_OUTSIDE_GATE,
      Reasons.DEPENDENCY_MAINTENANCE);

  private Rollout() {}

  static void advance(Round r, GateSettings s, ReadinessPolicySpec spec, Observation obs) {
    var st = r.status;
    int step = st.step;
    ServiceSnapshot svc = obs.service();
    RevisionSnapshot rev = obs.candidate();
    Optional<Block> drift = step == 0 ? InstanceChecks.drift(spec, obs) : Optional.empty(); // Memorystore ConfigDrift:
    if (drift.isPresent()) { // before any traffic, and before the boot failure it causes (the root cause, with the fix)
      block(r, drift.get().reason(), drift.get().message());
      return;
    }
    Optional<FailureDetector.Failure> failure =
        FailureDetector.of(st.candidateRevision, rev, obs.exits(), s.failOnExitCodes(), st.retriedAt);
    if (failure.isPresent()) {
      Outcomes.rollBack(r, s, svc, failure.get());
      return;
    }
    if (rev == null) {
      block(r, Reasons.CANDIDATE_NOT_FOUND, "Revision " + st.candidateRevision + " does not exist in service "
          + spec.service.name + ". Deploy it, or fix spec.candidate.revision.");
      return;
    }
    Duration hold = s.holdAt(step);
    Instant deadline = Instant.parse(st.lastProgressAt).plus(s.progressDeadline()).plus(hold);
    if (r.now.isAfter(deadline) && !WAITING_ON_PURPOSE.contains(Conditions.reason(st.conditions, Conditions.READY))) {
      Outcomes.rollBack(r, s, svc, new FailureDetector.Failure(Reasons.PROGRESS_DEADLINE_EXCEEDED,
          "Candidate " + st.candidateRevision + " made no progress at step " + step + " for "
              + Durations.format(s.progressDeadline()) + " (spec.rollout.progressDeadline).", null));
      return;
    }
    List<TrafficEntry> plan = planAt(st, s, step);
    if (!TrafficPlan.matches(svc.traffic(), plan)) {
      moveOrStall(r, s, svc, plan, step);
      return;
    }
    if (st.stepStartedAt == null) {
      st.stepStartedAt = r.now.toString();
      st.lastProgressAt = r.now.toString();
      if (step > 0) {
        r.emit("Normal", "StepReached", "Candidate " + st.candidateRevision + " serves " + s.percentAt(step) + "%.");
      }
    }
    if (!rev.isReady()) {
      r.set(Conditions.CANDIDATE_HEALTHY, Conditions.UNKNOWN, Reasons.REVISION_NOT_READY,
          "Waiting for Cloud Run to report revision " + rev.name() + " ready.");
      inFlight(r, Reasons.REVISION_NOT_READY, "Waiting for candidate " + rev.name() + " to become ready.");
      return;
    }
    Optional<String> vpc = VpcCheck.mismatch(spec.revision == null ? null : spec.revision.vpcAccess, rev.vpc());
    if (vpc.isPresent()) {
      failOrBlock(r, s, svc, step, Reasons.VPC_ACCESS_MISMATCH, vpc.get());
      return;
    }
    Optional<Block> instance = InstanceChecks.beforeTraffic(spec, obs); // Memorystore: ConfigDrift, VPC vs instance network
    if (instance.isPresent()) {
      failOrBlock(r, s, svc, step, instance.get().reason(), instance.get().message());
      return;
    }
    if (!dependenciesHealthy(r, s, svc, spec, obs, step) || !probesHealthy(r, s, svc, obs, step)) {
      return;
    }
    st.blockedAttempts = null;
    Duration held = Duration.between(Instant.parse(st.stepStartedAt), r.now);
    if (held.compareTo(hold) < 0) {
      inFlight(r, step == 0 ? Reasons.VERIFYING : Reasons.PROGRESSING, "Candidate " + st.candidateRevision
          + " healthy at " + s.percentAt(step) + "%; next step in " + Durations.format(hold.minus(held)) + ".");
      Duration left = hold.minus(held);
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
    Optional<Instant> opens = Schedules.outsideWindow(spec.rollout == null ? null : spec.rollout.window, r.now);
    if (opens.isPresent()) {
      waitForWindow(r, s, step, opens.get());
      return;
    }
    st.step = step + 1;
    st.stepStartedAt = null;
    st.lastProgressAt = r.now.toString();
    int next = s.percentAt(step + 1);
    r.setTraffic(TrafficPlan.withForeignTags(planAt(st, s, step + 1), svc.traffic()), svc.etag(),
        "step " + (step + 1) + ": candidate " + next + "%");
    r.emit("Normal", "StepStarted", "Moving candidate " + st.candidateRevision + " to " + next + "% of traffic.");
    inFlight(r, Reasons.TRAFFIC_MOVING, "Moving candidate " + st.candidateRevision + " to " + next + "%.");
  }

  /** Healthy and due for the next step, but outside the deploy window: hold (rollbacks still happen at once). */
  private static void waitForWindow(Round r, GateSettings s, int step, Instant opens) {
    String message = "Candidate " + r.status.candidateRevision + " is healthy at " + s.percentAt(step) + "%; the next"
        + " step waits for the deploy window (spec.rollout.window), which opens at " + opens + ".";
    r.ready(false, Reasons.OUTSIDE_DEPLOY_WINDOW, message);
    r.reconciling(false, Reasons.OUTSIDE_DEPLOY_WINDOW, message);
    r.stalled(false, Reasons.OUTSIDE_DEPLOY_WINDOW, message);
    r.status.lastProgressAt = r.now.toString();
    Duration until = Duration.between(r.now, opens);
    r.requeue(until.compareTo(Round.IDLE) > 0 ? Round.IDLE : until.compareTo(Round.FAST) < 0 ? Round.FAST : until);
  }

  private static List<TrafficEntry> planAt(dev.rungate.api.ReadinessPolicyStatus st, GateSettings s, int step) {
    return TrafficPlan.split(st.stableRevision, st.candidateRevision, s.tag(), s.percentAt(step));
  }

  /** The service is not at the plan: if it is at an earlier step the gate moved on from (or the start), move; else someone else moved it. */
  private static void moveOrStall(Round r, GateSettings s, ServiceSnapshot svc, List<TrafficEntry> plan, int step) {
    var st = r.status;
    boolean stalledBefore = Reasons.TRAFFIC_CHANGED_OUTSIDE_GATE.equals(Conditions.reason(st.conditions, Conditions.STALLED))
        && Conditions.isTrue(st.conditions, Conditions.STALLED);
    boolean fromStart = step == 0 && st.stepStartedAt == null;
    boolean fromPrevious = false;
    for (int earlier = 0; earlier < step && st.stepStartedAt == null; earlier++) {
      fromPrevious |= TrafficPlan.matches(svc.traffic(), planAt(st, s, earlier));
    }
    if (stalledBefore || !(fromStart || fromPrevious)) {
      Outcomes.trafficChangedOutsideGate(r, svc, plan);
      return;
    }
    inFlight(r, Reasons.TRAFFIC_MOVING, "Moving candidate " + st.candidateRevision + " to " + s.percentAt(step) + "%.");
    Outcomes.settle(r, svc, plan, "step " + step + ": candidate " + s.percentAt(step) + "%");
  }

  private static boolean dependenciesHealthy(Round r, GateSettings s, ServiceSnapshot svc, ReadinessPolicySpec spec,
      Observation obs, int step) {
    var deps = spec.dependencies;
    boolean declared = deps != null && ((deps.memorystore != null && !deps.memorystore.isEmpty())
        || (deps.network != null && !deps.network.isEmpty()));
    if (!declared) {
      r.set(Conditions.DEPENDENCIES_READY, Conditions.TRUE, Reasons.DEPENDENCIES_REACHABLE, "No dependencies declared.");
      return true;
    }
    if (obs.dependencies().isEmpty()) {
      inFlight(r, Reasons.VERIFYING, "Dependency checks have not run yet.");
      return false;
    }
    List<CheckResult> failed = obs.dependencies().stream().filter(c -> !c.ok()).toList();
    if (failed.isEmpty()) {
      r.set(Conditions.DEPENDENCIES_READY, Conditions.TRUE, Reasons.DEPENDENCIES_REACHABLE,
          "All " + obs.dependencies().size() + " dependencies reachable.");
      return true;
    }
    String message = describe(failed);
    r.set(Conditions.DEPENDENCIES_READY, Conditions.FALSE, Reasons.DEPENDENCY_UNREACHABLE, message);
    failOrBlock(r, s, svc, step, Reasons.DEPENDENCY_UNREACHABLE, message);
    return false;
  }

  private static boolean probesHealthy(Round r, GateSettings s, ServiceSnapshot svc, Observation obs, int step) {
    if (s.probes().isEmpty()) {
      r.set(Conditions.CANDIDATE_HEALTHY, Conditions.TRUE, Reasons.PROBES_PASSING, "Ready; no probes declared.");
      return true;
    }
    if (obs.probes().isEmpty()) {
      inFlight(r, Reasons.VERIFYING, "Probes on the candidate's tag URL have not run yet.");
      return false;
    }
    List<CheckResult> failed = obs.probes().stream().filter(c -> !c.ok()).toList();
    if (failed.isEmpty()) {
      r.set(Conditions.CANDIDATE_HEALTHY, Conditions.TRUE, Reasons.PROBES_PASSING,
          "All " + obs.probes().size() + " probes pass on the tag URL.");
      return true;
    }
    String message = describe(failed);
    r.set(Conditions.CANDIDATE_HEALTHY, Conditions.FALSE, Reasons.PROBE_FAILED, message);
    if (step > 0) {
      Outcomes.rollBack(r, s, svc, new FailureDetector.Failure(Reasons.PROBE_FAILED, message, null));
    } else {
      r.status.stepStartedAt = r.now.toString();
      inFlight(r, Reasons.VERIFYING, message + " The candidate gets no traffic; observation restarts when it passes.");
    }
    return false;
  }

  /** Before traffic moved, a failure blocks and is re-checked with backoff; after, it rolls back. */
  private static void failOrBlock(Round r, GateSettings s, ServiceSnapshot svc, int step, String reason, String message) {
    if (step > 0) {
      Outcomes.rollBack(r, s, svc, new FailureDetector.Failure(reason, message, null));
    } else {
      block(r, reason, message);
    }
  }

  private static void block(Round r, String reason, String message) {
    var st = r.status;
    int attempts = st.blockedAttempts == null ? 0 : st.blockedAttempts;
    st.blockedAttempts = attempts + 1;
    st.stepStartedAt = null;
    st.lastProgressAt = r.now.toString();
    r.ready(false, reason, message + " The candidate stays at 0%; re-checking.");
    r.reconciling(true, reason, message);
    r.stalled(false, reason, message);
    Duration backoff = Round.FAST.multipliedBy(1L << Math.min(attempts, 5));
    r.requeue(backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff);
  }

  private static void inFlight(Round r, String reason, String message) {
    r.ready(false, reason, message);
    r.reconciling(true, reason, message);
    r.stalled(false, reason, message);
    r.requeue(Round.FAST);
  }

  static String describe(List<CheckResult> failed) {
    return failed.stream().map(c -> c.name + " (" + c.kind + " " + c.target + ") failed at " + c.failedStep + ": "
        + c.message).collect(Collectors.joining("; ")) + ".";
  }
}
