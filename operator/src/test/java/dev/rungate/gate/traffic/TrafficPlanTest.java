package dev.rungate.gate.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungate.api.status.TrafficEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficPlanTest {
  private static final List<TrafficEntry> PLAN = TrafficPlan.split("a", "b", "candidate", 10);

  @Test
  void splitPinsBothRevisionsAndTagsTheCandidate() {
    assertThat(PLAN)
        .containsExactly(new TrafficEntry("a", 90, null), new TrafficEntry("b", 10, "candidate"));
  }

  @Test
  void matchesComparesPercentPerRevisionAndTagsNotOrder() {
    assertThat(
            TrafficPlan.matches(
                List.of(new TrafficEntry("b", 10, "candidate"), new TrafficEntry("a", 90, null)),
                PLAN))
        .isTrue();
    assertThat(
            TrafficPlan.matches(
                List.of(
                    new TrafficEntry("b", 10, "candidate"),
                    new TrafficEntry("a", 85, null),
                    new TrafficEntry("old", 5, null)),
                PLAN))
        .isFalse();
    assertThat(
            TrafficPlan.matches(
                List.of(new TrafficEntry("b", 10, null), new TrafficEntry("a", 90, null)), PLAN))
        .as("tag missing")
        .isFalse();
    assertThat(
            TrafficPlan.matches(
                List.of(
                    new TrafficEntry("a", 90, null),
                    new TrafficEntry("a", 0, "prod"),
                    new TrafficEntry("b", 10, "candidate")),
                List.of(new TrafficEntry("a", 90, "prod"), new TrafficEntry("b", 10, "candidate"))))
        .as("a tag on its own target or on the percent target routes the same")
        .isTrue();
  }

  @Test
  void someoneElsesTagsStayWhereTheyAreAndTheGatesTagMovesToTheCandidate() {
    var observed =
        List.of(
            new TrafficEntry("a", 100, "prod"),
            new TrafficEntry("old", 0, "blue"),
            new TrafficEntry("z", 0, "candidate"));
    var targets = TrafficPlan.plan("a", "b", "candidate", 10, observed, List.of());
    assertThat(
            TrafficPlan.matches(
                targets,
                List.of(
                    new TrafficEntry("a", 90, null),
                    new TrafficEntry("a", 0, "prod"),
                    new TrafficEntry("b", 10, "candidate"),
                    new TrafficEntry("old", 0, "blue"))))
        .as(targets.toString())
        .isTrue();
  }

  @Test
  void someoneElsesSplitKeepsItsShareAndTheCandidateStepsThroughTheRest() {
    var observed = List.of(new TrafficEntry("a", 80, null), new TrafficEntry("x", 20, "blue"));
    assertThat(TrafficPlan.plan("a", "b", "candidate", 50, observed, List.of()))
        .containsExactlyInAnyOrder(
            new TrafficEntry("a", 40, null),
            new TrafficEntry("b", 40, "candidate"),
            new TrafficEntry("x", 20, "blue"));
    assertThat(TrafficPlan.plan("a", "b", "candidate", 100, observed, List.of()))
        .containsExactlyInAnyOrder(
            new TrafficEntry("a", 0, null),
            new TrafficEntry("b", 80, "candidate"),
            new TrafficEntry("x", 20, "blue"));
  }

  @Test
  void aSupersededCandidatesShareGoesBackToStable() {
    var observed =
        List.of(
            new TrafficEntry("a", 20, null), new TrafficEntry("old-candidate", 80, "candidate"));
    assertThat(TrafficPlan.plan("a", "c", "candidate", 0, observed, List.of("old-candidate")))
        .containsExactlyInAnyOrder(
            new TrafficEntry("a", 100, null), new TrafficEntry("c", 0, "candidate"));
  }

  @Test
  void busiestAndSoleRevision() {
    assertThat(
            TrafficPlan.busiestExcept(
                List.of(
                    new TrafficEntry("a", 30, null),
                    new TrafficEntry("c", 70, null),
                    new TrafficEntry("b", 0, "candidate")),
                List.of("b")))
        .isEqualTo("c");
    assertThat(TrafficPlan.busiestExcept(List.of(new TrafficEntry("b", 100, null)), List.of("b")))
        .isNull();
    assertThat(
            TrafficPlan.soleRevision(
                List.of(new TrafficEntry("a", 100, null), new TrafficEntry("b", 0, "x"))))
        .isEqualTo("a");
    assertThat(
            TrafficPlan.soleRevision(
                List.of(new TrafficEntry("a", 50, null), new TrafficEntry("b", 50, null))))
        .isNull();
  }
}
