package dev.rungate.gate.outcome;

import dev.rungate.api.ReadinessPolicySpec;
import dev.rungate.api.status.HistoryEntry;
import dev.rungate.api.status.TrafficEntry;
import dev.rungate.domain.ServiceSnapshot;
import dev.rungate.gate.round.Round;
import dev.rungate.gate.spec.GateSettings;
import dev.rungate.gate.status.Conditions;
import dev.rungate.gate.status.Reasons;
import dev.rungate.gate.traffic.Routing;
import dev.rungate.gate.traffic.TrafficPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The states a candidate ends in, and the resting ones: each sets every condition, so none is left
 * stale.
 */
public final class Outcomes {
  static final int HISTORY = 10;

  private Outcomes() {}

  /** The candidate serves 100% of the gated traffic: promoted, the new stable revision. */
  public static void promote(Round r, ServiceSnapshot svc) {
    String candidate = r.status.candidateRevision;
    String message =
        "Candidate "
            + candidate
            + " serves 100% of the gated traffic; it is the new stable revision.";
    r.set(Conditions.PROMOTED, Conditions.TRUE, Reasons.PROMOTED, message);
    r.set(Conditions.ROLLED_BACK, Conditions.FALSE, Reasons.NOT_ROLLED_BACK, "Not rolled back.");
    r.ready(true, Reasons.PROMOTED, message);
    r.reconciling(false, Reasons.PROMOTED, "Rollout finished.");
    r.stalled(false, Reasons.PROMOTED, "Rollout finished.");
    record(r, "Promoted", Reasons.PROMOTED);
    r.status.stableRevision = candidate;
    r.status.previousCandidates = new ArrayList<>();
    r.status.heldSince = null;
    r.status.routedByHand = null;
    r.status.resumeHandsBack = null;
    r.requeue(Round.IDLE);
  }

  /** No rollout in flight and nothing to gate. */
  /** Nothing to gate: the candidate is the stable revision; says what the service really serves. */
  public static void idleOn(Round r, ServiceSnapshot svc, String stable) {
    idle(
        r,
        svc,
        svc.percentOf(stable) == 100
            ? "Revision " + stable + " serves all traffic; nothing to gate."
            : "Revision "
                + stable
                + " is the stable revision; the service serves "
                + svc.traffic()
                + " as someone routed it; nothing to gate.");
  }

  public static void idle(Round r, ServiceSnapshot svc, String why) {
    r.status.step = null;
    r.status.stepPercent = null;
    r.status.stepStartedAt = null;
    r.status.heldSince = null;
    adoptManualRouting(r, svc);
    r.ready(true, Reasons.IDLE, why);
    r.reconciling(false, Reasons.IDLE, why);
    r.stalled(false, Reasons.IDLE, why);
    r.requeue(Round.IDLE);
  }

  /**
   * A person who routes all traffic to one revision makes it the stable one: the next candidate is
   * gated against it and a rollback returns to it. All traffic on the candidate itself is a
   * promotion by hand. Returns true when it changed the stable revision.
   */
  public static boolean adoptManualRouting(Round r, ServiceSnapshot svc) {
    var st = r.status;
    String sole = Routing.routingSettled(svc) ? TrafficPlan.soleRevision(svc.traffic()) : null;
    if (sole == null || sole.equals(st.stableRevision)) {
      return false;
    }
    if (sole.equals(st.candidateRevision)
        && st.step != null
        && !Conditions.isTrue(st.conditions, Conditions.PROMOTED)) {
      promotedByHand(r);
      return true;
    }
    if (st.stableRevision != null) {
      r.emit(
          "Normal",
          "StableAdopted",
          "All traffic is on "
              + sole
              + " (routed outside the gate); it is the stable"
              + " revision from now on instead of "
              + st.stableRevision
              + ".");
    }
    st.stableRevision = sole;
    st.previousCandidates =
        new ArrayList<>(st.previousCandidates.stream().filter(p -> !p.equals(sole)).toList());
    return true;
  }

  /**
   * A person routed all traffic to the candidate: it is the stable revision, promoted by hand, not
   * by the gate.
   */
  private static void promotedByHand(Round r) {
    var st = r.status;
    String message =
        "A person routed all traffic to candidate "
            + st.candidateRevision
            + " outside the gate; it is"
            + " the stable revision (promoted by hand).";
    r.set(Conditions.PROMOTED, Conditions.TRUE, Reasons.PROMOTED_BY_HAND, message);
    r.set(
        Conditions.ROLLED_BACK,
        Conditions.FALSE,
        Reasons.PROMOTED_BY_HAND,
        "Not rolled back: promoted by hand.");
    r.ready(true, Reasons.PROMOTED_BY_HAND, message);
    r.reconciling(false, Reasons.PROMOTED_BY_HAND, "Rollout ended by hand.");
    r.stalled(false, Reasons.PROMOTED_BY_HAND, "Rollout ended by hand.");
    r.emit("Normal", Reasons.PROMOTED_BY_HAND, message);
    record(r, "Promoted", Reasons.PROMOTED_BY_HAND);
    st.stableRevision = st.candidateRevision;
    st.previousCandidates = new ArrayList<>();
    st.rollback = null;
    st.heldSince = null;
    st.routedByHand = null;
    st.resumeHandsBack = null;
    r.requeue(Round.IDLE);
  }

  /**
   * A person changed the routing during a rollout or rollback: the gate sends nothing over it and
   * holds until a person hands control back. A failure seen meanwhile is reported, not acted on:
   * rungate abort rolls back.
   */
  public static void personRouted(
      Round r,
      GateSettings s,
      ServiceSnapshot svc,
      List<TrafficEntry> plan,
      String what,
      Optional<FailureDetector.Failure> failure) {
    if (adoptManualRouting(r, svc) && Conditions.isTrue(r.status.conditions, Conditions.PROMOTED)) {
      return;
    }
    Routing.holdFor(r.status, svc.settled() ? svc.traffic() : svc.desired());
    String message =
        "The service serves "
            + svc.traffic()
            + " but "
            + what
            + " planned "
            + plan
            + ". Someone else changed traffic; the gate will not overwrite it. Restore the planned traffic to continue,"
            + " run rungate abort (back to "
            + r.status.stableRevision
            + ") or retry, or deploy a new candidate.";
    if (failure.isPresent()) {
      message = failure.get().message() + " " + message;
      if (r.set(
          Conditions.CANDIDATE_HEALTHY,
          Conditions.FALSE,
          failure.get().reason(),
          failure.get().message())) {
        r.emit(
            "Warning",
            failure.get().reason(),
            failure.get().message()
                + " Not rolled back: a person routed the"
                + " traffic; run rungate abort to roll back.");
      }
    }
    r.hold(Reasons.TRAFFIC_CHANGED_OUTSIDE_GATE, message, true, Round.FAST.multipliedBy(5));
  }

  /**
   * RolledBack=True only while it is true: a person who routed the candidate traffic since makes it
   * False.
   */
  public static void rolledBackOnlyWhileTrue(Round r, ServiceSnapshot svc) {
    var st = r.status;
    if (st.candidateRevision != null
        && svc.percentOf(st.candidateRevision) > 0
        && Conditions.isTrue(st.conditions, Conditions.ROLLED_BACK)) {
      r.set(
          Conditions.ROLLED_BACK,
          Conditions.FALSE,
          Reasons.TRAFFIC_CHANGED_OUTSIDE_GATE,
          "After its rollback someone"
              + " routed traffic to "
              + st.candidateRevision
              + " by hand: it serves "
              + svc.percentOf(st.candidateRevision)
              + "%.");
    }
  }

  /** The spec is invalid: nothing moves until it is fixed. */
  public static void invalid(Round r, List<String> errors) {
    String message = "The policy is invalid and moves no traffic: " + String.join("; ", errors);
    r.ready(false, Reasons.INVALID_SPEC, message);
    r.reconciling(false, Reasons.INVALID_SPEC, "Waiting for a valid spec.");
    r.stalled(true, Reasons.INVALID_SPEC, message);
    r.requeue(Round.IDLE);
  }

  /**
   * Another policy gates the same service: this one moves nothing, so the two never fight over its
   * traffic.
   */
  public static void conflict(Round r, ReadinessPolicySpec spec, String other) {
    String message =
        "Policy "
            + other
            + " already gates Cloud Run service "
            + spec.service.name
            + " ("
            + spec.service.project
            + "/"
            + spec.service.region
            + "); this policy moves no traffic. Delete one of the two,"
            + " or point this one at another service.";
    r.ready(false, Reasons.CONFLICT, message);
    r.reconciling(false, Reasons.CONFLICT, message);
    r.stalled(true, Reasons.CONFLICT, message);
    r.requeue(Round.IDLE);
  }

  /**
   * Adds the candidate's outcome to status.history, newest first, keeping the last {@link
   * #HISTORY}.
   */
  public static void record(Round r, String outcome, String reason) {
    r.status.history.add(
        0, new HistoryEntry(r.status.candidateRevision, outcome, reason, r.now.toString()));
    while (r.status.history.size() > HISTORY) {
      r.status.history.remove(r.status.history.size() - 1);
    }
  }
}
