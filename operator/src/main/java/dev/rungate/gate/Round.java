package dev.rungate.gate;

import dev.rungate.api.ReadinessPolicyStatus;
import dev.rungate.api.status.TrafficEntry;
import dev.rungate.gate.status.Conditions;
import dev.rungate.gate.status.Phases;
import dev.rungate.gate.status.Reasons;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** One decision in the making: the new status, the actions so far, and when to look again. */
final class Round {
  static final Duration FAST = Decision.IN_FLIGHT_POLL;
  static final Duration IDLE = Decision.IDLE_POLL;

  /** The longest wait between retries of something that failed. */
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  /** Ready=False reasons of a healthy rollout in progress: their steps have Events of their own. */
  private static final Set<String> IN_FLIGHT =
      Set.of(
          Reasons.VERIFYING,
          Reasons.PROGRESSING,
          Reasons.TRAFFIC_MOVING,
          Reasons.REVISION_NOT_READY);

  final ReadinessPolicyStatus status;
  final Long generation;
  final Instant now;
  private final List<Action> actions = new ArrayList<>();
  private Duration requeue = IDLE;
  private boolean held;

  /**
   * The traffic the service reports this round; status.traffic keeps what the previous round saw
   * until finish.
   */
  private List<TrafficEntry> observed;

  Round(ReadinessPolicyStatus status, Long generation, Instant now) {
    this.status = status;
    this.generation = generation;
    this.now = now;
    status.observedGeneration = generation;
  }

  /** Sets a condition; returns true when its status or reason changed. */
  boolean set(String type, String conditionStatus, String reason, String message) {
    return Conditions.set(
        status.conditions, type, conditionStatus, reason, message, generation, now);
  }

  /** Sets Ready; a change to a problem (Warning) or to Promoted is recorded as an Event, once. */
  void ready(boolean ready, String reason, String message) {
    if (set(Conditions.READY, ready ? Conditions.TRUE : Conditions.FALSE, reason, message)) {
      if (!ready && !IN_FLIGHT.contains(reason)) {
        emit("Warning", reason, message);
      } else if (Reasons.PROMOTED.equals(reason)) {
        emit("Normal", reason, message);
      }
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

  /**
   * Sets the traffic of the service the status describes (status.service; the spec's when none is
   * recorded).
   */
  void setTraffic(List<TrafficEntry> targets, String etag, String why) {
    setTraffic(targets, etag, why, null);
  }

  void setTraffic(List<TrafficEntry> targets, String etag, String why, Instant failureAt) {
    actions.add(new Action.SetTraffic(targets, etag, why, failureAt, status.service));
  }

  /**
   * A hold the gate was told (or chose) to make: nothing moves forward and the progress deadline
   * does not run. Idempotent, so a hold that lasts writes its status once; when a round ends
   * without a hold, the deadline restarts from then (see {@link #finish()}).
   */
  void hold(String reason, String message, boolean stalled, Duration lookAgain) {
    held = true;
    ready(false, reason, message);
    reconciling(false, reason, message);
    stalled(stalled, reason, message);
    requeue(lookAgain);
  }

  /** The gate's one backoff: 1 s after the first failure, doubling, at most 30 s. */
  static Duration backoff(int failuresBefore) {
    Duration d = FAST.multipliedBy(1L << Math.min(Math.max(failuresBefore, 0), 5));
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }

  void requeue(Duration after) {
    requeue = after;
  }

  /** Looks again no later than {@code after}, keeping a sooner requeue. */
  void requeueWithin(Duration after) {
    if (after.compareTo(requeue) < 0) {
      requeue = after;
    }
  }

  void observed(List<TrafficEntry> traffic) {
    observed = traffic;
  }

  Decision finish() {
    if (observed != null) {
      status.traffic = new ArrayList<>(observed);
    }
    if (held && status.heldSince == null) {
      status.heldSince = now.toString();
    } else if (!held && status.heldSince != null) {
      status.heldSince = null;
      status.lastProgressAt = now.toString();
    }
    status.phase = Phases.derive(status);
    return new Decision(status, actions, requeue);
  }
}
