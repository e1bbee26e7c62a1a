package dev.rungate.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class HistoryEntry {
  @JsonPropertyDescription("Candidate revision.")
  public String revision;

  @JsonPropertyDescription("Promoted, RolledBack or Superseded.")
  public String outcome;

  @JsonPropertyDescription("Condition reason behind the outcome.")
  public String reason;

  @JsonPropertyDescription("When (RFC 3339).")
  public String at;

  public HistoryEntry() {}

  public HistoryEntry(String revision, String outcome, String reason, String at) {
    this.revision = revision;
    this.outcome = outcome;
    this.reason = reason;
    this.at = at;
  }
}
