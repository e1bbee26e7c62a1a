package dev.rungate.cli;

import dev.rungate.api.ReadinessPolicy;
import dev.rungate.api.ReadinessPolicyStatus;
import dev.rungate.api.status.CheckResult;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.stream.Collectors;

/** Short readable renderings of a policy's status, shared by wait and status. */
final class StatusLines {
  private StatusLines() {}

  static String progress(ReadinessPolicy p) {
    ReadinessPolicyStatus s = p.getStatus();
    if (s == null) {
      return "waiting for the operator to observe the policy";
    }
    return s.phase
        + " step "
        + s.step
        + ", candidate "
        + s.candidateRevision
        + " at "
        + (s.candidatePercent == null ? 0 : s.candidatePercent)
        + "%"
        + (s.checks.isEmpty() ? "" : " | " + checks(s));
  }

  /**
   * What counts as a change worth a progress line: phase, step, traffic, which checks pass (not
   * their latencies).
   */
  static String changeKey(ReadinessPolicy p) {
    ReadinessPolicyStatus s = p.getStatus();
    if (s == null) {
      return "";
    }
    return s.phase
        + "|"
        + s.step
        + "|"
        + s.candidatePercent
        + "|"
        + s.candidateRevision
        + "|"
        + s.checks.stream().map(c -> c.name + "=" + c.ok()).collect(Collectors.joining(","));
  }

  static String checks(ReadinessPolicyStatus s) {
    return s.checks.stream().map(StatusLines::check).collect(Collectors.joining(", "));
  }

  static String check(CheckResult c) {
    return c.name
        + " "
        + (c.ok() ? "ok" : "FAILED at " + c.failedStep)
        + " "
        + c.latencyMillis
        + "ms";
  }

  static String condition(Condition c) {
    return String.format(
        "%-18s %-7s %-26s %s", c.getType(), c.getStatus(), c.getReason(), c.getMessage());
  }
}
