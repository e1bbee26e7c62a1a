package dev.rungate.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExitRecord {
  @JsonPropertyDescription("Revision whose container exited.")
  public String revision;

  @JsonPropertyDescription("Exit code from \"Container called exit(N).\".")
  public Integer exitCode;

  @JsonPropertyDescription("What the exit means, in plain words.")
  public String message;

  @JsonPropertyDescription(
      "The last container log lines before the exit (redacted, each at most 200 characters).")
  public List<String> evidence;

  @JsonPropertyDescription("When Cloud Run logged the exit (RFC 3339).")
  public String at;
}
