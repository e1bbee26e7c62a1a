package dev.rungate.gate;

import static dev.rungate.gate.Fixtures.STABLE;
import static dev.rungate.gate.Fixtures.split;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rungate.api.Phase;
import dev.rungate.api.status.TrafficEntry;
import dev.rungate.domain.ContainerExit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operator dies at every possible point of a rollout (before the status write, or after it and
 * before the traffic move) and starts again: no step is skipped or repeated, and the service never
 * takes a traffic value outside the plan.
 */
class GateCrashResumeTest {
  private static final List<TrafficEntry> START = List.of(new TrafficEntry(STABLE, 100, null));
  private static final List<List<TrafficEntry>> PLAN =
      List.of(START, split(0), split(10), split(50), split(100));

  /** Rounds of a full rollout that carry a traffic move, as found by a crash-free run. */
  static Stream<Arguments> crashPoints() {
    Simulation sim = new Simulation(Fixtures.spec(), START);
    List<Integer> movingRounds = new ArrayList<>();
    for (int i = 0; i < 600 && (sim.status == null || sim.status.phase != Phase.Promoted); i++) {
      if (!sim.round().trafficMoves().isEmpty()) {
        movingRounds.add(i);
      }
      sim.advance(Duration.ofSeconds(1));
    }
    return movingRounds.stream()
        .flatMap(
            round ->
                Stream.of(
                    Arguments.of(round, "before status write"),
                    Arguments.of(round, "after status write, before the move")));
  }

  @ParameterizedTest(name = "crash at round {0}, {1}")
  @MethodSource("crashPoints")
  void resumesFromTheRecordedIntent(int crashRound, String where) {
    Simulation sim = new Simulation(Fixtures.spec(), START);
    for (int i = 0; i < 900 && (sim.status == null || sim.status.phase != Phase.Promoted); i++) {
      if (i == crashRound) {
        boolean writes = where.startsWith("after");
        sim.round(writes, false);
        sim.advance(Duration.ofSeconds(7)); // the restart takes a while
      } else {
        sim.round();
        sim.advance(Duration.ofSeconds(1));
      }
    }
    assertThat(sim.status.phase).isEqualTo(Phase.Promoted);
    assertThat(sim.trafficHistory).containsExactlyElementsOf(PLAN);
    assertThat(sim.events.stream().filter(e -> e.reason().equals("StepStarted")).count())
        .as("no step started twice (an Event of the crashed round may be lost)")
        .isBetween(2L, 3L);
  }

  @ParameterizedTest(name = "exit at step {0}, crash after the rollback intent")
  @MethodSource("steps")
  void anInterruptedRollbackIsFinishedAfterRestart(int step) {
    Simulation sim = Simulation.atStep(step);
    sim.exits.add(
        new ContainerExit(Fixtures.CANDIDATE, 3, sim.now, List.of("Worker failed to boot.")));
    sim.round(true, false);
    assertThat(sim.status.phase).isEqualTo(step == 0 ? Phase.RolledBack : Phase.RollingBack);
    sim.exits
        .clear(); // log retention or a restarted reader: the recorded intent alone must finish the
    // job
    sim.advance(Duration.ofSeconds(3));
    sim.round();
    assertThat(sim.traffic).containsExactlyElementsOf(split(0));
    sim.round();
    assertThat(sim.status.phase).isEqualTo(Phase.RolledBack);
  }

  static Stream<Integer> steps() {
    return IntStream.rangeClosed(0, 2).boxed();
  }
}
