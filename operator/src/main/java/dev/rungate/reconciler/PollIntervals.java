package dev.rungate.reconciler;

import java.time.Duration;

/** How often a policy is looked at: while a rollout is in flight, and while idle. */
public record PollIntervals(Duration inFlight, Duration idle) {
  public static final PollIntervals DEFAULT =
      new PollIntervals(Duration.ofSeconds(1), Duration.ofSeconds(60));
}
