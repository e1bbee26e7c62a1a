package dev.rungate.gate;

import static dev.rungate.gate.Fixtures.split;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rungate.api.Phase;
import dev.rungate.api.spec.DeployWindow;
import dev.rungate.api.spec.VerificationSpec;
import dev.rungate.api.status.CheckResult;
import dev.rungate.domain.ContainerExit;
import dev.rungate.gate.round.Decision;
import dev.rungate.gate.status.Conditions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Deploy windows and scheduled re-verification, on an injected clock (Fixtures.T0 is Friday 10:00
 * UTC).
 */
class GateSchedulesTest {

  private static Simulation withWindow(String cron, String zone) {
    var spec = Fixtures.spec();
    spec.rollout.window = new DeployWindow();
    spec.rollout.window.schedule = cron;
    spec.rollout.window.timeZone = zone;
    return new Simulation(spec, split(0));
  }

  @Test
  void stepsWaitOutsideTheWindowAndNameTheNextOpening() {
    Simulation sim = withWindow("* * 14-15 ? * MON-FRI", "UTC"); // T0 is 10:00 UTC
    for (int i = 0; i < 300; i++) {
      sim.round();
      sim.advance(Duration.ofSeconds(1));
    }
    assertThat(sim.trafficHistory).containsExactly(split(0));
    assertThat(sim.status.phase).isEqualTo(Phase.Paused);
    assertThat(Conditions.find(sim.status.conditions, Conditions.READY).orElseThrow())
        .satisfies(
            c -> {
              assertThat(c.getReason()).isEqualTo("OutsideDeployWindow");
              assertThat(c.getMessage()).contains("opens at 2026-11-27T14:00:00Z");
            });
    assertThat(sim.last.requeueAfter()).isEqualTo(Duration.ofSeconds(60));
    sim.now =
        Instant.parse(
            "2026-11-27T14:00:00Z"); // hours later: the wait does not count against the deadline
    sim.runUntil(600, Phase.Promoted);
    assertThat(sim.status.phase).isEqualTo(Phase.Promoted);
    assertThat(sim.condition(Conditions.ROLLED_BACK)).isEqualTo("False/NotRolledBack");
  }

  @Test
  void theWindowFollowsItsTimeZone() {
    // 10:00 UTC is 11:00 in Berlin (CET): inside 11-12 Berlin, outside 11-12 UTC
    Simulation berlin = withWindow("* * 11 ? * *", "Europe/Berlin");
    berlin.runUntil(100, Phase.Progressing);
    assertThat(berlin.status.phase).isEqualTo(Phase.Progressing);
    Simulation utc = withWindow("* * 11 ? * *", "UTC");
    utc.runUntil(100, Phase.Progressing);
    assertThat(utc.status.phase).isEqualTo(Phase.Paused);
  }

  @Test
  void rollbacksAreNeverHeldBackByTheWindow() {
    Simulation sim = withWindow("* * 10 ? * *", "UTC");
    sim.spec.rollout.steps.get(0).pause =
        "80m"; // the 10% step ends after the window closed at 11:00
    while (sim.now.isBefore(Instant.parse("2026-11-27T11:30:00Z"))) {
      sim.round();
      sim.advance(Duration.ofSeconds(30));
    }
    assertThat(sim.status.step).isEqualTo(1);
    assertThat(sim.status.phase).isEqualTo(Phase.Paused);
    sim.exits.add(
        new ContainerExit(Fixtures.CANDIDATE, 3, sim.now, List.of("Worker failed to boot.")));
    sim.round();
    sim.round();
    assertThat(sim.status.phase).isEqualTo(Phase.RolledBack);
    assertThat(sim.traffic).containsExactlyElementsOf(split(0));
  }

  @Test
  void scheduledReverificationWhileIdleReportsABrokenDependency() {
    var spec = Fixtures.spec();
    spec.verification = new VerificationSpec();
    spec.verification.schedule = "0 */5 * * * ?";
    Simulation sim = new Simulation(spec, split(0));
    sim.dependencies = List.of(stamped(Fixtures.redisOk(), sim.now));
    sim.runUntil(600, Phase.Promoted);
    sim.round();
    String verified = sim.status.lastVerifiedAt;
    assertThat(verified).isNotNull();

    sim.advance(
        Duration.ofMinutes(6)); // a fire time passed; the checks that come back are older than it
    sim.dependencies = List.of(stamped(Fixtures.redisDown(), Fixtures.T0));
    assertThat(sim.round().requeueAfter())
        .as("stale results do not count")
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(sim.status.lastVerifiedAt).isEqualTo(verified);

    sim.dependencies = List.of(stamped(Fixtures.redisDown(), sim.now));
    Decision d = sim.round();
    assertThat(sim.condition(Conditions.DEPENDENCIES_READY))
        .isEqualTo("False/DependencyUnreachable");
    assertThat(d.events())
        .anySatisfy(e -> assertThat(e.reason()).isEqualTo("DependencyUnreachable"));
    assertThat(sim.status.phase).as("the promotion stands").isEqualTo(Phase.Promoted);
    assertThat(d.trafficMoves()).isEmpty();
    assertThat(sim.round().events()).as("one Event, not one per round").isEmpty();
  }

  @Test
  void aBadWindowIsAnInvalidSpec() {
    Simulation sim = withWindow("nine to five", "Mars/Olympus");
    sim.round();
    assertThat(sim.status.phase).isEqualTo(Phase.Invalid);
    assertThat(Conditions.find(sim.status.conditions, Conditions.READY).orElseThrow().getMessage())
        .contains("spec.rollout.window.schedule", "spec.rollout.window.timeZone");
  }

  private static CheckResult stamped(CheckResult c, Instant at) {
    c.checkedAt = at.toString();
    return c;
  }
}
