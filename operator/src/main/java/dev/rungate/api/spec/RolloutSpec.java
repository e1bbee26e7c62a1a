package dev.rungate.api.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.rungate.api.checks.Durations;
import io.fabric8.generator.annotation.Pattern;
import java.util.List;

public class RolloutSpec {
  @JsonPropertyDescription(
      "Traffic steps for the candidate, strictly increasing and ending at 100. Default [{percent: 100}].")
  public List<RolloutStep> steps;

  @Pattern(Durations.PATTERN)
  @JsonPropertyDescription(
      "A step (or the wait for a healthy candidate) that makes no progress for this long beyond its pause is rolled back. Default 10m.")
  public String progressDeadline;

  @JsonPropertyDescription(
      "Deploy window: traffic steps happen only inside it; outside, the rollout waits (phase Paused, reason OutsideDeployWindow). Rollbacks are never held back.")
  public DeployWindow window;
}
