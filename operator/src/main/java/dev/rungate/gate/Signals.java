package dev.rungate.gate;

/**
 * The health of the failure signals themselves. A source that cannot be read is reported on its own
 * condition; it never stops decisions that other sources justify, but the gate does not give a
 * candidate more traffic while it cannot see the candidate's exits.
 */
final class Signals {
  private Signals() {}

  /** Only a round that asked Cloud Logging says anything about it: an unread source is not a healthy one. */
  static void record(Round r, Observation obs) {
    if (!obs.exitsRead()) {
      return;
    }
    if (obs.exitsError() == null) {
      r.set(Conditions.EXIT_SIGNALS_AVAILABLE, Conditions.TRUE, Reasons.EXIT_SIGNALS_READ,
          "Container exits are read from Cloud Logging.");
      return;
    }
    if (r.set(Conditions.EXIT_SIGNALS_AVAILABLE, Conditions.FALSE, Reasons.EXIT_SIGNALS_UNAVAILABLE,
        unavailable(obs))) {
      r.emit("Warning", Reasons.EXIT_SIGNALS_UNAVAILABLE, unavailable(obs));
    }
  }

  static boolean blind(Observation obs) {
    return obs.exitsError() != null;
  }

  static String unavailable(Observation obs) {
    return "Cloud Logging could not be read (" + obs.exitsError() + "), so container exits are not seen. Rollbacks"
        + " from other signals still happen; no step moves forward until exits can be read again.";
  }
}
