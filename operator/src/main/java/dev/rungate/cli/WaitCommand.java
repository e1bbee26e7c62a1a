package dev.rungate.cli;

import dev.rungate.api.ReadinessPolicy;
import dev.rungate.api.ReadinessPolicyStatus;
import dev.rungate.api.checks.Durations;
import dev.rungate.gate.status.Conditions;
import dev.rungate.gate.status.Phases;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Blocks a pipeline until the candidate is promoted (0), rolled back or stalled (1), or time runs
 * out (2). A Promoted=True left from a previous candidate or generation does not count.
 */
@Command(
    name = "wait",
    mixinStandardHelpOptions = true,
    description = "Waits for the gate's verdict on a candidate.")
public class WaitCommand implements Callable<Integer> {
  @Mixin PolicyRef policy;

  @Option(
      names = "--revision",
      description =
          "Candidate to wait for. Default: spec.candidate.revision, else the candidate the operator reports once it has seen the current spec.")
  String revision;

  @Option(
      names = "--timeout",
      defaultValue = "15m",
      description = "Give up after this long (exit 2). Default: ${DEFAULT-VALUE}.")
  String timeout;

  @Option(names = "--interval", defaultValue = "1s", hidden = true)
  String interval;

  @Override
  public Integer call() throws Exception {
    Instant deadline = Instant.now().plus(Durations.parse(timeout, Duration.ofMinutes(15)));
    long sleep = Durations.parse(interval, Duration.ofSeconds(1)).toMillis();
    String last = null;
    started = Instant.now();
    while (Instant.now().isBefore(deadline)) {
      ReadinessPolicy p = policy.resource().get();
      if (p == null) {
        System.err.println("rungate wait: ReadinessPolicy " + policy.describe() + " not found");
        return 2;
      }
      String change = StatusLines.changeKey(p);
      if (!change.equals(last)) {
        System.out.println(
            LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss"))
                + " "
                + StatusLines.progress(p));
        last = change;
      }
      Optional<Integer> verdict = verdict(p);
      if (verdict.isPresent()) {
        return verdict.get();
      }
      Thread.sleep(sleep);
    }
    ReadinessPolicy p = policy.resource().get();
    System.out.println(
        "rungate wait: timed out after "
            + timeout
            + "; last state: "
            + (p == null ? "policy gone" : StatusLines.progress(p)));
    return 2;
  }

  /**
   * When the wait began, and the candidate the status named then: a verdict on it from before does
   * not count.
   */
  private Instant started;

  private String candidateAtStart;
  private boolean firstLook = true;

  private Optional<Integer> verdict(ReadinessPolicy p) {
    var s = p.getStatus();
    if (firstLook) {
      firstLook = false;
      candidateAtStart =
          s == null || Phases.inFlight(s)
              ? null
              : s.candidateRevision; // an open rollout's verdict counts
    }
    if (s == null || !Objects.equals(s.observedGeneration, p.getMetadata().getGeneration())) {
      return Optional.empty();
    }
    if ("InvalidSpec".equals(Conditions.reason(s.conditions, Conditions.READY))) {
      return fail(p, Conditions.READY, "invalid");
    }
    String expected =
        revision != null
            ? revision
            : p.getSpec().candidate != null && p.getSpec().candidate.revision != null
                ? p.getSpec().candidate.revision
                : s.candidateRevision;
    if (expected == null || !expected.equals(s.candidateRevision)) {
      return Optional.empty();
    }
    boolean unpinned =
        revision == null
            && (p.getSpec().candidate == null || p.getSpec().candidate.revision == null);
    if (unpinned && expected.equals(candidateAtStart) && !decidedSinceStart(s)) {
      return Optional
          .empty(); // the verdict on the candidate before this deploy: wait for the operator to see
      // the new one
    }
    if (s.rollback != null && !Boolean.TRUE.equals(s.rollback.done)) {
      return "RollbackFailed".equals(Conditions.reason(s.conditions, Conditions.READY))
          ? fail(p, Conditions.READY, "rollback failed")
          : Optional.empty();
    }
    if (Conditions.isTrue(s.conditions, Conditions.PROMOTED)) {
      System.out.println("promoted: " + expected + " serves 100% of " + p.getSpec().service.name);
      return Optional.of(0);
    }
    if (Conditions.isTrue(s.conditions, Conditions.ROLLED_BACK)) {
      return fail(p, Conditions.ROLLED_BACK, "rolled back");
    }
    if (Conditions.isTrue(s.conditions, Conditions.STALLED)) {
      return fail(p, Conditions.STALLED, "stalled");
    }
    return Optional.empty();
  }

  /**
   * Promoted or RolledBack turned True after the wait began (the rollout was still open when it
   * started).
   */
  private boolean decidedSinceStart(ReadinessPolicyStatus s) {
    return s.conditions.stream()
        .filter(c -> "True".equals(c.getStatus()))
        .filter(
            c ->
                Conditions.PROMOTED.equals(c.getType())
                    || Conditions.ROLLED_BACK.equals(c.getType()))
        .anyMatch(
            c ->
                c.getLastTransitionTime() != null
                    && !Instant.parse(c.getLastTransitionTime())
                        .isBefore(started.truncatedTo(ChronoUnit.SECONDS)));
  }

  private static Optional<Integer> fail(ReadinessPolicy p, String type, String verdict) {
    Condition c = Conditions.find(p.getStatus().conditions, type).orElseThrow();
    System.out.println(verdict + ": " + c.getReason() + ": " + c.getMessage());
    var exit = p.getStatus().lastExit;
    if (exit != null && exit.evidence != null) {
      exit.evidence.forEach(e -> System.out.println("  | " + e));
    }
    return Optional.of(1);
  }
}
