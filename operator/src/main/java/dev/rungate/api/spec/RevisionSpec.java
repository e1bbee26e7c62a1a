package dev.rungate.api.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.rungate.api.checks.Durations;
import io.fabric8.generator.annotation.Pattern;
import java.util.List;

public class RevisionSpec {
  @JsonPropertyDescription(
      "VPC settings the candidate must have; a mismatch blocks the rollout before traffic moves.")
  public VpcAccessSpec vpcAccess;

  @JsonPropertyDescription("Probes run against the candidate's tag URL.")
  public List<RevisionProbe> probes;

  @JsonPropertyDescription(
      "Container exit codes that mean startup validation failed. Default [3, 4] (gunicorn worker boot / app load errors).")
  public List<Integer> failOnExitCodes;

  @Pattern(Durations.PATTERN)
  @JsonPropertyDescription(
      "How long the candidate must stay healthy at 0% before the first traffic step. Default 30s.")
  public String observeFor;
}
