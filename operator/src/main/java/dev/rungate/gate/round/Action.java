package dev.rungate.gate.round;

import dev.rungate.api.status.TrafficEntry;
import java.time.Instant;
import java.util.List;

/**
 * A side effect the core asks for. The reconciler carries actions out after the status (the intent)
 * is written.
 */
public sealed interface Action {
  /**
   * Set the service's traffic to exactly these targets, guarded by the etag read this round. {@code
   * failureAt} is set on a rollback: when the failure behind it happened. {@code service}: the
   * resource name of the service to update (projects/P/locations/R/services/S), or null for the
   * policy's spec.service.
   */
  record SetTraffic(
      List<TrafficEntry> targets, String etag, String why, Instant failureAt, String service)
      implements Action {
    public SetTraffic(List<TrafficEntry> targets, String etag, String why) {
      this(targets, etag, why, null, null);
    }

    public boolean rollback() {
      return failureAt != null;
    }
  }

  /** Record a Kubernetes Event on the policy. Type is Normal or Warning. */
  record Emit(String type, String reason, String message) implements Action {}
}
