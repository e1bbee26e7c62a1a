package dev.rungate.probe.net;

import dev.rungate.api.checks.DnsCheck;
import dev.rungate.api.status.CheckResult;
import dev.rungate.api.status.CheckStep;
import dev.rungate.probe.step.Attempt;
import dev.rungate.probe.step.HostResolver;
import dev.rungate.probe.step.StepFailure;
import java.util.List;

/** Resolves a name and reports its addresses. */
final class DnsProbe {
  private final HostResolver resolver;

  DnsProbe(HostResolver resolver) {
    this.resolver = resolver;
  }

  CheckResult probe(Attempt a, DnsCheck check) {
    if (check.name == null || check.name.isBlank()) {
      throw new StepFailure(CheckStep.SPEC.name(), "SPEC failed: dns needs a name (InvalidSpec)");
    }
    List<String> addresses = resolver.resolveName(check.name, a);
    if (addresses.isEmpty()) {
      throw new StepFailure(
          "DNS", "DNS failed: '" + check.name + "' resolved to no address (NoAddress)");
    }
    return a.passed(check.name + " -> " + String.join(", ", addresses));
  }
}
