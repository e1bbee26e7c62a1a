package dev.rungate.gate.status;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Condition types and the one way to set them: lastTransitionTime moves only when status changes.
 */
public final class Conditions {
  public static final String READY = "Ready";
  public static final String DEPENDENCIES_READY = "DependenciesReady";
  public static final String CANDIDATE_HEALTHY = "CandidateHealthy";
  public static final String EXIT_SIGNALS_AVAILABLE = "ExitSignalsAvailable";
  public static final String PROMOTED = "Promoted";
  public static final String ROLLED_BACK = "RolledBack";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";

  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  private Conditions() {}

  /** Sets a condition; returns true when its status or reason changed (worth an Event). */
  public static boolean set(
      List<Condition> conditions,
      String type,
      String status,
      String reason,
      String message,
      Long generation,
      Instant now) {
    Condition c = find(conditions, type).orElse(null);
    if (c == null) {
      c = new Condition();
      c.setType(type);
      conditions.add(c);
    }
    boolean statusChanged = !status.equals(c.getStatus());
    boolean changed = statusChanged || !reason.equals(c.getReason());
    if (statusChanged || c.getLastTransitionTime() == null) {
      c.setLastTransitionTime(now.toString());
    }
    c.setStatus(status);
    c.setReason(reason);
    c.setMessage(message);
    c.setObservedGeneration(generation);
    return changed;
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
  }

  public static String reason(List<Condition> conditions, String type) {
    return find(conditions, type).map(Condition::getReason).orElse("");
  }
}
