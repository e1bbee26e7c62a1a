package dev.rungate.gate.rollout;

import dev.rungate.gate.observed.Observation;
import dev.rungate.gate.round.Round;
import dev.rungate.gate.status.Conditions;
import dev.rungate.gate.status.Reasons;

/**
 * The health of the failure signals themselves. A source that cannot be read is reported on its own
 * condition; it never stops decisions that other sources justify, but the gate does not give a
 * candidate more traffic while it cannot see the candidate's exits.
 */
public final class Signals {
  private Signals() {}

  /**
   * Only a round that asked Cloud Logging says anything about it: an unread source is not a healthy
   * one.
   */
  public static void record(Round r, Observation obs) {
    if (!obs.exitsRead()
        || obs.exitsCatchingUp()) { // (catching up is no outage: nothing to report, only to wait)
      return;
    }
    if (obs.exitsError() == null) {
      r.set(
          Conditions.EXIT_SIGNALS_AVAILABLE,
          Conditions.TRUE,
          Reasons.EXIT_SIGNALS_READ,
          "Container exits are read from Cloud Logging.");
      return;
    }
    if (r.set(
        Conditions.EXIT_SIGNALS_AVAILABLE,
        Conditions.FALSE,
        Reasons.EXIT_SIGNALS_UNAVAILABLE,
        unavailable(obs))) {
      r.emit("Warning", Reasons.EXIT_SIGNALS_UNAVAILABLE, unavailable(obs));
    }
  }

  static boolean blind(Observation obs) {
    return obs.exitsError() != null;
  }

  /**
   * Ready's reason while exits are not seen: an outage is a problem (a Warning), catching up is
   * verifying.
   */
  static String blindReason(Observation obs) {
    return obs.exitsCatchingUp() ? Reasons.VERIFYING : Reasons.EXIT_SIGNALS_UNAVAILABLE;
  }

  static String unavailable(Observation obs) {
    if (obs.exitsCatchingUp()) {
      return "Reading what Cloud Logging holds for the candidate ("
          + obs.exitsError()
          + "); no step moves forward"
          + " until its exits are known.";
    }
    return "Cloud Logging could not be read ("
        + obs.exitsError()
        + "), so container exits are not seen. Rollbacks"
        + " from other signals still happen; no step moves forward until exits can be read again.";
  }
}
