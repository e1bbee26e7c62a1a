package dev.rungate.gate.observed;

import dev.rungate.api.status.CheckResult;
import dev.rungate.api.status.TrafficEntry;
import dev.rungate.domain.ContainerExit;
import dev.rungate.domain.RevisionSnapshot;
import dev.rungate.domain.ServiceSnapshot;
import java.time.Instant;
import java.util.List;

/**
 * What the reconciler observed this round. {@code candidate} is null when the revision does not
 * exist (or could not be read); {@code dependencies} and {@code probes} are empty when they were
 * not run. Each source that could not be read is named by its own field, so one broken source never
 * hides the others: {@code exitsError} (Cloud Logging; {@code exitsRead} says whether exits were
 * asked for at all), ({@code exitsCatchingUp}: not an outage, the feed is still reading what was
 * logged before; blind all the same), {@code revisionError} (GetRevision) and {@code conflictWith}
 * (another policy that gates the same service); {@code instances}: the Memorystore instances the
 * checks name, as the Admin API describes them; {@code process}: what this operator process itself
 * remembers of the policy (lost on a restart).
 */
public record Observation(
    ServiceSnapshot service,
    RevisionSnapshot candidate,
    List<ContainerExit> exits,
    List<CheckResult> dependencies,
    List<CheckResult> probes,
    String exitsError,
    String revisionError,
    String conflictWith,
    InstanceFacts instances,
    boolean exitsRead,
    ProcessMemory process,
    boolean exitsCatchingUp) {

  /**
   * What this process saw of its own actions: {@code lastUpdateError}, Cloud Run's refusal of its
   * last traffic update (null when accepted or none sent); {@code lastAccepted}, the targets of its
   * last accepted update (null when none) and {@code acceptedAt}, the time of the round that
   * decided it; {@code watchingSince}, since when it has looked at the policy without a gap (null:
   * this is its first look, or the first after a gap or a clock jump), so the progress deadline
   * counts only time the gate was watching.
   */
  public record ProcessMemory(
      String lastUpdateError,
      List<TrafficEntry> lastAccepted,
      Instant acceptedAt,
      Instant watchingSince) {
    public static final ProcessMemory NONE = new ProcessMemory(null, null, null, null);
  }

  public Observation {
    exits = exits == null ? List.of() : List.copyOf(exits);
    dependencies = dependencies == null ? List.of() : List.copyOf(dependencies);
    probes = probes == null ? List.of() : List.copyOf(probes);
    instances = instances == null ? InstanceFacts.NONE : instances;
    process = process == null ? ProcessMemory.NONE : process;
  }

  /** A candidate's observation whose exits were read without an error. */
  public Observation(
      ServiceSnapshot service,
      RevisionSnapshot candidate,
      List<ContainerExit> exits,
      List<CheckResult> dependencies,
      List<CheckResult> probes) {
    this(
        service,
        candidate,
        exits,
        dependencies,
        probes,
        null,
        null,
        null,
        InstanceFacts.NONE,
        true,
        ProcessMemory.NONE,
        false);
  }

  /**
   * Only the service: nothing else was read (no rollout in flight, or a round that needs nothing
   * more).
   */
  public static Observation ofService(ServiceSnapshot service) {
    return new Observation(
        service,
        null,
        List.of(),
        List.of(),
        List.of(),
        null,
        null,
        null,
        InstanceFacts.NONE,
        false,
        ProcessMemory.NONE,
        false);
  }

  /** The same observation with the Memorystore instances (and the stable revision) looked up. */
  public Observation withInstances(InstanceFacts facts) {
    return new Observation(
        service,
        candidate,
        exits,
        dependencies,
        probes,
        exitsError,
        revisionError,
        conflictWith,
        facts,
        exitsRead,
        process,
        exitsCatchingUp);
  }

  /**
   * The same observation with a rolled-back candidate's exits, read while late log lines may still
   * arrive.
   */
  public Observation withExits(List<ContainerExit> late) {
    return new Observation(
        service,
        candidate,
        late,
        dependencies,
        probes,
        exitsError,
        revisionError,
        conflictWith,
        instances,
        exitsRead,
        process,
        exitsCatchingUp);
  }

  public Observation withExitsError(String error) {
    return new Observation(
        service,
        candidate,
        exits,
        dependencies,
        probes,
        error,
        revisionError,
        conflictWith,
        instances,
        true,
        process,
        false);
  }

  public Observation withProcess(ProcessMemory memory) {
    return new Observation(
        service,
        candidate,
        exits,
        dependencies,
        probes,
        exitsError,
        revisionError,
        conflictWith,
        instances,
        exitsRead,
        memory,
        exitsCatchingUp);
  }

  public Observation withConflict(String otherPolicy) {
    return new Observation(
        service,
        candidate,
        exits,
        dependencies,
        probes,
        exitsError,
        revisionError,
        otherPolicy,
        instances,
        exitsRead,
        process,
        exitsCatchingUp);
  }

  /** Cloud Run's refusal of this process's last traffic update, or null. */
  public String lastUpdateError() {
    return process.lastUpdateError();
  }
}
