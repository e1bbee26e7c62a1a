package dev.rungate.gate.rollout;

import dev.rungate.api.ReadinessPolicySpec;
import dev.rungate.api.status.CheckResult;
import dev.rungate.gate.observed.Observation;
import dev.rungate.gate.round.Round;
import dev.rungate.gate.spec.Schedules;
import dev.rungate.gate.status.Conditions;
import dev.rungate.gate.status.Reasons;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Re-verification while no rollout is in flight (spec.verification.schedule): dashboards and Events
 * see a broken dependency before the next deploy does.
 */
public final class Verification {
  private Verification() {}

  /** Re-verifies when spec.verification.schedule fired: DependenciesReady and stable drift. */
  public static void reverify(Round r, ReadinessPolicySpec spec, Observation obs) {
    Optional<Instant> firedAt = Schedules.verificationFiredAt(spec, r.status, r.now);
    if (firedAt.isEmpty()) {
      return;
    }
    InstanceChecks.reportStableDrift(r, spec, obs);
    List<CheckResult> fresh =
        obs.dependencies().stream()
            .filter(c -> c.checkedAt != null && !Instant.parse(c.checkedAt).isBefore(firedAt.get()))
            .toList();
    boolean declared =
        spec.dependencies != null
            && ((spec.dependencies.memorystore != null && !spec.dependencies.memorystore.isEmpty())
                || (spec.dependencies.network != null && !spec.dependencies.network.isEmpty()));
    if (declared && (fresh.isEmpty() || fresh.size() < obs.dependencies().size())) {
      r.requeue(Round.FAST); // the checks run in the background; look again shortly
      return;
    }
    r.status.lastVerifiedAt = r.now.toString();
    r.status.checks = new ArrayList<>(fresh);
    List<CheckResult> failed = fresh.stream().filter(c -> !c.ok()).toList();
    if (failed.isEmpty()) {
      if (r.set(
              Conditions.DEPENDENCIES_READY,
              Conditions.TRUE,
              Reasons.DEPENDENCIES_VERIFIED,
              "Re-verified "
                  + fresh.size()
                  + " dependencies at "
                  + r.now
                  + " (spec.verification.schedule).")
          && declared) {
        r.emit(
            "Normal",
            Reasons.DEPENDENCIES_VERIFIED,
            "All " + fresh.size() + " dependencies reachable again.");
      }
      return;
    }
    String message =
        "Re-verification at "
            + r.now
            + " found: "
            + CheckVerdicts.describe(failed)
            + " The next candidate will be blocked until this is fixed.";
    if (r.set(
        Conditions.DEPENDENCIES_READY, Conditions.FALSE, Reasons.DEPENDENCY_UNREACHABLE, message)) {
      r.emit("Warning", Reasons.DEPENDENCY_UNREACHABLE, message);
    }
  }
}
