package dev.rungate.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungate.api.TrafficEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficPlanTest {
  private static final List<TrafficEntry> PLAN = TrafficPlan.split("a", "b", "candidate", 10);

  @Test
  void splitPinsBothRevisionsAndTagsTheCandidate() {
    assertThat(PLAN).containsExactly(new TrafficEntry("a", 90, null), new TrafficEntry("b", 10, "candidate"));
  }

  @Test
  void matchesIgnoresOrderAndOtherRevisionsAtZeroButNotTheirTraffic() {
    assertThat(TrafficPlan.matches(List.of(new TrafficEntry("b", 10, "candidate"), new TrafficEntry("a", 90, null),
        new TrafficEntry("old", 0, "blue")), PLAN)).isTrue();
    assertThat(TrafficPlan.matches(List.of(new TrafficEntry("b", 10, "candidate"), new TrafficEntry("a", 85, null),
        new TrafficEntry("old", 5, null)), PLAN)).isFalse();
    assertThat(TrafficPlan.matches(List.of(new TrafficEntry("b", 10, null), new TrafficEntry("a", 90, null)), PLAN))
        .as("tag missing").isFalse();
  }

  @Test
  void someoneElsesTagsAtZeroAreKept() {
    var targets = TrafficPlan.withForeignTags(PLAN, List.of(new TrafficEntry("a", 100, null),
        new TrafficEntry("old", 0, "blue"), new TrafficEntry("z", 0, "candidate")));
    assertThat(targets).containsExactly(new TrafficEntry("a", 90, null), new TrafficEntry("b", 10, "candidate"),
        new TrafficEntry("old", 0, "blue"));
  }

  @Test
  void busiestExceptPicksTheServingRevision() {
    assertThat(TrafficPlan.busiestExcept(List.of(new TrafficEntry("a", 30, null), new TrafficEntry("c", 70, null),
        new TrafficEntry("b", 0, "candidate")), "b")).isEqualTo("c");
    assertThat(TrafficPlan.busiestExcept(List.of(new TrafficEntry("b", 100, null)), "b")).isNull();
  }
}
