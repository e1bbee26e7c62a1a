package dev.rungate.gate;

import dev.rungate.api.CheckResult;
import dev.rungate.cloudrun.RevisionSnapshot;
import dev.rungate.cloudrun.ServiceSnapshot;
import dev.rungate.signals.ContainerExit;
import java.util.List;

/**
 * What the reconciler observed this round. {@code candidate} is null when the revision does not
 * exist; {@code dependencies} and {@code probes} are empty when they were not run.
 */
public record Observation(
    ServiceSnapshot service,
    RevisionSnapshot candidate,
    List<ContainerExit> exits,
    List<CheckResult> dependencies,
    List<CheckResult> probes,
    InstanceFacts instances) {

  public Observation {
    exits = exits == null ? List.of() : List.copyOf(exits);
    dependencies = dependencies == null ? List.of() : List.copyOf(dependencies);
    probes = probes == null ? List.of() : List.copyOf(probes);
    instances = instances == null ? InstanceFacts.NONE : instances;
  }

  public Observation(ServiceSnapshot service, RevisionSnapshot candidate, List<ContainerExit> exits,
      List<CheckResult> dependencies, List<CheckResult> probes) {
    this(service, candidate, exits, dependencies, probes, InstanceFacts.NONE);
  }

  /** The same observation with the Memorystore instances (and the stable revision) looked up. */
  public Observation withInstances(InstanceFacts facts) {
    return new Observation(service, candidate, exits, dependencies, probes, facts);
  }

  public static Observation ofService(ServiceSnapshot service) {
    return new Observation(service, null, List.of(), List.of(), List.of());
  }
}
