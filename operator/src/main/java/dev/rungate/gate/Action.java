package dev.rungate.gate;

import dev.rungate.api.TrafficEntry;
import java.time.Instant;
import java.util.List;

/** A side effect the core asks for. The reconciler carries actions out after the status (the intent) is written. */
public sealed interface Action {
  /**
   * Set the service's traffic to exactly these targets, guarded by the etag read this round.
   * {@code failureAt} is set on a rollback: when the failure behind it happened.
   */
  record SetTraffic(List<TrafficEntry> targets, String etag, String why, Instant failureAt) implements Action {
    public SetTraffic(List<TrafficEntry> targets, String etag, String why) {
      this(targets, etag, why, null);
    }

    public boolean rollback() {
      return failureAt != null;
    }
  }

  /** Record a Kubernetes Event on the policy. Type is Normal or Warning. */
  record Emit(String type, String reason, String message) implements Action {}
}
