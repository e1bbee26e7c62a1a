package dev.rungate.gate;

import dev.rungate.api.Phase;
import dev.rungate.api.ReadinessPolicySpec;
import dev.rungate.api.ReadinessPolicyStatus;
import dev.rungate.api.status.CheckResult;
import dev.rungate.api.status.TrafficEntry;
import dev.rungate.domain.ContainerExit;
import dev.rungate.domain.RevisionSnapshot;
import dev.rungate.gate.observed.InstanceFacts;
import dev.rungate.gate.observed.Observation;
import dev.rungate.gate.round.Action;
import dev.rungate.gate.round.Decision;
import dev.rungate.gate.status.Conditions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny world for the core: a service whose traffic changes only through SetTraffic, a clock, and
 * a persisted status, run round by round the way the reconciler runs it (status first, then
 * actions).
 */
public final class Simulation {
  final ReadinessPolicySpec spec;
  public ReadinessPolicyStatus status;
  List<TrafficEntry> traffic;
  Instant now = Fixtures.T0;
  RevisionSnapshot candidate = Fixtures.ready();
  public List<CheckResult> dependencies = List.of(Fixtures.redisOk());
  List<CheckResult> probes = List.of(Fixtures.probeOk());
  final List<ContainerExit> exits = new ArrayList<>();

  /** Every traffic value the service took, in order. */
  final List<List<TrafficEntry>> trafficHistory = new ArrayList<>();

  final List<Action.Emit> events = new ArrayList<>();
  final Map<String, String> annotations = new HashMap<>();

  /** Memorystore instances (by check name) the round sees. */
  InstanceFacts instances = InstanceFacts.NONE;

  Decision last;

  public Simulation(ReadinessPolicySpec spec, List<TrafficEntry> traffic) {
    this.spec = spec;
    this.traffic = traffic;
    trafficHistory.add(traffic);
  }

  /** A rollout of the fixture spec, run until the service reports the given step's traffic. */
  static Simulation atStep(int step) {
    Simulation sim = new Simulation(Fixtures.spec(), Fixtures.split(0));
    while (sim.status == null || sim.status.step < step || sim.status.stepStartedAt == null) {
      sim.round();
      sim.advance(Duration.ofSeconds(1));
    }
    return sim;
  }

  Observation observe() {
    return new Observation(Fixtures.service(traffic), candidate, exits, dependencies, probes)
        .withInstances(instances);
  }

  /** One reconcile: decide, persist status, act. */
  public Decision round() {
    return round(true, true);
  }

  /** A reconcile that may die before the status write or before the actions. */
  Decision round(boolean writeStatus, boolean act) {
    last = Gate.decide(spec, 1L, annotations, status, observe(), now);
    if (!writeStatus) {
      return last;
    }
    status = last.status();
    if (act) {
      for (Action a : last.actions()) {
        if (a instanceof Action.SetTraffic move) {
          apply(move.targets());
        } else if (a instanceof Action.Emit e) {
          events.add(e);
        }
      }
    }
    return last;
  }

  void apply(List<TrafficEntry> targets) {
    traffic = List.copyOf(targets);
    if (!trafficHistory.get(trafficHistory.size() - 1).equals(traffic)) {
      trafficHistory.add(traffic);
    }
  }

  void advance(Duration d) {
    now = now.plus(d);
  }

  /** Runs rounds a second apart until the phase is one of the given, or the limit passes. */
  Simulation runUntil(int maxRounds, Phase... phases) {
    for (int i = 0; i < maxRounds; i++) {
      round();
      for (var p : phases) {
        if (status.phase == p) {
          return this;
        }
      }
      advance(Duration.ofSeconds(1));
    }
    return this;
  }

  public String condition(String type) {
    return Conditions.find(status.conditions, type)
        .map(c -> c.getStatus() + "/" + c.getReason())
        .orElse("none");
  }
}
