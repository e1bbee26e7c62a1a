package dev.rungate.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.rungate.api.checks.DependenciesSpec;
import dev.rungate.api.spec.CandidateSpec;
import dev.rungate.api.spec.RevisionSpec;
import dev.rungate.api.spec.RolloutSpec;
import dev.rungate.api.spec.ServiceRef;
import dev.rungate.api.spec.VerificationSpec;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReadinessPolicySpec {
  @Required
  @JsonPropertyDescription("The Cloud Run service this policy gates.")
  public ServiceRef service;

  @JsonPropertyDescription("Which revision to gate and the tag it gets while at 0%.")
  public CandidateSpec candidate;

  @JsonPropertyDescription(
      "Dependencies probed from the operator before any traffic moves and while it moves.")
  public DependenciesSpec dependencies;

  @JsonPropertyDescription(
      "Checks on the candidate revision itself: VPC settings, probes on its tag URL, exit codes.")
  public RevisionSpec revision;

  @JsonPropertyDescription(
      "How traffic moves to the candidate: steps with pauses, and a progress deadline.")
  public RolloutSpec rollout;

  @JsonPropertyDescription("When dependencies are re-verified while no rollout is in flight.")
  public VerificationSpec verification;

  @JsonPropertyDescription(
      "When true the gate observes but moves no traffic until set back to false.")
  public Boolean paused;
}
