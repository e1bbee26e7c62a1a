package dev.rungate.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The outcome of one probe: never just "failed" - the step that failed and why. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CheckResult {
  @JsonPropertyDescription("Check name from the spec.")
  public String name;

  @JsonPropertyDescription("memorystore, tcp, http, dns, websocket.")
  public String kind;

  @JsonPropertyDescription("What was probed (host:port, URL, name); never a secret.")
  public String target;

  @JsonPropertyDescription("Whether the check passed.")
  public Boolean passed;

  @JsonPropertyDescription(
      "The step that failed, e.g. DNS, CONNECT, TLS, AUTH, PING, ROLE, WRITE, LATENCY, STATUS, UPGRADE, EVENTS.")
  public String failedStep;

  @JsonPropertyDescription("How long the check took, in milliseconds.")
  public Long latencyMillis;

  @JsonPropertyDescription("Plain-words outcome, with the error class on failure.")
  public String message;

  @JsonPropertyDescription("When it ran (RFC 3339).")
  public String checkedAt;

  public static CheckResult passed(
      String name, String kind, String target, long millis, String message) {
    return of(name, kind, target, true, null, millis, message);
  }

  public static CheckResult failed(
      String name, String kind, String target, String step, long millis, String message) {
    return of(name, kind, target, false, step, millis, message);
  }

  private static CheckResult of(
      String name, String kind, String target, boolean ok, String step, long ms, String msg) {
    CheckResult r = new CheckResult();
    r.name = name;
    r.kind = kind;
    r.target = target;
    r.passed = ok;
    r.failedStep = step;
    r.latencyMillis = ms;
    r.message = msg;
    return r;
  }

  public boolean ok() {
    return Boolean.TRUE.equals(passed);
  }

  @Override
  public String toString() {
    return name
        + "("
        + kind
        + " "
        + target
        + "): "
        + (ok() ? "passed" : "failed at " + failedStep)
        + " - "
        + message;
  }
}
