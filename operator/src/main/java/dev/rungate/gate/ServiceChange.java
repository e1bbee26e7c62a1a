package dev.rungate.gate;

import dev.rungate.api.ReadinessPolicySpec;
import dev.rungate.api.ReadinessPolicyStatus;
import dev.rungate.gate.observed.Observation;
import dev.rungate.gate.outcome.FailureDetector;
import dev.rungate.gate.outcome.Rollback;
import dev.rungate.gate.round.Round;
import dev.rungate.gate.spec.GateSettings;
import dev.rungate.gate.status.Conditions;
import dev.rungate.gate.status.Reasons;
import dev.rungate.gate.traffic.Routing;
import java.util.ArrayList;
import java.util.List;

/**
 * spec.service edited: the status names the service it gates (status.service). A candidate in
 * flight on the old service is rolled back there first, as a deleted policy's is, and only then
 * does the policy gate the new service; so no candidate is left at its share unwatched. A person's
 * routing on the old service is left as it is.
 */
final class ServiceChange {
  private ServiceChange() {}

  /** The spec names another service than the one the status describes. */
  static boolean pending(ReadinessPolicyStatus st, ReadinessPolicySpec spec) {
    return st.service != null
        && spec != null
        && spec.service != null
        && !st.service.equals(spec.service.resourceName());
  }

  /**
   * In flight on the old service (the one observed this round): its candidate's traffic goes back
   * to its stable.
   */
  static void returnTraffic(Round r, GateSettings s, ReadinessPolicySpec spec, Observation obs) {
    var st = r.status;
    var svc = obs.service();
    boolean person =
        st.rollback == null
            ? svc.settled() && !Routing.knownRouting(st, svc, Routing.planAt(st, svc, 0))
            : Rollback.takenOverByPerson(st, svc, obs);
    if (person) {
      r.emit(
          "Normal",
          Reasons.SERVICE_CHANGED,
          "spec.service changed during the rollout of "
              + st.candidateRevision
              + ", whose traffic on "
              + st.service
              + " a person has changed: it is left as it is.");
      reset(r, spec);
      return;
    }
    if (st.rollback == null) {
      Rollback.decide(
          r,
          s,
          svc,
          obs,
          new FailureDetector.Failure(
              Reasons.SERVICE_CHANGED,
              "spec.service changed from "
                  + st.service
                  + " to "
                  + spec.service.resourceName()
                  + " during the rollout of "
                  + st.candidateRevision
                  + ": its traffic there goes back to "
                  + st.stableRevision
                  + " before the new service is gated.",
              null));
    } else {
      Rollback.proceed(r, s, svc, obs);
    }
    r.requeueWithin(Round.FAST);
  }

  /** Nothing in flight on the old service: from now on the status describes the new one. */
  static void reset(Round r, ReadinessPolicySpec spec) {
    var st = r.status;
    String old = st.service;
    st.service = spec.service.resourceName();
    st.stableRevision = null;
    st.candidateRevision = null;
    st.candidateTag = null;
    st.previousCandidates = new ArrayList<>();
    st.step = null;
    st.stepPercent = null;
    st.reachedPercent = null;
    st.candidatePercent = null;
    st.traffic = new ArrayList<>();
    st.stepStartedAt = null;
    st.lastProgressAt = null;
    st.heldSince = null;
    st.healthySince = null;
    st.rollback = null;
    st.blockedAttempts = null;
    st.retriedAt = null;
    st.checks = new ArrayList<>();
    st.lastExit = null;
    for (String type :
        List.of(Conditions.PROMOTED, Conditions.ROLLED_BACK, Conditions.CANDIDATE_HEALTHY)) {
      st.conditions.removeIf(c -> type.equals(c.getType()));
    }
    r.emit("Normal", Reasons.SERVICE_CHANGED, "Now gating " + st.service + " (was " + old + ").");
    r.requeueWithin(Round.FAST);
  }
}
