package dev.rungate.cli;

import dev.rungate.api.ReadinessPolicy;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** A readable summary: traffic, step, checks with latencies, conditions, last exit and evidence. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Shows what the gate sees and decided.")
public class StatusCommand implements Callable<Integer> {
  @Mixin PolicyRef policy;

  @Override
  public Integer call() throws Exception {
    ReadinessPolicy p = policy.resource().get();
    if (p == null) {
      System.err.println("rungate status: ReadinessPolicy " + policy.describe() + " not found");
      return 2;
    }
    var s = p.getStatus();
    System.out.println(
        "Policy:    "
            + p.getMetadata().getNamespace()
            + "/"
            + p.getMetadata().getName()
            + "  (service "
            + p.getSpec().service.resourceName()
            + ")");
    if (s == null) {
      System.out.println("Status:    not observed yet");
      return 0;
    }
    System.out.println("Phase:     " + s.phase + (s.step == null ? "" : "  step " + s.step));
    System.out.println("Stable:    " + s.stableRevision);
    System.out.println("Candidate: " + s.candidateRevision + "  at " + s.candidatePercent + "%");
    System.out.println("Traffic:   " + s.traffic);
    System.out.println("Checks:");
    s.checks.forEach(
        c -> System.out.println("  " + StatusLines.check(c) + "  " + c.target + "  " + c.message));
    System.out.println("Conditions:");
    s.conditions.forEach(c -> System.out.println("  " + StatusLines.condition(c)));
    if (s.lastExit != null) {
      System.out.println(
          "Last exit: "
              + s.lastExit.revision
              + " exit("
              + s.lastExit.exitCode
              + ") at "
              + s.lastExit.at
              + ": "
              + s.lastExit.message);
      if (s.lastExit.evidence != null) {
        s.lastExit.evidence.forEach(e -> System.out.println("  | " + e));
      }
    }
    if (!s.history.isEmpty()) {
      System.out.println("History:");
      s.history.forEach(
          h ->
              System.out.println(
                  "  " + h.at + "  " + h.revision + "  " + h.outcome + "  " + h.reason));
    }
    return 0;
  }
}
