package dev.rungate.gate;

import dev.rungate.api.ReadinessPolicyStatus;
import java.time.Duration;
import java.util.List;

/** The core's answer: the status to write first, the actions to carry out next, when to look again. */
public record Decision(ReadinessPolicyStatus status, List<Action> actions, Duration requeueAfter) {
  public Decision {
    actions = List.copyOf(actions);
  }

  public List<Action.SetTraffic> trafficMoves() {
    return actions.stream().filter(Action.SetTraffic.class::isInstance).map(Action.SetTraffic.class::cast).toList();
  }

  public List<Action.Emit> events() {
    return actions.stream().filter(Action.Emit.class::isInstance).map(Action.Emit.class::cast).toList();
  }
}
