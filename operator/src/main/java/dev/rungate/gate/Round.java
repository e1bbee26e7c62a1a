package dev.rungate.gate;

import dev.rungate.api.ReadinessPolicyStatus;
import dev.rungate.api.TrafficEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One decision in the making: the new status, the actions so far, and when to look again. */
final class Round {
  static final Duration FAST = Duration.ofSeconds(1);
  static final Duration IDLE = Duration.ofSeconds(60);

  final ReadinessPolicyStatus status;
  final Long generation;
  final Instant now;
  private final List<Action> actions = new ArrayList<>();
  private Duration requeue = IDLE;

  Round(ReadinessPolicyStatus status, Long generation, Instant now) {
    this.status = status;
    this.generation = generation;
    this.now = now;
    status.observedGeneration = generation;
  }

  /** Sets a condition; returns true when its status or reason changed. */
  boolean set(String type, String conditionStatus, String reason, String message) {
    return Conditions.set(status.conditions, type, conditionStatus, reason, message, generation, now);
  }

  /** Sets Ready, and records an Event when its reason changes (so Events are not repeated every round). */
  void ready(boolean ready, String reason, String message) {
    if (set(Conditions.READY, ready ? Conditions.TRUE : Conditions.FALSE, reason, message)) {
      boolean warning = !ready && !Reasons.VERIFYING.equals(reason) && !Reasons.PROGRESSING.equals(reason)
          && !Reasons.TRAFFIC_MOVING.equals(reason) && !Reasons.REVISION_NOT_READY.equals(reason);
      emit(warning ? "Warning" : "Normal", reason, message);
    }
  }

  void reconciling(boolean inFlight, String reason, String message) {
    set(Conditions.RECONCILING, inFlight ? Conditions.TRUE : Conditions.FALSE, reason, message);
  }

  void stalled(boolean stalled, String reason, String message) {
    set(Conditions.STALLED, stalled ? Conditions.TRUE : Conditions.FALSE, reason, message);
  }

  void emit(String type, String reason, String message) {
    actions.add(new Action.Emit(type, reason, message));
  }

  void setTraffic(List<TrafficEntry> targets, String etag, String why) {
    actions.add(new Action.SetTraffic(targets, etag, why));
  }

  void requeue(Duration after) {
    requeue = after;
  }

  Decision finish() {
    status.phase = Phases.derive(status.conditions, status.step);
    return new Decision(status, actions, requeue);
  }
}
