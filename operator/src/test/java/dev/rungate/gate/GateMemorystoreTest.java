package dev.rungate.gate;

import static dev.rungate.gate.Fixtures.CANDIDATE;
import static dev.rungate.gate.Fixtures.split;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rungate.api.Phase;
import dev.rungate.api.spec.VerificationSpec;
import dev.rungate.api.status.CheckResult;
import dev.rungate.domain.ContainerExit;
import dev.rungate.domain.MemorystoreInstance;
import dev.rungate.gate.instances.Instances;
import dev.rungate.gate.observed.InstanceFacts;
import dev.rungate.gate.rollout.InstanceChecks;
import dev.rungate.gate.round.Decision;
import dev.rungate.gate.status.Conditions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The instance decisions inside a rollout: drift blocks before traffic, maintenance holds steps but
 * never a rollback.
 */
class GateMemorystoreTest {
  static Simulation withInstance(MemorystoreInstance instance, Map<String, String> env) {
    Simulation sim = new Simulation(Fixtures.spec(), split(0));
    sim.spec.dependencies.memorystore.set(
        0, Instances.check("REDIS_HOST", "REDIS_PORT", null, null));
    sim.instances = new InstanceFacts(Map.of("session-store", instance), null);
    sim.candidate = Instances.revision(env);
    return sim;
  }

  @Test
  void aStaleRedisHostBlocksWithConfigDriftAndMovesNoTraffic() {
    Simulation sim =
        withInstance(
            Instances.ready("10.0.0.3", 6379, false),
            Map.of("REDIS_HOST", "10.0.0.99", "REDIS_PORT", "6379"));
    sim.runUntil(120, Phase.Promoted, Phase.RolledBack);
    assertThat(sim.status.phase).isEqualTo(Phase.Blocked);
    assertThat(sim.condition(Conditions.READY)).isEqualTo("False/ConfigDrift");
    assertThat(Conditions.find(sim.status.conditions, Conditions.READY).orElseThrow().getMessage())
        .contains("REDIS_HOST=10.0.0.99", "10.0.0.3:6379", "--update-env-vars REDIS_HOST=10.0.0.3");
    assertThat(sim.trafficHistory).containsExactly(split(0));
    assertThat(sim.events)
        .filteredOn(e -> e.reason().equals("ConfigDrift"))
        .hasSize(1)
        .allSatisfy(e -> assertThat(e.type()).isEqualTo("Warning"));
  }

  @Test
  void driftIsReportedEvenWhenTheWorkerAlreadyExitedBecauseOfIt() {
    Simulation sim =
        withInstance(
            Instances.ready("10.0.0.3", 6379, false),
            Map.of("REDIS_HOST", "10.0.0.99", "REDIS_PORT", "6379"));
    sim.exits.add(new ContainerExit(CANDIDATE, 3, Fixtures.T0, List.of("Worker failed to boot.")));
    sim.runUntil(5, Phase.RolledBack);
    assertThat(sim.status.phase).isEqualTo(Phase.Blocked);
    assertThat(sim.condition(Conditions.READY)).isEqualTo("False/ConfigDrift");
    assertThat(sim.trafficHistory).containsExactly(split(0));
  }

  @Test
  void aMatchingCandidateIsPromoted() {
    Simulation sim =
        withInstance(
            Instances.ready("10.0.0.3", 6379, false),
            Map.of("REDIS_HOST", "10.0.0.3", "REDIS_PORT", "6379"));
    sim.runUntil(400, Phase.Promoted, Phase.RolledBack, Phase.Blocked);
    assertThat(sim.status.phase).isEqualTo(Phase.Promoted);
  }

  @Test
  void maintenanceHoldsTheNextStepThenTheRolloutContinuesByItself() {
    Simulation sim =
        withInstance(
            Instances.inState("MAINTENANCE", null),
            Map.of("REDIS_HOST", "10.0.0.3", "REDIS_PORT", "6379"));
    sim.runUntil(90, Phase.Promoted, Phase.RolledBack);
    assertThat(sim.status.step).isZero();
    assertThat(sim.trafficHistory).containsExactly(split(0));
    assertThat(sim.condition(Conditions.READY)).isEqualTo("False/DependencyMaintenance");
    assertThat(sim.status.phase).isEqualTo(Phase.Paused);

    sim.instances =
        new InstanceFacts(Map.of("session-store", Instances.ready("10.0.0.3", 6379, false)), null);
    sim.runUntil(400, Phase.Promoted, Phase.RolledBack);
    assertThat(sim.status.phase).isEqualTo(Phase.Promoted);
  }

  @Test
  void aRollbackDuringMaintenanceIsNotHeld() {
    Simulation sim =
        withInstance(
            Instances.ready("10.0.0.3", 6379, false),
            Map.of("REDIS_HOST", "10.0.0.3", "REDIS_PORT", "6379"));
    while (sim.status == null || sim.status.step < 1 || sim.status.stepStartedAt == null) {
      sim.round();
      sim.advance(Duration.ofSeconds(1));
    }
    sim.instances =
        new InstanceFacts(Map.of("session-store", Instances.inState("MAINTENANCE", null)), null);
    sim.runUntil(90, Phase.RolledBack);
    assertThat(sim.status.step).isEqualTo(1);
    assertThat(sim.condition(Conditions.READY)).isEqualTo("False/DependencyMaintenance");
    sim.exits.add(new ContainerExit(CANDIDATE, 3, sim.now, List.of("Worker failed to boot.")));
    sim.round();
    assertThat(sim.traffic).containsExactlyElementsOf(split(0));
    sim.round();
    assertThat(sim.status.phase).isEqualTo(Phase.RolledBack);
  }

  @Test
  void aMaintenanceWithinADayOfTheRolloutIsAWarningEventOnce() {
    var instance =
        Instances.withMaintenance(
            Fixtures.T0.plus(Duration.ofHours(5)), Fixtures.T0.plus(Duration.ofHours(6)));
    Simulation sim = withInstance(instance, Map.of("REDIS_HOST", "10.0.0.3", "REDIS_PORT", "6379"));
    sim.runUntil(400, Phase.Promoted, Phase.RolledBack);
    assertThat(sim.status.phase).isEqualTo(Phase.Promoted);
    assertThat(sim.events)
        .filteredOn(e -> e.reason().equals("DependencyMaintenance"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.message())
                    .contains(Instances.NAME, Fixtures.T0.plus(Duration.ofHours(5)).toString()));
  }

  @Test
  void reverificationReportsDriftOfTheServingRevisionWithoutTouchingTraffic() {
    var ok = Map.of("REDIS_HOST", "10.0.0.3", "REDIS_PORT", "6379");
    Simulation sim = withInstance(Instances.ready("10.0.0.3", 6379, false), ok);
    sim.spec.verification = new VerificationSpec();
    sim.spec.verification.schedule = "0 */5 * * * ?";
    sim.dependencies = List.of(stamped(Fixtures.redisOk(), sim.now));
    sim.runUntil(600, Phase.Promoted);
    int moves = sim.trafficHistory.size();

    // the instance moved (e.g. recreated): the serving revision's REDIS_HOST is now stale
    sim.advance(Duration.ofMinutes(6));
    sim.dependencies = List.of(stamped(Fixtures.redisOk(), sim.now));
    sim.instances =
        new InstanceFacts(
            Map.of("session-store", Instances.ready("10.0.0.7", 6379, false)),
            Instances.revision(ok));
    Decision d = sim.round();
    assertThat(sim.condition(InstanceChecks.STABLE_CONFIG_MATCHES)).isEqualTo("False/ConfigDrift");
    assertThat(d.events())
        .anySatisfy(e -> assertThat(e.message()).contains("REDIS_HOST=10.0.0.3", "10.0.0.7:6379"));
    assertThat(sim.status.phase).isEqualTo(Phase.Promoted);
    assertThat(d.trafficMoves()).isEmpty();
    assertThat(sim.trafficHistory).hasSize(moves);
  }

  private static CheckResult stamped(CheckResult c, Instant at) {
    c.checkedAt = at.toString();
    return c;
  }
}
