package dev.rungate.gate.outcome;

import dev.rungate.api.ReadinessPolicyStatus;
import dev.rungate.domain.ContainerExit;
import dev.rungate.gate.observed.Observation;
import dev.rungate.gate.round.Round;
import dev.rungate.gate.status.Conditions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Cloud Logging delivers entries late and out of order (platform-facts.md): the lines a worker
 * printed just before its exit, such as gunicorn's "Reason: Worker failed to boot.", may arrive
 * after the "Container called exit(3)." entry that rolled it back. For {@link #WINDOW} after a
 * recorded exit the candidate's log is still read, and the exit's evidence and the rollback's "Last
 * log line" are completed as late lines arrive. The rollback never waits for them.
 */
public final class ExitEvidence {
  /**
   * Longer than Cloud Logging's usual ingestion delay (seconds) plus the tail's 2 s reorder window.
   */
  public static final Duration WINDOW = Duration.ofSeconds(30);

  /** How often a rolled-back policy looks again while late lines may still arrive. */
  public static final Duration POLL = Duration.ofSeconds(2);

  private ExitEvidence() {}

  /**
   * True while a recorded exit that caused a rollback is recent enough for its late log lines to
   * still arrive.
   */
  public static boolean stillArriving(ReadinessPolicyStatus st, Instant now) {
    return st != null
        && st.rollback != null
        && st.lastExit != null
        && st.lastExit.at != null
        && st.lastExit.revision != null
        && now.isBefore(Instant.parse(st.lastExit.at).plus(WINDOW));
  }

  /**
   * Completes the recorded exit (and the rollback's message) from this round's exits; true while
   * the window is open, so the round looks again within {@link #POLL}.
   */
  public static boolean complete(Round r, Observation obs) {
    var st = r.status;
    if (!stillArriving(st, r.now)) {
      return false;
    }
    Instant at = Instant.parse(st.lastExit.at);
    Optional<ContainerExit> same =
        obs.exits().stream()
            .filter(
                e ->
                    st.lastExit.revision.equals(e.revision())
                        && at.equals(e.at())
                        && e.exitCode() == st.lastExit.exitCode)
            .findFirst();
    if (same.isEmpty() || same.get().evidence().equals(st.lastExit.evidence)) {
      return true;
    }
    FailureDetector.Failure completed = FailureDetector.fromExit(same.get());
    st.lastExit.evidence = completed.exit().evidence;
    var rb = st.rollback;
    if (completed.reason().equals(rb.reason) && st.lastExit.at.equals(rb.failureAt)) {
      rb.message = completed.message();
      if (Conditions.find(st.conditions, Conditions.CANDIDATE_HEALTHY)
          .filter(c -> Conditions.FALSE.equals(c.getStatus()) && rb.reason.equals(c.getReason()))
          .isPresent()) {
        r.set(Conditions.CANDIDATE_HEALTHY, Conditions.FALSE, rb.reason, rb.message);
      }
    }
    return true;
  }
}
