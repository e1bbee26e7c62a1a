package dev.rungate.gate.traffic;

import dev.rungate.api.ReadinessPolicyStatus;
import dev.rungate.api.status.TrafficEntry;
import dev.rungate.domain.ServiceSnapshot;
import dev.rungate.gate.observed.Observation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The gate's view of the service's routing: the plans it sends, and whether what the service serves
 * is the gate's own routing or a person's. A person's routing is an input, never overwritten: the
 * gate holds until a person hands control back (restores the planned traffic, or runs abort,
 * promote or retry, or a new candidate arrives).
 */
public final class Routing {
  private Routing() {}

  /**
   * The gate's plan with the candidate at {@code percent}: stable and candidate share what other
   * routes leave. Other routes and tags are kept as the service was last asked for them (its
   * traffic field): an update replaces that, so someone's change not served yet is kept too.
   */
  public static List<TrafficEntry> planAt(
      ReadinessPolicyStatus st, ServiceSnapshot svc, int percent) {
    return TrafficPlan.plan(
        st.stableRevision,
        st.candidateRevision,
        st.candidateTag,
        percent,
        svc.desired(),
        st.previousCandidates);
  }

  /**
   * The plan without the candidate when Cloud Run says it does not exist (a pinned revision
   * deleted, or never deployed): Cloud Run refuses any update that names it, and the traffic of
   * earlier candidates must still go back.
   */
  public static List<TrafficEntry> forExisting(
      List<TrafficEntry> plan, ReadinessPolicyStatus st, Observation obs) {
    boolean missing = obs.candidate() == null && obs.exitsRead() && obs.revisionError() == null;
    return missing
        ? plan.stream().filter(t -> !t.revision.equals(st.candidateRevision)).toList()
        : plan;
  }

  /**
   * Routing the gate itself set or is moving to: {@code plan}, the current step's plan or the last
   * reached step's plan; before the first step is reached, also what the service served when the
   * gate last looked (status.traffic, until the round finishes). Anything else was a person; and
   * while the gate holds for a person's routing, that routing stays theirs until it changes (a plan
   * recomputed around it, e.g. with their revision as the new stable, does not make it the gate's).
   * A rollback passes its 0% plan as {@code plan}; a rollout does not, so a person's rollback to
   * stable is never taken for the gate's own 0% plan.
   */
  public static boolean knownRouting(
      ReadinessPolicyStatus st, ServiceSnapshot svc, List<TrafficEntry> plan) {
    List<TrafficEntry> now = svc.traffic();
    if (stillHeld(st, svc)) {
      return false; // unchanged since the gate held for it: still the person's, even if a plan now
      // looks the same
    }
    // (held for a person, their routing put back to a plan with the other routes as they were
    // before it is their hand-back, too)
    if (!st.traffic.isEmpty()
        && !others(st, now).equals(others(st, st.traffic))
        && !(heldForPerson(st)
            && st.trafficBeforeHand != null
            && others(st, now).equals(others(st, st.trafficBeforeHand)))) {
      return false; // someone changed the percent of a route the gate does not manage since it last
      // looked
    }
    // the gate's own tag aside: a deploy that moves it to a new revision is not someone's routing
    String own = st.candidateTag;
    if (TrafficPlan.sameRouting(now, plan, own)
        || st.stepPercent != null
            && TrafficPlan.sameRouting(now, planAt(st, svc, st.stepPercent), own)) {
      return true;
    }
    if (st.reachedPercent != null) {
      return TrafficPlan.sameRouting(now, planAt(st, svc, st.reachedPercent), own);
    }
    return !heldForPerson(st)
        && (st.traffic.isEmpty() || TrafficPlan.samePercents(now, st.traffic)); // tags aside
  }

  /**
   * True when a person changed the routing: the service has settled on traffic that is not the
   * gate's, or on the gate's earlier traffic although this process's update to {@code plan} was
   * accepted (someone undid it).
   */
  public static boolean changedByPerson(
      ReadinessPolicyStatus st, ServiceSnapshot svc, List<TrafficEntry> plan, Observation obs) {
    if (!svc.settled()) {
      // a change that moves no traffic (a deploy with --no-traffic) hides no one's routing: what
      // the service serves is judged as when it has settled
      return stillHeld(st, svc)
          || pendingForSomeoneElse(st, svc, plan, obs)
          || routingSettled(svc) && !knownRouting(st, svc, plan);
    }
    if (!knownRouting(st, svc, plan)) {
      return true;
    }
    // percents only: a deploy that moves a tag (gcloud run deploy --tag candidate) undoes nothing
    return !TrafficPlan.samePercents(svc.traffic(), plan)
        && accepted(obs, plan)
        && acceptedSinceHandBack(st, obs)
        && refusal(obs) == null;
  }

  /**
   * The service serves the percents it is asked for: it has settled, or it reconciles a change that
   * moves no traffic (a deploy with --no-traffic).
   */
  public static boolean routingSettled(ServiceSnapshot svc) {
    return svc.settled() || TrafficPlan.samePercents(svc.desired(), svc.traffic());
  }

  /**
   * This process's accepted update was decided in the round of the last hand-back or after it: one
   * sent before a person's routing and their retry (or resume) is no sign that someone undid the
   * gate's plan now.
   */
  static boolean acceptedSinceHandBack(ReadinessPolicyStatus st, Observation obs) {
    Instant at = obs.process().acceptedAt();
    return st.handedBackAt == null || at == null || !at.isBefore(Instant.parse(st.handedBackAt));
  }

  /**
   * While the service reconciles, an update it has not served yet that changes percents and is none
   * of the gate's plans nor this process's last accepted update: someone else asked for that
   * routing (gcloud update-traffic, or a deploy that sends traffic to the new revision).
   */
  static boolean pendingForSomeoneElse(
      ReadinessPolicyStatus st, ServiceSnapshot svc, List<TrafficEntry> plan, Observation obs) {
    List<TrafficEntry> desired = svc.desired();
    var mine = obs.process().lastAccepted();
    boolean notMine = mine == null || !TrafficPlan.samePercents(desired, mine);
    if (notMine && !st.traffic.isEmpty() && !others(st, desired).equals(others(st, st.traffic))) {
      return true; // asked to change a route the gate does not manage: plans made around it would
      // hide that
    }
    if (TrafficPlan.samePercents(desired, svc.traffic())
        || TrafficPlan.samePercents(desired, plan)
        || routedByHand(st) == null
            && TrafficPlan.samePercents(desired, st.traffic) // asked for before the last look
        || st.stepPercent != null
            && TrafficPlan.samePercents(desired, planAt(st, svc, st.stepPercent))
        || st.reachedPercent != null
            && TrafficPlan.samePercents(desired, planAt(st, svc, st.reachedPercent))) {
      return false;
    }
    return notMine;
  }

  /**
   * The percent of every revision the gate does not manage (not stable, candidate or an earlier
   * candidate).
   */
  private static Map<String, Integer> others(ReadinessPolicyStatus st, List<TrafficEntry> traffic) {
    Map<String, Integer> others = new TreeMap<>();
    for (TrafficEntry t : traffic) {
      boolean managed =
          t.revision.equals(st.stableRevision)
              || t.revision.equals(st.candidateRevision)
              || st.previousCandidates.contains(t.revision);
      if (!managed && t.percent != null && t.percent > 0) {
        others.merge(t.revision, t.percent, Integer::sum);
      }
    }
    return others;
  }

  /**
   * The gate holds for a person's {@code routing}; the first hold of a rollout keeps what the gate
   * saw before it (status.traffic, the last look), so the plan put back as it was is a hand-back.
   */
  public static void holdFor(ReadinessPolicyStatus st, List<TrafficEntry> routing) {
    if (st.routedByHand == null) {
      st.trafficBeforeHand = st.traffic.isEmpty() ? null : new ArrayList<>(st.traffic);
    }
    st.routedByHand = new ArrayList<>(routing);
  }

  private static List<TrafficEntry> routedByHand(ReadinessPolicyStatus st) {
    return st.routedByHand;
  }

  private static boolean heldForPerson(ReadinessPolicyStatus st) {
    return st.routedByHand != null;
  }

  /**
   * The gate holds for a person's routing, and the service still serves (or is still asked for)
   * that routing.
   */
  public static boolean stillHeld(ReadinessPolicyStatus st, ServiceSnapshot svc) {
    return heldForPerson(st)
        && (TrafficPlan.samePercents(svc.traffic(), st.routedByHand) // (a tag added changes
            || TrafficPlan.samePercents(svc.desired(), st.routedByHand)); // no route)
  }

  /**
   * This process's last accepted traffic update was this plan (Cloud Run has it; it is not sent
   * again).
   */
  public static boolean accepted(Observation obs, List<TrafficEntry> plan) {
    return obs.process().lastAccepted() != null
        && TrafficPlan.matches(obs.process().lastAccepted(), plan);
  }

  /**
   * Cloud Run's refusal of the last update: on the call (this operator saw it) or inside its
   * operation.
   */
  public static String refusal(Observation obs) {
    if (obs.lastUpdateError() != null) {
      return obs.lastUpdateError();
    }
    return obs.service().updateError();
  }

  /**
   * The candidate has (or is being given) traffic: step-0 rules (block, keep verifying) never apply
   * to it then, whatever the recorded step index says (a steps edit can map a candidate at 10% to
   * step 0).
   */
  public static boolean withTraffic(ReadinessPolicyStatus st, ServiceSnapshot svc) {
    return positive(st.stepPercent)
        || positive(st.reachedPercent)
        || svc.percentOf(st.candidateRevision) > 0;
  }

  /**
   * The plan only takes traffic away from the candidate and earlier candidates: the safe direction,
   * sent at once.
   */
  public static boolean returnsTraffic(
      ReadinessPolicyStatus st, ServiceSnapshot svc, List<TrafficEntry> plan) {
    int now = svc.percentOf(st.candidateRevision);
    int planned = TrafficPlan.percentOf(plan, st.candidateRevision);
    for (String p : st.previousCandidates) {
      now += svc.percentOf(p);
      planned += TrafficPlan.percentOf(plan, p);
    }
    return planned < now
        && TrafficPlan.percentOf(plan, st.candidateRevision) <= svc.percentOf(st.candidateRevision);
  }

  /** What the candidate may get at most: the traffic other routes leave to stable and candidate. */
  public static int share(ReadinessPolicyStatus st, ServiceSnapshot svc) {
    return TrafficPlan.percentOf(planAt(st, svc, 100), st.candidateRevision);
  }

  private static boolean positive(Integer percent) {
    return percent != null && percent > 0;
  }
}
