package dev.rungate.reconciler;

import dev.rungate.api.ReadinessPolicySpec;
import dev.rungate.cloudrun.CloudRun;
import dev.rungate.domain.RevisionSnapshot;
import dev.rungate.domain.ServiceSnapshot;
import dev.rungate.gate.observed.InstanceFacts;
import dev.rungate.gate.traffic.TrafficPlan;
import dev.rungate.probe.Probes;
import java.util.List;

/**
 * Reads what the Memorystore decisions need: the instances the checks name, and for re-verification
 * the serving revision.
 */
final class InstanceFactsReader {
  private InstanceFactsReader() {}

  static InstanceFacts forCandidate(Probes probes, ReadinessPolicySpec spec) {
    return hasInstances(spec)
        ? new InstanceFacts(probes.instances(spec.dependencies), null)
        : InstanceFacts.NONE;
  }

  /** Only when a check names revisionEnv: the revision serving most traffic, with its env vars. */
  static InstanceFacts forVerification(
      CloudRun cloudRun, Probes probes, ReadinessPolicySpec spec, ServiceSnapshot service) {
    boolean env =
        spec.dependencies != null
            && spec.dependencies.memorystore != null
            && spec.dependencies.memorystore.stream().anyMatch(c -> c.revisionEnv != null);
    if (!env) {
      return forCandidate(probes, spec);
    }
    String serving = TrafficPlan.busiestExcept(service.traffic(), List.of());
    RevisionSnapshot stable =
        serving == null ? null : cloudRun.getRevision(spec.service, serving).orElse(null);
    return new InstanceFacts(probes.instances(spec.dependencies), stable);
  }

  private static boolean hasInstances(ReadinessPolicySpec spec) {
    return spec.dependencies != null
        && spec.dependencies.memorystore != null
        && spec.dependencies.memorystore.stream().anyMatch(c -> c.instance != null);
  }
}
