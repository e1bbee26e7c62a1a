package dev.rungate.cloudrun;

import java.time.Instant;

/**
 * A revision as the gate sees it: its Ready condition ({@code reason} is Cloud Run's reason or
 * revision_reason, e.g. HEALTH_CHECK_CONTAINER_ERROR) and its VPC settings.
 */
public record RevisionSnapshot(
    String name, ReadyState ready, String reason, String message, VpcSettings vpc, Instant createTime) {

  public enum ReadyState { PENDING, RECONCILING, SUCCEEDED, FAILED }

  public boolean isReady() {
    return ready == ReadyState.SUCCEEDED;
  }

  public boolean hasFailed() {
    return ready == ReadyState.FAILED;
  }
}
