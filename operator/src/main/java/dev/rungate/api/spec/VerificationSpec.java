package dev.rungate.api.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

public class VerificationSpec {
  @JsonPropertyDescription(
      "Quartz cron expression for re-verifying dependencies while idle, e.g. '0 */5 * * * ?'.")
  public String schedule;
}
