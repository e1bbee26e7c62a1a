package dev.rungate.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The operator's answer to the last manual command (rungate abort, promote or retry). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CommandAnswer {
  @JsonPropertyDescription("abort, promote or retry.")
  public String command;

  @JsonPropertyDescription(
      "The annotation value the command was given with (rungate.dev/<command>).")
  public String value;

  @JsonPropertyDescription(
      "Applied, or Ignored when it did not fit the policy's state (another candidate, a changed spec, nothing in flight).")
  public String outcome;

  @JsonPropertyDescription("What the operator did, or why it did nothing, in plain words.")
  public String message;

  @JsonPropertyDescription("When the operator answered (RFC 3339).")
  public String at;

  public CommandAnswer() {}

  public CommandAnswer(String command, String value, String outcome, String message, String at) {
    this.command = command;
    this.value = value;
    this.outcome = outcome;
    this.message = message;
    this.at = at;
  }
}
