package dev.rungate.domain;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A revision as the gate sees it: its Ready condition ({@code reason} is Cloud Run's reason or
 * revision_reason, e.g. HEALTH_CHECK_CONTAINER_ERROR), its VPC settings and its containers'
 * environment variables ({@code env}: name to literal value; null for a value from Secret Manager,
 * which the gate cannot compare).
 */
public record RevisionSnapshot(
    String name,
    ReadyState ready,
    String reason,
    String message,
    VpcSettings vpc,
    Instant createTime,
    Map<String, String> env) {

  public RevisionSnapshot {
    env = env == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(env));
  }

  public RevisionSnapshot(
      String name,
      ReadyState ready,
      String reason,
      String message,
      VpcSettings vpc,
      Instant createTime) {
    this(name, ready, reason, message, vpc, createTime, Map.of());
  }

  public enum ReadyState {
    PENDING,
    RECONCILING,
    SUCCEEDED,
    FAILED
  }

  public boolean isReady() {
    return ready == ReadyState.SUCCEEDED;
  }

  public boolean hasFailed() {
    return ready == ReadyState.FAILED;
  }
}
