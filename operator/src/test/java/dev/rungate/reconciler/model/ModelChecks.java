package dev.rungate.reconciler.model;

import dev.rungate.api.ReadinessPolicyStatus;
import dev.rungate.api.spec.ServiceRef;
import dev.rungate.api.status.TrafficEntry;
import dev.rungate.cloudrun.InMemoryCloudRun;
import dev.rungate.gate.status.Conditions;
import dev.rungate.gate.status.Phases;
import dev.rungate.gate.traffic.TrafficPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The gate's promises, checked after every round against the traffic the in-memory Cloud Run
 * accepted and what the {@link ModelOracle} knows, never against the gate's own step record: (a) a
 * revision gains traffic from the gate only if it is the stable revision or the candidate, and the
 * candidate only one step at a time (of the share other routes leave), when it was healthy for
 * observeFor, its step's pause has passed, exits are readable and nothing holds the rollout; never
 * 100% before the last step, except for a promote a person gave for this candidate at this
 * generation; (b) the stable revision loses traffic only to the candidate; (c) a candidate with a
 * failure signal (failing exit, failed revision, failed probe or dependency while it has traffic,
 * abort) is back at 0% within {@link #ROLLBACK_WITHIN} of time nothing excused (a pause, a person's
 * routing, a second policy, Cloud Run faults); RolledBack=True is never shown while it serves, and
 * Promoted=True never while it serves nothing; (d) no exception leaves a round, and no round ends
 * in ReconcileError; (e) steps are never skipped (part of (a)), and the recorded step percent only
 * ever moves to the next step; (f) routes and tags of revisions the gate does not manage keep their
 * percent and their place; (g) the status stays small; (h) the gate changes nothing on a service
 * whose routing a person set, until a person hands control back.
 */
final class ModelChecks {
  static final Duration ROLLBACK_WITHIN = Duration.ofSeconds(60);
  private final ModelWorld w;
  private final ModelOracle o;
  private final ModelUpdateChecks updateChecks;
  private final ModelStatusChecks statusChecks;
  private Instant lastRound;

  ModelChecks(ModelWorld w, ModelOracle o) {
    this.w = w;
    this.o = o;
    this.updateChecks = new ModelUpdateChecks(w, o);
    this.statusChecks = new ModelStatusChecks(w, o);
  }

  /** What a service serves as a round begins, settled or not. */
  void servedAtStart(String service, List<TrafficEntry> traffic) {
    o.servedAtStart.put(service, traffic);
  }

  /**
   * After one round: the updates it made (from index {@code updatesBefore}) and the status it left.
   */
  void afterRound(
      int updatesBefore,
      ReadinessPolicyStatus before,
      boolean clean,
      Map<String, List<TrafficEntry>> servedBefore) {
    List<InMemoryCloudRun.Update> updates = w.cloudRun.accepted();
    ReadinessPolicyStatus st = w.status();
    if (st != null
        && st.service != null
        && (before == null || !st.service.equals(before.service))) {
      String name =
          st.service.substring(
              st.service.lastIndexOf('/') + 1); // gating a service afresh: its busiest
      var served = servedBefore.get(name);
      String busiest = served == null ? null : TrafficPlan.busiestExcept(served, List.of());
      if (busiest != null) {
        o.stable.put(name, busiest);
        o.stables.add(busiest);
      }
      if (st.stableRevision != null
          && before != null
          && st.stableRevision.equals(before.stableRevision)) {
        // recorded before the status named the service (a person's route of all traffic to it,
        // seen while the policy was invalid): the gate keeps it
        o.stable.put(name, st.stableRevision);
        o.stables.add(st.stableRevision);
      } else {
        o.stableUnrecorded.add(name); // the gate picks its stable revision when it first needs one
      }
      String prefix =
          name + "-"; // gating the service afresh: it answers only for candidates it gates from now
      // on
      o.gated.removeIf(r -> r.startsWith(prefix));
      o.failing.keySet().removeIf(r -> r.startsWith(prefix));
      o.candidateOrder.removeIf(r -> r.startsWith(prefix));
    }
    if (clean && w.conflict == null && w.stored != null && !w.deleting) {
      adoptPersonsSoleRoutes(servedBefore); // what the gate saw this round, before it acted
      for (String service : o.person.keySet()) {
        o.personSeen.putIfAbsent(
            service, o.rounds); // the gate reads what the service is asked for, too
      }
    }
    firstStable(st, o.servedAtStart);
    String candidate = o.worldCandidate();
    if (candidate != null && !candidate.equals(o.lastWorldCandidate)) {
      o.everCandidate.add(candidate);
    }
    String gating = st == null ? null : st.candidateRevision;
    if (gating != null && !gating.equals(before == null ? null : before.candidateRevision)) {
      var seen = o.personSeen.get(w.gated().name);
      // not in flight, a new candidate hands control back; in flight, only one detected after the
      // gate saw the routing
      if (st.step != null && (!Phases.inFlight(before) || seen != null && seen < o.rounds)) {
        o.handBack(
            w.gated()); // a new candidate the gate detects after it saw a person's routing hands
        // control back
      }
      o.stepOf.put(gating, 0);
      o.promotedByCommand.remove(gating);
      o.everCandidate.add(gating);
      o.candidateOrder.add(gating);
      if (st.step != null) {
        o.gated.add(gating);
      }
    }
    statusChecks.answers(st);
    for (InMemoryCloudRun.Update u : updates.subList(updatesBefore, updates.size())) {
      updateChecks.checkUpdate(u);
    }
    if (st != null) {
      statusChecks.checkStatus(before, st, clean);
    }
    failures(st);
    o.lastWorldCandidate = o.worldCandidate();
    lastRound = w.now;
    o.rounds++;
  }

  /** (c): failure signals of this round, and how long each failed candidate has kept traffic. */
  private void failures(ReadinessPolicyStatus st) {
    String candidate = o.worldCandidate();
    for (String r : o.everCandidate) {
      if (o.healthy(r)) {
        Instant since = o.healthySince.get(r);
        if (since == null || w.now.isBefore(since)) { // (a clock that went back restarts the count)
          o.healthySince.put(r, w.now);
        }
      } else {
        o.healthySince.remove(r);
      }
      var rev = o.revision(r);
      boolean signal =
          o.visibleFailingExit(r)
              || rev != null && rev.hasFailed()
              || r.equals(candidate) && o.desired(r) > 0 && (o.probeFailing || o.dependencyFailing);
      if (signal && !o.stables.contains(r) && o.gated.contains(r)) {
        o.failing.putIfAbsent(r, Duration.ZERO);
      }
    }
    Duration dt =
        lastRound == null || w.now.isBefore(lastRound)
            ? Duration.ZERO
            : Duration.between(lastRound, w.now);
    if (dt.compareTo(Duration.ofSeconds(5)) > 0) {
      dt =
          Duration.ofSeconds(
              5); // rounds come at most 5 s apart here: longer was the operator down, not the gate
      // slow
    }
    for (var it = o.failing.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      String r = e.getKey();
      if (o.desired(r) == 0 || o.stables.contains(r) || !o.recentCandidate(r)) {
        it.remove();
        continue;
      }
      if (excused(ModelOracle.serviceOf(r))) {
        continue;
      }
      e.setValue(e.getValue().plus(dt));
      require(
          e.getValue().compareTo(ROLLBACK_WITHIN) <= 0,
          "(c) failed candidate "
              + r
              + " still has "
              + o.desired(r)
              + "% after "
              + e.getValue().toSeconds()
              + " s: "
              + w.cloudRun.desired(ModelOracle.serviceOf(r))
              + " (status "
              + (st == null ? "gone" : st.phase + "/" + Conditions.reason(st.conditions, "Ready"))
              + ", person "
              + o.person.keySet()
              + ")");
    }
  }

  /**
   * The stable revision a policy records first on a service it gates afresh: one of those that
   * served the most when the gate looked (two at 50% are both the busiest), settled or not (a
   * deploy reconciling moves no traffic).
   */
  private void firstStable(ReadinessPolicyStatus st, Map<String, List<TrafficEntry>> served) {
    if (st == null || st.stableRevision == null) {
      return;
    }
    String name = ModelOracle.serviceOf(st.stableRevision).name;
    if (!o.stableUnrecorded.remove(name) || !served.containsKey(name)) {
      return;
    }
    var percents = ModelUpdateChecks.percents(served.get(name));
    int most = percents.values().stream().max(Integer::compare).orElse(0);
    require(
        percents.getOrDefault(st.stableRevision, 0) == most,
        "(b) first stable revision "
            + st.stableRevision
            + " is not the busiest of "
            + served.get(name));
    o.stable.put(name, st.stableRevision);
    o.stables.add(st.stableRevision);
  }

  /** What excuses the gate from rolling back on a service now: it may not, or cannot, act. */
  private boolean excused(ServiceRef service) {
    boolean invalid =
        w.stored != null
            && (w.secretMissing
                || !ModelPolicies.validSteps(
                    w.spec().rollout.steps.stream().map(s -> s.percent).toList()));
    return o.person.containsKey(service.name)
        || w.stored == null
        || Boolean.TRUE.equals(w.spec().paused)
        || w.conflict != null
        || w.cloudRun.faultsPending()
        || invalid && !Phases.inFlight(w.status());
  }

  /**
   * A person's routing of all traffic to one revision, once it is served: that revision is the
   * stable one.
   */
  private void adoptPersonsSoleRoutes(Map<String, List<TrafficEntry>> served) {
    for (var service : List.of(ModelWorld.SERVICE, ModelWorld.OTHER)) {
      if (o.person.containsKey(service.name) && served.containsKey(service.name)) {
        String sole = TrafficPlan.soleRevision(served.get(service.name));
        if (sole != null) {
          o.stable.put(service.name, sole);
          o.stables.add(sole);
        }
      }
    }
  }

  static void require(boolean ok, String message) {
    if (!ok) {
      throw new AssertionError(message);
    }
  }
}
