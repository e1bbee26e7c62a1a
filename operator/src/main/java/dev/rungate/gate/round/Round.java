package dev.rungate.gate.round;

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
import java.util.function.Consumer;

/**
 * One decision in the making: the new status, the actions so far, and when to look again. The
 * decision classes change a round only through its public members; a round is opened and finished
 * only by {@link #decide}.
 */
public final class Round {
  /** Look again soon: a rollout is in flight ({@link Decision#IN_FLIGHT_POLL}). */
  public static final Duration FAST = Decision.IN_FLIGHT_POLL;

  /** Nothing to do: look again at the idle interval ({@link Decision#IDLE_POLL}). */
  public static final Duration IDLE = Decision.IDLE_POLL;

  /** The longest wait between retries of something that failed. */
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  /** Ready=False reasons of a healthy rollout in progress: their steps have Events of their own. */
  private static final Set<String> IN_FLIGHT =
      Set.of(
          Reasons.VERIFYING,
          Reasons.PROGRESSING,
          Reasons.TRAFFIC_MOVING,
          Reasons.REVISION_NOT_READY);

  /** The status being decided: a copy of the previous one, changed in place. */
  public final ReadinessPolicyStatus status;

  /** The policy's metadata.generation this round decides for. */
  public final Long generation;

  /** The time of this round. */
  public final Instant now;

  private final List<Action> actions = new ArrayList<>();
  private Duration requeue = IDLE;
  private boolean held;

  /**
   * The traffic the service reports this round; status.traffic keeps what the previous round saw
   * until finish.
   */
  private List<TrafficEntry> observed;

  private Round(ReadinessPolicyStatus status, Long generation, Instant now) {
    this.status = status;
    this.generation = generation;
    this.now = now;
    status.observedGeneration = generation;
  }

  /**
   * Opens a round on {@code status} (which it changes), lets {@code body} decide, and finishes it.
   */
  public static Decision decide(
      ReadinessPolicyStatus status, Long generation, Instant now, Consumer<Round> body) {
    Round r = new Round(status, generation, now);
    body.accept(r);
    return r.finish();
  }

  /** Sets a condition; returns true when its status or reason changed. */
  public boolean set(String type, String conditionStatus, String reason, String message) {
    return Conditions.set(
        status.conditions, type, conditionStatus, reason, message, generation, now);
  }

  /** Sets Ready; a change to a problem (Warning) or to Promoted is recorded as an Event, once. */
  public void ready(boolean ready, String reason, String message) {
    if (set(Conditions.READY, ready ? Conditions.TRUE : Conditions.FALSE, reason, message)) {
      if (!ready && !IN_FLIGHT.contains(reason)) {
        emit("Warning", reason, message);
      } else if (Reasons.PROMOTED.equals(reason)) {
        emit("Normal", reason, message);
      }
    }
  }

  /** Sets Reconciling: True while the gate is still working towards a result. */
  public void reconciling(boolean inFlight, String reason, String message) {
    set(Conditions.RECONCILING, inFlight ? Conditions.TRUE : Conditions.FALSE, reason, message);
  }

  /** Sets Stalled: True when the gate cannot go on without a change from outside. */
  public void stalled(boolean stalled, String reason, String message) {
    set(Conditions.STALLED, stalled ? Conditions.TRUE : Conditions.FALSE, reason, message);
  }

  /** Records a Kubernetes Event (type Normal or Warning) on the policy. */
  public void emit(String type, String reason, String message) {
    actions.add(new Action.Emit(type, reason, message));
  }

  /**
   * Sets the traffic of the service the status describes (status.service; the spec's when none is
   * recorded).
   */
  public void setTraffic(List<TrafficEntry> targets, String etag, String why) {
    setTraffic(targets, etag, why, null);
  }

  /** As above, for a rollback: {@code failureAt} is when the failure behind it happened. */
  public void setTraffic(List<TrafficEntry> targets, String etag, String why, Instant failureAt) {
    actions.add(new Action.SetTraffic(targets, etag, why, failureAt, status.service));
  }

  /**
   * A hold the gate was told (or chose) to make: nothing moves forward and the progress deadline
   * does not run. Idempotent, so a hold that lasts writes its status once; when a round ends
   * without a hold, the deadline restarts from then (see {@link #finish()}).
   */
  public void hold(String reason, String message, boolean stalled, Duration lookAgain) {
    held = true;
    ready(false, reason, message);
    reconciling(false, reason, message);
    stalled(stalled, reason, message);
    requeue(lookAgain);
  }

  /** The gate's one backoff: 1 s after the first failure, doubling, at most 30 s. */
  public static Duration backoff(int failuresBefore) {
    Duration d = FAST.multipliedBy(1L << Math.min(Math.max(failuresBefore, 0), 5));
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }

  /** Looks again after {@code after}, replacing any earlier requeue of this round. */
  public void requeue(Duration after) {
    requeue = after;
  }

  /** Looks again no later than {@code after}, keeping a sooner requeue. */
  public void requeueWithin(Duration after) {
    if (after.compareTo(requeue) < 0) {
      requeue = after;
    }
  }

  /** The traffic the service reports this round; status.traffic takes it when the round ends. */
  public void observed(List<TrafficEntry> traffic) {
    observed = traffic;
  }

  private Decision finish() {
    if (observed != null) {
      status.traffic = new ArrayList<>(observed);
    }
    if (status.routedByHand == null) {
      status.trafficBeforeHand = null; // (kept only while the gate holds for a person's routing)
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
