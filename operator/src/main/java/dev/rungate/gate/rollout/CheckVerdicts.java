package dev.rungate.gate.rollout;

import dev.rungate.api.ReadinessPolicySpec;
import dev.rungate.api.status.CheckResult;
import dev.rungate.api.status.CheckStep;
import dev.rungate.gate.observed.Observation;
import dev.rungate.gate.outcome.FailureDetector;
import dev.rungate.gate.round.Round;
import dev.rungate.gate.spec.GateSettings;
import dev.rungate.gate.status.Conditions;
import dev.rungate.gate.status.Reasons;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the dependency checks and revision probes say. With traffic on the candidate a failure rolls
 * back; before, a dependency failure blocks (re-checked with backoff) and a probe failure restarts
 * observation. A check that failed only because its Secret is missing is a spec error, never a
 * verdict on the candidate.
 */
final class CheckVerdicts {
  /** A reason to wait at step 0: block (dependency, with backoff) or keep verifying (probe). */
  record Verdict(boolean block, String reason, String message) {}

  private CheckVerdicts() {}

  static void record(Round r, Observation obs) {
    if (obs.dependencies().isEmpty() && obs.probes().isEmpty()) {
      return;
    }
    List<CheckResult> checks = new ArrayList<>(obs.dependencies());
    checks.addAll(obs.probes());
    checks.forEach(c -> c.checkedAt = c.checkedAt == null ? r.now.toString() : c.checkedAt);
    r.status.checks = checks;
  }

  /** A failed dependency or probe while the candidate has (or is getting) traffic. */
  static Optional<FailureDetector.Failure> failureWithTraffic(Observation obs) {
    List<CheckResult> deps = failed(obs.dependencies());
    if (!deps.isEmpty()) {
      return Optional.of(
          new FailureDetector.Failure(Reasons.DEPENDENCY_UNREACHABLE, describe(deps), null));
    }
    List<CheckResult> probes = failed(obs.probes());
    return probes.isEmpty()
        ? Optional.empty()
        : Optional.of(new FailureDetector.Failure(Reasons.PROBE_FAILED, describe(probes), null));
  }

  /**
   * Empty when dependencies and probes pass (or none are declared); sets DependenciesReady and
   * CandidateHealthy.
   */
  static Optional<Verdict> atStepZero(
      Round r, GateSettings s, ReadinessPolicySpec spec, Observation obs) {
    var deps = spec.dependencies;
    boolean declared =
        deps != null
            && ((deps.memorystore != null && !deps.memorystore.isEmpty())
                || (deps.network != null && !deps.network.isEmpty()));
    if (!declared) {
      r.set(
          Conditions.DEPENDENCIES_READY,
          Conditions.TRUE,
          Reasons.DEPENDENCIES_REACHABLE,
          "No dependencies declared.");
    } else if (obs.dependencies().isEmpty()) {
      return Optional.of(
          new Verdict(false, Reasons.VERIFYING, "Dependency checks have not run yet."));
    } else {
      List<CheckResult> failed = failed(obs.dependencies());
      if (!failed.isEmpty()) {
        r.set(
            Conditions.DEPENDENCIES_READY,
            Conditions.FALSE,
            Reasons.DEPENDENCY_UNREACHABLE,
            describe(failed));
        return Optional.of(new Verdict(true, Reasons.DEPENDENCY_UNREACHABLE, describe(failed)));
      }
      r.set(
          Conditions.DEPENDENCIES_READY,
          Conditions.TRUE,
          Reasons.DEPENDENCIES_REACHABLE,
          "All " + obs.dependencies().size() + " dependencies reachable.");
    }
    if (s.probes().isEmpty()) {
      r.set(
          Conditions.CANDIDATE_HEALTHY,
          Conditions.TRUE,
          Reasons.PROBES_PASSING,
          "Ready; no probes declared.");
      return Optional.empty();
    }
    if (obs.probes().isEmpty()) {
      return Optional.of(
          new Verdict(
              false, Reasons.VERIFYING, "Probes on the candidate's tag URL have not run yet."));
    }
    List<CheckResult> failed = failed(obs.probes());
    if (!failed.isEmpty()) {
      r.set(Conditions.CANDIDATE_HEALTHY, Conditions.FALSE, Reasons.PROBE_FAILED, describe(failed));
      return Optional.of(
          new Verdict(
              false,
              Reasons.VERIFYING,
              describe(failed)
                  + " The candidate gets no traffic; observation restarts when it passes."));
    }
    r.set(
        Conditions.CANDIDATE_HEALTHY,
        Conditions.TRUE,
        Reasons.PROBES_PASSING,
        "All " + obs.probes().size() + " probes pass on the tag URL.");
    return Optional.empty();
  }

  private static List<CheckResult> failed(List<CheckResult> checks) {
    return checks.stream()
        .filter(c -> !c.ok() && !CheckStep.SECRET.name().equals(c.failedStep))
        .toList();
  }

  static String describe(List<CheckResult> failed) {
    return failed.stream()
            .map(
                c ->
                    c.name
                        + " ("
                        + c.kind
                        + " "
                        + c.target
                        + ") failed at "
                        + c.failedStep
                        + ": "
                        + c.message)
            .collect(Collectors.joining("; "))
        + ".";
  }
}
