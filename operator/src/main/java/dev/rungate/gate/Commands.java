package dev.rungate.gate;

import java.util.Map;
import java.util.Optional;

/**
 * Manual controls, carried out through annotations so the API server audits who asked: the CLI sets
 * {@code rungate.dev/<command>} to a fresh value; the core acts once per value and records it in
 * status.handledCommands.
 */
public final class Commands {
  public static final String PREFIX = "rungate.dev/";
  public static final String ABORT = "abort";
  public static final String PROMOTE = "promote";
  public static final String RETRY = "retry";

  private Commands() {}

  /** The value of a command not yet handled, if any; marks it handled in the round's status. */
  static Optional<String> take(Round r, Map<String, String> annotations, String command) {
    String value = annotations == null ? null : annotations.get(PREFIX + command);
    if (value == null || value.equals(r.status.handledCommands.get(command))) {
      return Optional.empty();
    }
    r.status.handledCommands.put(command, value);
    return Optional.of(value);
  }

  /** Applies pending commands; returns true when one decided this round. Abort works even on an invalid spec. */
  static boolean apply(Round r, GateSettings s, java.util.List<String> errors, Map<String, String> annotations,
      dev.rungate.cloudrun.ServiceSnapshot svc) {
    var st = r.status;
    if (take(r, annotations, RETRY).isPresent() && st.rollback != null && errors.isEmpty()) {
      st.step = 0;
      st.stepPercent = 0;
      st.reachedPercent = null;
      st.stepStartedAt = null;
      st.healthySince = null;
      st.lastProgressAt = r.now.toString();
      st.blockedAttempts = null;
      st.retriedAt = r.now.toString();
      st.rollback = null;
      r.set(Conditions.ROLLED_BACK, Conditions.FALSE, Reasons.NOT_ROLLED_BACK, "Retried by a user (rungate retry).");
      r.stalled(false, Reasons.VERIFYING, "Retried by a user.");
      r.emit("Normal", "Retry", "Candidate " + st.candidateRevision + " is verified again (rungate retry).");
      return false;
    }
    if (take(r, annotations, ABORT).isPresent() && Gate.inFlight(st) && st.rollback == null) {
      Rollback.decide(r, s, svc, Observation.ofService(svc), new FailureDetector.Failure(Reasons.MANUAL_ABORT,
          "Rollout of " + st.candidateRevision + " aborted by a user (rungate abort).", null));
      return true;
    }
    if (take(r, annotations, PROMOTE).isPresent() && Gate.inFlight(st) && st.rollback == null && errors.isEmpty()
        && st.step < s.lastStep()) {
      st.step = s.lastStep();
      st.stepPercent = 100;
      st.stepStartedAt = null;
      st.lastProgressAt = r.now.toString();
      r.setTraffic(Rollout.planAt(st, svc, 100), svc.etag(), "manual promote: candidate 100%");
      r.emit("Normal", "ManualPromote", "Candidate " + st.candidateRevision + " moved to 100% by a user (rungate promote).");
      Rollout.inFlight(r, Reasons.TRAFFIC_MOVING, "Moving candidate " + st.candidateRevision + " to 100% (manual promote).");
      return true;
    }
    return false;
  }
}
