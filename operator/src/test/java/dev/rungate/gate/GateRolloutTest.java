package dev.rungate.gate;

import static dev.rungate.gate.Fixtures.CANDIDATE;
import static dev.rungate.gate.Fixtures.STABLE;
import static dev.rungate.gate.Fixtures.split;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rungate.api.Phase;
import dev.rungate.api.spec.RolloutStep;
import dev.rungate.api.status.TrafficEntry;
import dev.rungate.domain.RevisionSnapshot;
import dev.rungate.gate.round.Action;
import dev.rungate.gate.round.Decision;
import dev.rungate.gate.status.Conditions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The happy path and its timing rules: verify at 0%, observe, step with pauses, promote. */
class GateRolloutTest {

  @Test
  void newCandidateIsPutAtZeroPercentUnderItsTagFirst() {
    Simulation sim = new Simulation(Fixtures.spec(), List.of(new TrafficEntry(STABLE, 100, null)));
    Decision d = sim.round();
    assertThat(d.status().candidateRevision).isEqualTo(CANDIDATE);
    assertThat(d.status().stableRevision).isEqualTo(STABLE);
    assertThat(d.status().step).isZero();
    assertThat(d.trafficMoves())
        .singleElement()
        .satisfies(m -> assertThat(m.targets()).containsExactlyElementsOf(split(0)));
    assertThat(d.events()).extracting(Action.Emit::reason).contains("CandidateDetected");
    assertThat(d.status().phase).isEqualTo(Phase.Verifying);
  }

  @Test
  void candidateMustStayHealthyForObserveForBeforeAnyTrafficMoves() {
    Simulation sim = new Simulation(Fixtures.spec(), split(0));
    sim.round();
    assertThat(sim.last.trafficMoves()).isEmpty();
    sim.advance(Duration.ofSeconds(29));
    assertThat(sim.round().trafficMoves()).isEmpty();
    assertThat(sim.status.phase).isEqualTo(Phase.Verifying);
    sim.advance(Duration.ofSeconds(1));
    Decision d = sim.round();
    assertThat(d.status().step).isEqualTo(1);
    assertThat(d.trafficMoves())
        .singleElement()
        .satisfies(m -> assertThat(m.targets()).containsExactlyElementsOf(split(10)));
  }

  @Test
  void waitsForTheRevisionToBeReadyWithoutMovingTraffic() {
    Simulation sim = new Simulation(Fixtures.spec(), split(0));
    sim.candidate = Fixtures.pending();
    for (int i = 0; i < 60; i++) {
      sim.round();
      sim.advance(Duration.ofSeconds(1));
    }
    assertThat(sim.trafficHistory).hasSize(1);
    assertThat(sim.condition(Conditions.CANDIDATE_HEALTHY)).isEqualTo("Unknown/RevisionNotReady");
    assertThat(sim.status.phase).isEqualTo(Phase.Verifying);
  }

  @Test
  void walksEveryStepWithItsPauseAndPromotes() {
    Simulation sim = new Simulation(Fixtures.spec(), List.of(new TrafficEntry(STABLE, 100, null)));
    sim.runUntil(600, Phase.Promoted);
    assertThat(sim.status.phase).isEqualTo(Phase.Promoted);
    assertThat(sim.trafficHistory)
        .containsExactly(
            List.of(new TrafficEntry(STABLE, 100, null)),
            split(0),
            split(10),
            split(50),
            split(100));
    assertThat(sim.condition(Conditions.PROMOTED)).isEqualTo("True/Promoted");
    assertThat(sim.condition(Conditions.READY)).isEqualTo("True/Promoted");
    assertThat(sim.condition(Conditions.RECONCILING)).isEqualTo("False/Promoted");
    assertThat(sim.status.stableRevision).isEqualTo(CANDIDATE);
    assertThat(sim.status.history)
        .first()
        .satisfies(
            h -> {
              assertThat(h.outcome).isEqualTo("Promoted");
              assertThat(h.revision).isEqualTo(CANDIDATE);
            });
    // 1 round to 0%, 30s observe, 60s at 10%, 120s at 50%: about 210s of simulated time
    long seconds = Duration.between(Fixtures.T0, sim.now).toSeconds();
    assertThat(seconds).isBetween(210L, 220L);
  }

  @Test
  void everyTrafficTargetIsPinnedToARevisionByName() {
    Simulation sim = new Simulation(Fixtures.spec(), List.of(new TrafficEntry(STABLE, 100, null)));
    sim.runUntil(600, Phase.Promoted);
    assertThat(sim.trafficHistory)
        .allSatisfy(t -> assertThat(t).allSatisfy(e -> assertThat(e.revision).isNotBlank()));
  }

  @Test
  void pauseHoldsTheStepAndResumeContinues() {
    var spec = Fixtures.spec();
    Simulation sim = new Simulation(spec, split(0));
    sim.round();
    spec.paused = true;
    sim.advance(Duration.ofMinutes(30));
    Decision d = sim.round();
    assertThat(d.trafficMoves()).isEmpty();
    assertThat(sim.status.phase).isEqualTo(Phase.Paused);
    assertThat(sim.condition(Conditions.READY)).isEqualTo("False/PausedByUser");
    spec.paused = false;
    sim.round();
    assertThat(sim.status.phase).isNotEqualTo(Phase.RolledBack);
    sim.runUntil(600, Phase.Promoted);
    assertThat(sim.status.phase).isEqualTo(Phase.Promoted);
  }

  @Test
  void aServiceWithOnlyOneRevisionIsIdle() {
    var spec = Fixtures.spec();
    spec.candidate.revision = null;
    Simulation sim = new Simulation(spec, List.of(new TrafficEntry(CANDIDATE, 100, null)));
    Decision d = sim.round();
    assertThat(d.status().phase).isEqualTo(Phase.Idle);
    assertThat(d.trafficMoves()).isEmpty();
    assertThat(sim.condition(Conditions.READY)).isEqualTo("True/Idle");
  }

  @Test
  void followsLatestCreatedRevisionWhenNoneIsPinned() {
    var spec = Fixtures.spec();
    spec.candidate.revision = "";
    Simulation sim = new Simulation(spec, List.of(new TrafficEntry(STABLE, 100, null)));
    assertThat(sim.round().status().candidateRevision).isEqualTo(CANDIDATE);
  }

  @Test
  void aNewCandidateMidRolloutSupersedesTheOldOneAndRestartsTheSequence() {
    var spec = Fixtures.spec();
    Simulation sim = new Simulation(spec, split(0));
    sim.runUntil(100, Phase.Progressing);
    spec.candidate.revision = "svc-00003-ghi";
    sim.candidate =
        new RevisionSnapshot(
            "svc-00003-ghi", RevisionSnapshot.ReadyState.SUCCEEDED, null, null, null, Fixtures.T0);
    Decision d = sim.round();
    assertThat(d.status().candidateRevision).isEqualTo("svc-00003-ghi");
    assertThat(d.status().step).isZero();
    assertThat(d.status().history)
        .first()
        .satisfies(h -> assertThat(h.outcome).isEqualTo("Superseded"));
    assertThat(sim.condition(Conditions.PROMOTED)).isEqualTo("False/NotPromoted");
  }

  @Test
  void lastTransitionTimeIsKeptWhileAConditionKeepsItsStatus() {
    Simulation sim = new Simulation(Fixtures.spec(), split(0));
    sim.round();
    String first =
        Conditions.find(sim.status.conditions, Conditions.RECONCILING)
            .orElseThrow()
            .getLastTransitionTime();
    sim.advance(Duration.ofSeconds(5));
    sim.round();
    var c = Conditions.find(sim.status.conditions, Conditions.RECONCILING).orElseThrow();
    assertThat(c.getLastTransitionTime()).isEqualTo(first);
    assertThat(c.getObservedGeneration()).isEqualTo(1L);
    assertThat(c.getReason()).matches("[A-Z][A-Za-z]+");
  }

  @Test
  void editingTheStepsMidRolloutNeitherWedgesNorMovesTheCandidateDown() {
    for (var edited : List.of(List.of(100), List.of(10, 20, 100), List.of(5, 50, 100))) {
      Simulation sim = Simulation.atStep(2); // 50%
      sim.spec.rollout.steps =
          new ArrayList<>(edited.stream().map(p -> new RolloutStep(p, "1s")).toList());
      sim.runUntil(600, Phase.Promoted, Phase.Paused, Phase.RolledBack);
      assertThat(sim.status.phase).as("steps " + edited).isEqualTo(Phase.Promoted);
      assertThat(sim.trafficHistory)
          .as("steps " + edited)
          .containsExactly(split(0), split(10), split(50), split(100));
      assertThat(sim.events)
          .extracting(Action.Emit::reason)
          .doesNotContain("TrafficChangedOutsideGate");
      if (edited.size() < 3) { // the recorded step index no longer exists
        assertThat(sim.events).extracting(Action.Emit::reason).contains("StepsEdited");
      }
    }
  }
}
