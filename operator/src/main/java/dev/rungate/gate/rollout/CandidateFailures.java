package dev.rungate.gate.rollout;

import dev.rungate.api.ReadinessPolicyStatus;
import dev.rungate.api.checks.Durations;
import dev.rungate.domain.RevisionSnapshot;
import dev.rungate.gate.observed.Observation;
import dev.rungate.gate.outcome.FailureDetector;
import dev.rungate.gate.round.Round;
import dev.rungate.gate.spec.GateSettings;
import dev.rungate.gate.status.Reasons;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What fails a candidate in flight: an exit or a failed revision at any time, a failed dependency
 * or probe while it has traffic, and no progress for spec.rollout.progressDeadline.
 */
public final class CandidateFailures {
  private CandidateFailures() {}

  /**
   * An exit or a failed revision at any time; a failed dependency or probe while the candidate has
   * traffic.
   */
  public static Optional<FailureDetector.Failure> failure(
      ReadinessPolicyStatus st,
      GateSettings s,
      Observation obs,
      RevisionSnapshot rev,
      boolean withTraffic) {
    return FailureDetector.of(
            st.candidateRevision, rev, obs.exits(), s.failOnExitCodes(), st.retriedAt)
        .or(() -> withTraffic ? CheckVerdicts.failureWithTraffic(obs) : Optional.empty());
  }

  /**
   * No progress for spec.rollout.progressDeadline: counted from the last progress, or from when
   * this process began watching without a gap if that is later, so operator downtime or a clock
   * jump is never blamed on the candidate.
   */
  static Optional<FailureDetector.Failure> deadlinePassed(
      Round r, GateSettings s, Observation obs) {
    var st = r.status;
    if (st.heldSince != null || st.lastProgressAt == null) {
      return Optional.empty();
    }
    Instant from = Instant.parse(st.lastProgressAt);
    Instant watching = obs.process().watchingSince();
    if (watching != null && watching.isAfter(from)) {
      from = watching;
    }
    Duration hold = s.holdAt(Math.min(st.step, s.lastStep()));
    if (!r.now.isAfter(from.plus(s.progressDeadline()).plus(hold))) {
      return Optional.empty();
    }
    return Optional.of(
        new FailureDetector.Failure(
            Reasons.PROGRESS_DEADLINE_EXCEEDED,
            "Candidate "
                + st.candidateRevision
                + " made no progress at step "
                + st.step
                + " for "
                + Durations.format(s.progressDeadline())
                + " (spec.rollout.progressDeadline).",
            null));
  }
}
