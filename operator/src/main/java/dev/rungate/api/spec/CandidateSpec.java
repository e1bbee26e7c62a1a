package dev.rungate.api.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

public class CandidateSpec {
  @JsonPropertyDescription(
      "Revision to gate. Empty means: follow the service's latestCreatedRevision.")
  public String revision;

  @Default("candidate")
  @Pattern("^[a-z]([-a-z0-9]{0,45}[a-z0-9])?$")
  @JsonPropertyDescription(
      "Tag put on the candidate at 0% so it can be probed on its own URL. Default: candidate.")
  public String tag;
}
