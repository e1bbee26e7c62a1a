package dev.rungate.api.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.rungate.api.checks.Durations;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

public class RolloutStep {
  @Required
  @Min(1)
  @Max(100)
  @JsonPropertyDescription("Percent of traffic on the candidate at this step, 1-100.")
  public Integer percent;

  @Pattern(Durations.PATTERN)
  @JsonPropertyDescription(
      "How long to hold this step while probes keep passing, e.g. 60s. Default 0s.")
  public String pause;

  public RolloutStep() {}

  public RolloutStep(int percent, String pause) {
    this.percent = percent;
    this.pause = pause;
  }
}
