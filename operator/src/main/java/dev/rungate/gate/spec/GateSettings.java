package dev.rungate.gate.spec;

import dev.rungate.api.ReadinessPolicySpec;
import dev.rungate.api.checks.Durations;
import dev.rungate.api.spec.RevisionProbe;
import dev.rungate.api.spec.RevisionSpec;
import dev.rungate.api.spec.RolloutStep;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The spec with its defaults applied. Build it only from a spec that passed {@link SpecValidator}.
 */
public record GateSettings(
    String pinnedCandidate,
    String tag,
    List<Integer> stepPercents,
    List<Duration> stepPauses,
    Duration observeFor,
    Duration progressDeadline,
    Set<Integer> failOnExitCodes,
    List<RevisionProbe> probes,
    boolean paused) {

  public static final String DEFAULT_TAG = "candidate";
  public static final Duration DEFAULT_OBSERVE_FOR = Duration.ofSeconds(30);
  public static final Duration DEFAULT_PROGRESS_DEADLINE = Duration.ofMinutes(10);
  public static final List<Integer> DEFAULT_FAIL_ON_EXIT_CODES = List.of(3, 4);

  public static GateSettings of(ReadinessPolicySpec spec) {
    var cand = spec.candidate;
    var rev = spec.revision;
    var rollout = spec.rollout;
    List<RolloutStep> steps =
        rollout == null || rollout.steps == null || rollout.steps.isEmpty()
            ? List.of(new RolloutStep(100, "0s"))
            : rollout.steps;
    return new GateSettings(
        cand == null || cand.revision == null || cand.revision.isBlank() ? null : cand.revision,
        cand == null || cand.tag == null || cand.tag.isBlank() ? DEFAULT_TAG : cand.tag,
        steps.stream().map(s -> s.percent).toList(),
        steps.stream().map(s -> Durations.parse(s.pause, Duration.ZERO)).toList(),
        Durations.parse(rev == null ? null : rev.observeFor, DEFAULT_OBSERVE_FOR),
        Durations.parse(
            rollout == null ? null : rollout.progressDeadline, DEFAULT_PROGRESS_DEADLINE),
        Set.copyOf(
            rev == null || rev.failOnExitCodes == null
                ? DEFAULT_FAIL_ON_EXIT_CODES
                : rev.failOnExitCodes),
        rev == null || rev.probes == null ? List.of() : rev.probes,
        Boolean.TRUE.equals(spec.paused));
  }

  /**
   * The settings of a spec that may be invalid (a bad edit mid-rollout): every field that cannot be
   * read falls back to its default, so failure detection keeps working while the gate holds.
   */
  public static GateSettings lenient(ReadinessPolicySpec spec) {
    try {
      return of(spec);
    } catch (RuntimeException e) {
      ReadinessPolicySpec safe = new ReadinessPolicySpec();
      safe.service = spec == null ? null : spec.service;
      safe.candidate = spec == null ? null : spec.candidate;
      safe.paused = spec == null ? null : spec.paused;
      if (spec != null && spec.revision != null) {
        safe.revision = new RevisionSpec();
        safe.revision.failOnExitCodes =
            spec.revision.failOnExitCodes == null
                ? null
                : spec.revision.failOnExitCodes.stream().filter(Objects::nonNull).toList();
      }
      return of(safe);
    }
  }

  /** Number of traffic steps; step indexes run 0 (candidate at 0%) to lastStep(). */
  public int lastStep() {
    return stepPercents.size();
  }

  public int percentAt(int step) {
    return step == 0 ? 0 : stepPercents.get(step - 1);
  }

  /** How long the candidate must stay healthy at this step before the next one. */
  public Duration holdAt(int step) {
    return step == 0 ? observeFor : stepPauses.get(step - 1);
  }
}
