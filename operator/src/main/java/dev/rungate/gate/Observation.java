package dev.rungate.gate;

import dev.rungate.api.CheckResult;
import dev.rungate.cloudrun.RevisionSnapshot;
import dev.rungate.cloudrun.ServiceSnapshot;
import dev.rungate.signals.ContainerExit;
import java.util.List;

/**
 * What the reconciler observed this round. {@code candidate} is null when the revision does not
 * exist (or could not be read); {@code dependencies} and {@code probes} are empty when they were not
 * run. Each source that could not be read is named by its own field, so one broken source never hides
 * the others: {@code exitsError} (Cloud Logging), {@code revisionError} (GetRevision),
 * {@code lastUpdateError} (the previous round's traffic update, refused by Cloud Run), and
 * {@code conflictWith} (another policy that gates the same service); {@code instances}: the Memorystore instances
 * the checks name, as the Admin API describes them.
 */
public record Observation(
    ServiceSnapshot service,
    RevisionSnapshot candidate,
    List<ContainerExit> exits,
    List<CheckResult> dependencies,
    List<CheckResult> probes,
    String exitsError,
    String revisionError,
    String lastUpdateError,
    String conflictWith,
    InstanceFacts instances) {

  public Observation {
    exits = exits == null ? List.of() : List.copyOf(exits);
    dependencies = dependencies == null ? List.of() : List.copyOf(dependencies);
    probes = probes == null ? List.of() : List.copyOf(probes);
    instances = instances == null ? InstanceFacts.NONE : instances;
  }

  public Observation(ServiceSnapshot service, RevisionSnapshot candidate, List<ContainerExit> exits,
      List<CheckResult> dependencies, List<CheckResult> probes) {
    this(service, candidate, exits, dependencies, probes, null, null, null, null, InstanceFacts.NONE);
  }

  /** The same observation with the Memorystore instances (and the stable revision) looked up. */
  public Observation withInstances(InstanceFacts facts) {
    return new Observation(service, candidate, exits, dependencies, probes, exitsError, revisionError, lastUpdateError,
        conflictWith, facts);
  }

  public static Observation ofService(ServiceSnapshot service) {
    return new Observation(service, null, List.of(), List.of(), List.of());
  }

  /** The same observation with a rolled-back candidate's exits, read while late log lines may still arrive. */
  public Observation withExits(List<ContainerExit> late) {
    return new Observation(service, candidate, late, dependencies, probes, exitsError, revisionError, lastUpdateError,
        conflictWith, instances);
  }

  public Observation withLastUpdateError(String error) {
    return new Observation(service, candidate, exits, dependencies, probes, exitsError, revisionError, error, conflictWith,
        instances);
  }

  public Observation withConflict(String otherPolicy) {
    return new Observation(service, candidate, exits, dependencies, probes, exitsError, revisionError, lastUpdateError,
        otherPolicy, instances);
  }
}
