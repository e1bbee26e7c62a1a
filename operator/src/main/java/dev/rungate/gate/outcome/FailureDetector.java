package dev.rungate.gate.outcome;

import dev.rungate.api.status.ExitRecord;
import dev.rungate.domain.ContainerExit;
import dev.rungate.domain.RevisionSnapshot;
import dev.rungate.gate.status.Reasons;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds why a candidate must not get traffic: a startup-validation exit, or a failed Ready
 * condition.
 */
public final class FailureDetector {
  private FailureDetector() {}

  /** Why the candidate fails, and the exit behind it if one is. */
  public record Failure(String reason, String message, ExitRecord exit) {}

  /**
   * The candidate's latest exit with a failing code (since its retry), else its failed revision.
   */
  public static Optional<Failure> of(
      String candidate,
      RevisionSnapshot revision,
      List<ContainerExit> exits,
      Set<Integer> failOn,
      String retriedAt) {
    Instant since = retriedAt == null ? Instant.MIN : Instant.parse(retriedAt);
    Optional<ContainerExit> exit =
        exits.stream()
            .filter(
                e ->
                    candidate.equals(e.revision())
                        && failOn.contains(e.exitCode())
                        && !e.at().isBefore(since))
            .max(Comparator.comparing(ContainerExit::at));
    if (exit.isPresent()) {
      return Optional.of(fromExit(exit.get()));
    }
    if (revision != null && revision.hasFailed()) {
      boolean neverStarted = "HEALTH_CHECK_CONTAINER_ERROR".equals(revision.reason());
      return Optional.of(
          new Failure(
              neverStarted ? Reasons.CONTAINER_FAILED_TO_START : Reasons.REVISION_FAILED,
              "Cloud Run marked revision "
                  + candidate
                  + " failed ("
                  + revision.reason()
                  + "): "
                  + revision.message(),
              null));
    }
    return Optional.empty();
  }

  static Failure fromExit(ContainerExit e) {
    String meaning =
        switch (e.exitCode()) {
          case 3 -> "the gunicorn worker failed to boot: the app's startup validation raised";
          case 4 -> "gunicorn could not load the app module";
          default -> "the container exited during startup";
        };
    String reason =
        switch (e.exitCode()) {
          case 3 -> Reasons.WORKER_BOOT_ERROR;
          case 4 -> Reasons.APP_LOAD_ERROR;
          default -> Reasons.CONTAINER_EXITED;
        };
    ExitRecord record = new ExitRecord();
    record.revision = e.revision();
    record.exitCode = e.exitCode();
    record.at = e.at().toString();
    record.evidence = e.evidence();
    record.message = "Container called exit(" + e.exitCode() + "): " + meaning + ".";
    String lastLine =
        e.evidence().isEmpty()
            ? ""
            : " Last log line: " + e.evidence().get(e.evidence().size() - 1);
    return new Failure(
        reason,
        "Candidate "
            + e.revision()
            + " exited with code "
            + e.exitCode()
            + " at "
            + e.at()
            + " ("
            + meaning
            + ")."
            + lastLine,
        record);
  }
}
