package dev.rungate.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** A rollback from its decision until Cloud Run reports the stable revision's traffic back. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RollbackStatus {
  @JsonPropertyDescription(
      "Condition reason of the failure that decided the rollback, e.g. WorkerBootError.")
  public String reason;

  @JsonPropertyDescription("The failure in plain words.")
  public String message;

  @JsonPropertyDescription(
      "When the failure happened (the exit log entry's time) or was detected (RFC 3339).")
  public String failureAt;

  @JsonPropertyDescription("When the rollback was decided (RFC 3339).")
  public String decidedAt;

  @JsonPropertyDescription(
      "When the rollback traffic was last sent to Cloud Run (RFC 3339); recorded before sending.")
  public String sentAt;

  @JsonPropertyDescription(
      "For a rollback a person asked for (abort, revert): the traffic the service was asked for then, which the rollback overrides; a routing set after it is left alone.")
  public List<TrafficEntry> overrides;

  @JsonPropertyDescription(
      "The sentAt of the rollback update Cloud Run accepted (RFC 3339); from then on a person's routing is left alone, even after rungate abort.")
  public String acceptedAt;

  @JsonPropertyDescription("Traffic updates for this rollback that Cloud Run refused so far.")
  public Integer failedAttempts;

  @JsonPropertyDescription(
      "The sentAt of the last update Cloud Run refused (each refusal is counted once).")
  public String failedSendAt;

  @JsonPropertyDescription("Cloud Run's answer to the last refused update.")
  public String lastError;

  @JsonPropertyDescription(
      "True once Cloud Run reports the stable revision's traffic back (then RolledBack=True).")
  public Boolean done;
}
