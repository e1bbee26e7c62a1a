package dev.rungate.gate;

import dev.rungate.api.ReadinessPolicyStatus;
import dev.rungate.domain.ServiceSnapshot;
import dev.rungate.gate.observed.Observation;
import dev.rungate.gate.outcome.Rollback;
import dev.rungate.gate.round.Action;
import dev.rungate.gate.spec.GateSettings;
import dev.rungate.gate.status.Phases;
import dev.rungate.gate.traffic.Routing;
import dev.rungate.gate.traffic.TrafficPlan;
import java.time.Duration;
import java.util.Optional;

/**
 * A policy deleted while its candidate has traffic: the candidate goes back to 0% (stable takes its
 * share) before the finalizer lets the policy go, so no candidate is left at its share unwatched. A
 * paused policy, or one whose traffic a person changed, is let go as it stands: the gate never
 * fights a person.
 */
public final class Release {
  /** What to send before the policy may go; empty when it may go now. */
  public record Step(Optional<Action.SetTraffic> move, String why) {}

  private Release() {}

  public static Step decide(GateSettings s, ReadinessPolicyStatus status, ServiceSnapshot svc) {
    if (!Phases.inFlight(status)
        || status.candidateRevision == null
        || status.stableRevision == null) {
      return new Step(Optional.empty(), "no rollout in flight");
    }
    if (s.paused()) {
      return new Step(Optional.empty(), "spec.paused is true: traffic is left as it is");
    }
    var plan = Routing.planAt(status, svc, 0);
    boolean settled = svc.settled();
    if (settled && TrafficPlan.matches(svc.traffic(), plan)) {
      return new Step(Optional.empty(), "the candidate is at 0%");
    }
    if (Routing.changedByPerson(
        status, svc, Routing.planAt(status, svc, status.stepPercent), Observation.ofService(svc))) {
      return new Step(Optional.empty(), "someone else changed the traffic; it is left as it is");
    }
    return new Step(
        Optional.of(
            new Action.SetTraffic(
                plan,
                svc.etag(),
                "policy deleted: rollback to " + status.stableRevision,
                null,
                status.service)),
        "rolling back to " + status.stableRevision + " before the policy goes");
  }

  public static final Duration RETRY = Rollback.RESEND_AFTER;
}
