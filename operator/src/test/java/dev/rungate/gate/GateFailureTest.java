package dev.rungate.gate;

import static dev.rungate.gate.Fixtures.CANDIDATE;
import static dev.rungate.gate.Fixtures.STABLE;
import static dev.rungate.gate.Fixtures.split;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rungate.api.Phase;
import dev.rungate.api.spec.VpcAccessSpec;
import dev.rungate.api.status.TrafficEntry;
import dev.rungate.domain.ContainerExit;
import dev.rungate.domain.RevisionSnapshot;
import dev.rungate.domain.VpcSettings;
import dev.rungate.gate.outcome.ExitEvidence;
import dev.rungate.gate.round.Decision;
import dev.rungate.gate.round.Round;
import dev.rungate.gate.status.Conditions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rollback triggers, blocking before traffic moves, and traffic changed by someone else. */
class GateFailureTest {

  private static ContainerExit exit(int code) {
    return new ContainerExit(
        CANDIDATE,
        code,
        Fixtures.T0.plusSeconds(5),
        List.of(
            "CRITICAL STARTUP FAILURE: GCP WebSocket readiness validation failed. Failed services: [redis].",
            "[ERROR] Worker (pid:14) exited with code 3"));
  }

  @Test
  void exitThreeAtZeroPercentRollsBackWithWorkerBootErrorAndEvidence() {
    Simulation sim = Simulation.atStep(0);
    sim.exits.add(exit(3));
    Decision d = sim.round();
    var events = d.events();
    assertThat(d.status().phase)
        .as("at 0% the candidate is already where a rollback puts it")
        .isEqualTo(Phase.RolledBack);
    assertThat(d.trafficMoves()).isEmpty();
    assertThat(sim.condition(Conditions.ROLLED_BACK)).isEqualTo("True/WorkerBootError");
    assertThat(sim.condition(Conditions.STALLED)).isEqualTo("True/WorkerBootError");
    assertThat(sim.condition(Conditions.CANDIDATE_HEALTHY)).isEqualTo("False/WorkerBootError");
    assertThat(sim.traffic).containsExactlyElementsOf(split(0));
    assertThat(d.status().lastExit.exitCode).isEqualTo(3);
    assertThat(d.status().lastExit.evidence).hasSize(2);
    var ready = Conditions.find(d.status().conditions, Conditions.READY).orElseThrow();
    assertThat(ready.getMessage())
        .contains("exited with code 3", "failed to boot", "Worker (pid:14)", STABLE);
    assertThat(events)
        .anySatisfy(
            e -> {
              assertThat(e.type()).isEqualTo("Warning");
              assertThat(e.reason()).isEqualTo("WorkerBootError");
            });
    assertThat(d.status().history)
        .first()
        .satisfies(
            h -> {
              assertThat(h.outcome).isEqualTo("RolledBack");
              assertThat(h.reason).isEqualTo("WorkerBootError");
            });
  }

  @Test
  void exitThreeAfterTrafficMovedSendsAllTrafficBackToStable() {
    Simulation sim = Simulation.atStep(2);
    assertThat(sim.traffic).containsExactlyElementsOf(split(50));
    sim.exits.add(exit(3));
    Decision d = sim.round();
    assertThat(d.trafficMoves())
        .singleElement()
        .satisfies(m -> assertThat(m.targets()).containsExactlyElementsOf(split(0)));
    assertThat(sim.traffic).containsExactlyElementsOf(split(0));
    assertThat(sim.status.phase).isEqualTo(Phase.RollingBack);
    sim.round();
    assertThat(sim.status.phase).isEqualTo(Phase.RolledBack);
  }

  @Test
  void logLinesThatArriveAfterTheExitCompleteItsEvidenceWhileTheyMayStillArrive() {
    Simulation sim = Simulation.atStep(1);
    Instant at = sim.now;
    List<String> early =
        List.of(
            "RuntimeError: CRITICAL STARTUP FAILURE: readiness validation failed.",
            "[INFO] Shutting down: Master");
    sim.exits.add(new ContainerExit(CANDIDATE, 3, at, early));
    sim.round();
    sim.round();
    assertThat(sim.status.phase).isEqualTo(Phase.RolledBack);
    assertThat(sim.status.lastExit.evidence).containsExactlyElementsOf(early);

    // Cloud Logging delivers gunicorn's last line after the exit entry that rolled the candidate
    // back
    List<String> complete =
        List.of(early.get(0), early.get(1), "[INFO] Reason: Worker failed to boot.");
    sim.exits.set(0, new ContainerExit(CANDIDATE, 3, at, complete));
    sim.advance(Duration.ofSeconds(3));
    Decision d = sim.round();
    assertThat(d.status().lastExit.evidence).containsExactlyElementsOf(complete);
    assertThat(Conditions.find(d.status().conditions, Conditions.READY).orElseThrow().getMessage())
        .contains("Last log line: [INFO] Reason: Worker failed to boot.", STABLE);
    assertThat(sim.condition(Conditions.READY)).isEqualTo("False/WorkerBootError");
    assertThat(sim.condition(Conditions.ROLLED_BACK)).isEqualTo("True/WorkerBootError");
    assertThat(d.trafficMoves()).isEmpty();
    assertThat(d.events()).as("the rollback was already announced").isEmpty();
    assertThat(d.requeueAfter()).isEqualTo(ExitEvidence.POLL);

    // once the window has passed the evidence stays as recorded and the policy rests
    sim.exits.set(0, new ContainerExit(CANDIDATE, 3, at, List.of("a line from much later")));
    sim.now = at.plus(ExitEvidence.WINDOW);
    d = sim.round();
    assertThat(d.status().lastExit.evidence).containsExactlyElementsOf(complete);
    assertThat(d.requeueAfter()).isEqualTo(Round.IDLE);
  }

  @Test
  void exitFourIsAnAppLoadErrorAndUnlistedCodesAreIgnored() {
    Simulation sim = Simulation.atStep(0);
    sim.exits.add(exit(137));
    assertThat(sim.round().status().phase).isEqualTo(Phase.Verifying);
    sim.exits.add(exit(4));
    sim.round();
    sim.round();
    assertThat(sim.condition(Conditions.ROLLED_BACK)).isEqualTo("True/AppLoadError");
  }

  @Test
  void healthCheckContainerErrorRollsBackAsContainerFailedToStart() {
    Simulation sim = Simulation.atStep(0);
    sim.candidate = Fixtures.failedToStart();
    sim.round();
    sim.round();
    assertThat(sim.condition(Conditions.ROLLED_BACK)).isEqualTo("True/ContainerFailedToStart");
    assertThat(Conditions.find(sim.status.conditions, Conditions.READY).orElseThrow().getMessage())
        .contains("HEALTH_CHECK_CONTAINER_ERROR", "PORT=8080");
  }

  @Test
  void aProbeFailingAfterTrafficMovedRollsBackAndNamesTheProbe() {
    Simulation sim = Simulation.atStep(1);
    sim.probes = List.of(Fixtures.probeFails());
    sim.round();
    sim.round();
    assertThat(sim.condition(Conditions.ROLLED_BACK)).isEqualTo("True/ProbeFailed");
    assertThat(
            Conditions.find(sim.status.conditions, Conditions.ROLLED_BACK)
                .orElseThrow()
                .getMessage())
        .contains("ready (http", "STATUS", "503");
    assertThat(sim.traffic).containsExactlyElementsOf(split(0));
  }

  @Test
  void aProbeFailingAtZeroPercentRestartsObservationWithoutRollback() {
    Simulation sim = Simulation.atStep(0);
    sim.advance(Duration.ofSeconds(20));
    sim.probes = List.of(Fixtures.probeFails());
    sim.round();
    assertThat(sim.status.phase).isEqualTo(Phase.Verifying);
    assertThat(sim.condition(Conditions.CANDIDATE_HEALTHY)).isEqualTo("False/ProbeFailed");
    sim.probes = List.of(Fixtures.probeOk());
    sim.advance(Duration.ofSeconds(20));
    assertThat(sim.round().trafficMoves()).as("observeFor restarted at the failure").isEmpty();
  }

  @Test
  void aDependencyDownBeforeTrafficMovesBlocksWithBackoffThenRecovers() {
    Simulation sim = Simulation.atStep(0);
    sim.dependencies = List.of(Fixtures.redisDown());
    Decision first = sim.round();
    assertThat(first.status().phase).isEqualTo(Phase.Blocked);
    assertThat(first.trafficMoves()).isEmpty();
    assertThat(sim.condition(Conditions.DEPENDENCIES_READY))
        .isEqualTo("False/DependencyUnreachable");
    assertThat(Conditions.find(sim.status.conditions, Conditions.READY).orElseThrow().getMessage())
        .contains("session-store", "CONNECT", "ConnectTimeoutException");
    Duration previous = first.requeueAfter();
    for (int i = 0; i < 8; i++) {
      sim.advance(Duration.ofMinutes(5));
      Decision d = sim.round();
      assertThat(d.trafficMoves()).isEmpty();
      assertThat(d.requeueAfter())
          .isGreaterThanOrEqualTo(previous)
          .isLessThanOrEqualTo(Duration.ofSeconds(30));
      previous = d.requeueAfter();
    }
    assertThat(previous).isEqualTo(Duration.ofSeconds(30));
    sim.dependencies = List.of(Fixtures.redisOk());
    sim.runUntil(600, Phase.Promoted, Phase.RolledBack);
    assertThat(sim.status.phase)
        .as("the same candidate proceeds, no redeploy")
        .isEqualTo(Phase.Promoted);
    assertThat(sim.status.candidateRevision).isEqualTo(CANDIDATE);
  }

  @Test
  void aDependencyDownAfterTrafficMovedRollsBack() {
    Simulation sim = Simulation.atStep(2);
    sim.dependencies = List.of(Fixtures.redisDown());
    sim.round();
    assertThat(sim.status.phase)
        .as("a rollback outranks the dependency that caused it")
        .isEqualTo(Phase.RollingBack);
    assertThat(sim.condition(Conditions.ROLLED_BACK)).isEqualTo("False/RollingBack");
    sim.round();
    assertThat(sim.condition(Conditions.ROLLED_BACK)).isEqualTo("True/DependencyUnreachable");
    assertThat(sim.status.phase).isEqualTo(Phase.RolledBack);
    assertThat(sim.traffic).containsExactlyElementsOf(split(0));
  }

  @Test
  void aVpcMismatchBlocksAndNamesBothValues() {
    var spec = Fixtures.spec();
    spec.revision.vpcAccess = new VpcAccessSpec();
    spec.revision.vpcAccess.connector =
        "projects/p/locations/us-central1/connectors/staging-connector";
    spec.revision.vpcAccess.egress = VpcAccessSpec.Egress.PRIVATE_RANGES_ONLY;
    Simulation sim = new Simulation(spec, split(0));
    sim.candidate =
        new RevisionSnapshot(
            CANDIDATE,
            RevisionSnapshot.ReadyState.SUCCEEDED,
            null,
            null,
            new VpcSettings(null, null, null, "ALL_TRAFFIC"),
            Fixtures.T0);
    for (int i = 0; i < 120; i++) {
      sim.round();
      sim.advance(Duration.ofSeconds(1));
    }
    assertThat(sim.status.phase).isEqualTo(Phase.Blocked);
    assertThat(sim.trafficHistory).hasSize(1);
    assertThat(Conditions.find(sim.status.conditions, Conditions.READY).orElseThrow())
        .satisfies(
            c -> {
              assertThat(c.getReason()).isEqualTo("VpcAccessMismatch");
              assertThat(c.getMessage())
                  .contains(
                      "connector is not set, expected projects/p/locations/us-central1/connectors/staging-connector",
                      "egress is ALL_TRAFFIC, expected PRIVATE_RANGES_ONLY");
            });
  }

  @Test
  void trafficChangedBySomeoneElseIsNotOverwritten() {
    Simulation sim = Simulation.atStep(1);
    var manual =
        List.of(new TrafficEntry(STABLE, 70, null), new TrafficEntry(CANDIDATE, 30, "candidate"));
    sim.apply(manual);
    for (int i = 0; i < 300; i++) {
      Decision d = sim.round();
      assertThat(d.trafficMoves()).isEmpty();
      sim.advance(Duration.ofSeconds(5));
    }
    assertThat(sim.status.phase).as("also past the progress deadline").isEqualTo(Phase.Paused);
    assertThat(sim.condition(Conditions.STALLED)).isEqualTo("True/TrafficChangedOutsideGate");
    assertThat(sim.traffic).isEqualTo(manual);
    sim.apply(split(10));
    sim.runUntil(600, Phase.Promoted, Phase.RolledBack);
    assertThat(sim.status.phase).isEqualTo(Phase.Promoted);
  }

  @Test
  void aCandidateThatNeverBecomesReadyIsRolledBackAtTheProgressDeadline() {
    Simulation sim = new Simulation(Fixtures.spec(), split(0));
    sim.candidate = Fixtures.pending();
    for (int i = 0; i < 700 && (sim.status == null || sim.status.phase != Phase.RolledBack); i++) {
      sim.round();
      sim.advance(Duration.ofSeconds(1));
    }
    assertThat(sim.condition(Conditions.ROLLED_BACK)).isEqualTo("True/ProgressDeadlineExceeded");
    long seconds = Duration.between(Fixtures.T0, sim.now).toSeconds();
    assertThat(seconds).as("10m deadline + 30s observeFor").isBetween(630L, 632L);
  }

  @Test
  void aRolledBackCandidateStaysRolledBackAndDoesNotRetryByItself() {
    Simulation sim = Simulation.atStep(1);
    sim.exits.add(exit(3));
    sim.round();
    sim.exits.clear();
    for (int i = 0; i < 100; i++) {
      sim.advance(Duration.ofSeconds(10));
      sim.round();
    }
    assertThat(sim.status.phase).isEqualTo(Phase.RolledBack);
    assertThat(sim.traffic).containsExactlyElementsOf(split(0));
  }
}
