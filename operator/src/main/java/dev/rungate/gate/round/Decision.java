package dev.rungate.gate.round;

import dev.rungate.api.ReadinessPolicyStatus;
import java.time.Duration;
import java.util.List;

/**
 * The core's answer: the status to write first, the actions to carry out next, when to look again.
 */
public record Decision(ReadinessPolicyStatus status, List<Action> actions, Duration requeueAfter) {
  /**
   * The core's "look again soon" while a rollout is in flight; the reconciler may map it to its own
   * setting.
   */
  public static final Duration IN_FLIGHT_POLL = Duration.ofSeconds(1);

  /** The core's "nothing to do" interval. */
  public static final Duration IDLE_POLL = Duration.ofSeconds(60);

  /** The requeue with the operator's configured poll intervals in place of the core's defaults. */
  public Duration requeueWith(Duration inFlight, Duration idle) {
    if (requeueAfter.equals(IN_FLIGHT_POLL)) {
      return inFlight;
    }
    return requeueAfter.equals(IDLE_POLL) ? idle : requeueAfter;
  }

  public Decision {
    actions = List.copyOf(actions);
  }

  public List<Action.SetTraffic> trafficMoves() {
    return actions.stream()
        .filter(Action.SetTraffic.class::isInstance)
        .map(Action.SetTraffic.class::cast)
        .toList();
  }

  public List<Action.Emit> events() {
    return actions.stream()
        .filter(Action.Emit.class::isInstance)
        .map(Action.Emit.class::cast)
        .toList();
  }
}
