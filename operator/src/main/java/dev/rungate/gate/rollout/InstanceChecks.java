package dev.rungate.gate.rollout;

import dev.rungate.api.ReadinessPolicySpec;
import dev.rungate.api.checks.MemorystoreCheck;
import dev.rungate.gate.instances.ConfigDrift;
import dev.rungate.gate.instances.InstanceNetwork;
import dev.rungate.gate.instances.Maintenance;
import dev.rungate.gate.observed.Observation;
import dev.rungate.gate.round.Round;
import dev.rungate.gate.spec.GateSettings;
import dev.rungate.gate.status.Block;
import dev.rungate.gate.status.Conditions;
import dev.rungate.gate.status.Reasons;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where the Memorystore instance checks meet a round: configuration drift and the VPC path block
 * before traffic moves, maintenance holds new steps, and re-verification reports drift of the
 * stable revision. The decisions themselves are in {@link ConfigDrift}, {@link InstanceNetwork} and
 * {@link Maintenance}.
 */
public final class InstanceChecks {
  /**
   * Set when a scheduled maintenance is within 24 h of a rollout: its change to True is a Warning
   * Event.
   */
  static final String MAINTENANCE_SCHEDULED = "MaintenanceScheduled";

  /** Re-verification's view of the stable revision's env vars against the instances. */
  public static final String STABLE_CONFIG_MATCHES = "StableConfigMatches";

  private InstanceChecks() {}

  /**
   * The candidate's env vars against the instances (or the checks' host/port); known as soon as the
   * revision exists.
   */
  static Optional<Block> drift(ReadinessPolicySpec spec, Observation obs) {
    List<MemorystoreCheck> checks = checks(spec);
    if (checks.isEmpty() || obs.candidate() == null) {
      return Optional.empty();
    }
    return ConfigDrift.check(checks, obs.instances().byCheck(), obs.candidate());
  }

  /**
   * The candidate's env vars and VPC path against the instances; a Block means no traffic may move.
   */
  static Optional<Block> beforeTraffic(ReadinessPolicySpec spec, Observation obs) {
    List<MemorystoreCheck> checks = checks(spec);
    if (checks.isEmpty() || obs.candidate() == null) {
      return Optional.empty();
    }
    var found = obs.instances().byCheck();
    Optional<Block> drift = ConfigDrift.check(checks, found, obs.candidate());
    if (drift.isPresent()) {
      return drift;
    }
    return InstanceNetwork.mismatch(
        checks, found, spec.service.project, spec.service.region, obs.candidate().vpc());
  }

  /**
   * Healthy and due for the next step: holds it while an instance is in (or about to enter)
   * maintenance. Returns true when the round is decided. Call only after failures were handled.
   */
  static boolean holdNextStep(
      Round r, GateSettings s, ReadinessPolicySpec spec, Observation obs, int step) {
    warnUpcoming(r, spec, obs);
    Duration expected = Maintenance.expectedRemaining(s, step + 1, Duration.ZERO);
    Optional<Maintenance.Hold> hold =
        Maintenance.hold(checks(spec), obs.instances().byCheck(), r.now, expected);
    if (hold.isEmpty()) {
      return false;
    }
    String message =
        "Candidate "
            + r.status.candidateRevision
            + " is healthy at "
            + r.status.stepPercent
            + "%. "
            + hold.get().block().message();
    Duration until = Duration.between(r.now, hold.get().recheckAt());
    r.hold(
        Reasons.DEPENDENCY_MAINTENANCE,
        message,
        false,
        until.compareTo(Round.IDLE) > 0
            ? Round.IDLE
            : until.compareTo(Round.FAST) < 0 ? Round.FAST : until);
    return true;
  }

  /**
   * A Warning Event (once per window) when a scheduled maintenance is within 24 h of this rollout.
   */
  static void warnUpcoming(Round r, ReadinessPolicySpec spec, Observation obs) {
    Optional<String> soon = Maintenance.upcoming(checks(spec), obs.instances().byCheck(), r.now);
    if (soon.isPresent()) {
      if (r.set(
          MAINTENANCE_SCHEDULED, Conditions.TRUE, Reasons.DEPENDENCY_MAINTENANCE, soon.get())) {
        r.emit("Warning", Reasons.DEPENDENCY_MAINTENANCE, soon.get());
      }
    } else if (Conditions.find(r.status.conditions, MAINTENANCE_SCHEDULED).isPresent()) {
      r.set(
          MAINTENANCE_SCHEDULED,
          Conditions.FALSE,
          "NoMaintenanceScheduled",
          "No maintenance scheduled within 24 h on the instances this policy names.");
    }
  }

  /**
   * Re-verification: the stable revision's env vars against the instances, reported (never acted
   * on).
   */
  static void reportStableDrift(Round r, ReadinessPolicySpec spec, Observation obs) {
    List<MemorystoreCheck> checks = checks(spec);
    if (obs.instances().stable() == null || checks.stream().noneMatch(c -> c.revisionEnv != null)) {
      return;
    }
    Optional<Block> drift =
        ConfigDrift.check(checks, obs.instances().byCheck(), obs.instances().stable());
    if (drift.isPresent()) {
      String message =
          "Re-verification at " + r.now + ": " + drift.get().message() + " Traffic is not changed.";
      if (r.set(STABLE_CONFIG_MATCHES, Conditions.FALSE, Reasons.CONFIG_DRIFT, message)) {
        r.emit("Warning", Reasons.CONFIG_DRIFT, message);
      }
    } else {
      r.set(
          STABLE_CONFIG_MATCHES,
          Conditions.TRUE,
          "ConfigMatches",
          "The serving revision "
              + obs.instances().stable().name()
              + " points at its instances (re-verified at "
              + r.now
              + ").");
    }
  }

  static List<MemorystoreCheck> checks(ReadinessPolicySpec spec) {
    return spec.dependencies == null || spec.dependencies.memorystore == null
        ? List.of()
        : spec.dependencies.memorystore;
  }
}
