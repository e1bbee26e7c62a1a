package dev.rungate.gate;

import static dev.rungate.gate.Fixtures.CANDIDATE;
import static dev.rungate.gate.Fixtures.split;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rungate.api.Phase;
import dev.rungate.domain.ContainerExit;
import dev.rungate.gate.status.Conditions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Manual controls through annotations: each value acts once. */
class GateCommandsTest {

  @Test
  void abortRollsBackOnceWithManualAbort() {
    Simulation sim = Simulation.atStep(2);
    sim.annotations.put("rungate.dev/abort", "2026-11-27T10:05:00Z");
    sim.round();
    sim.round();
    assertThat(sim.condition(Conditions.ROLLED_BACK)).isEqualTo("True/ManualAbort");
    assertThat(sim.traffic).containsExactlyElementsOf(split(0));
    assertThat(sim.status.handledCommands).containsEntry("abort", "2026-11-27T10:05:00Z");
  }

  @Test
  void promoteJumpsToFullTrafficAndPromotes() {
    Simulation sim = Simulation.atStep(1);
    sim.annotations.put("rungate.dev/promote", "1");
    sim.round();
    assertThat(sim.traffic).containsExactlyElementsOf(split(100));
    sim.advance(Duration.ofSeconds(1));
    sim.round();
    sim.advance(Duration.ofSeconds(1));
    sim.round();
    assertThat(sim.status.phase).isEqualTo(Phase.Promoted);
    assertThat(sim.trafficHistory).containsExactly(split(0), split(10), split(100));
  }

  @Test
  void retryVerifiesARolledBackCandidateAgainIgnoringOldExits() {
    Simulation sim = Simulation.atStep(1);
    sim.exits.add(new ContainerExit(CANDIDATE, 3, sim.now, List.of("Worker failed to boot.")));
    sim.round();
    sim.round();
    assertThat(sim.status.phase).isEqualTo(Phase.RolledBack);
    sim.advance(Duration.ofSeconds(30));
    sim.annotations.put("rungate.dev/retry", "a");
    sim.runUntil(600, Phase.Promoted, Phase.RolledBack);
    assertThat(sim.status.phase).isEqualTo(Phase.Promoted);
    assertThat(sim.status.history)
        .extracting(h -> h.outcome)
        .containsExactly("Promoted", "RolledBack");
  }

  @Test
  void aHandledCommandValueDoesNothingTheSecondTime() {
    Simulation sim = Simulation.atStep(1);
    sim.annotations.put("rungate.dev/abort", "x");
    sim.round();
    sim.annotations.put("rungate.dev/retry", "y");
    sim.round();
    assertThat(sim.status.phase).isNotEqualTo(Phase.RolledBack);
    sim.runUntil(600, Phase.Promoted, Phase.RolledBack);
    assertThat(sim.status.phase)
        .as("the old abort value is not applied again")
        .isEqualTo(Phase.Promoted);
  }
}
