package dev.rungate.reconciler;

import dev.rungate.api.ReadinessPolicyStatus;
import dev.rungate.api.spec.RolloutStep;
import dev.rungate.api.status.TrafficEntry;
import dev.rungate.cloudrun.InMemoryCloudRun;
import dev.rungate.gate.status.Conditions;
import dev.rungate.gate.traffic.TrafficPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The gate's promises, checked after every round against the traffic the in-memory Cloud Run accepted and what
 * the {@link ModelOracle} knows, never against the gate's own step record:
 * (a) a revision gains traffic from the gate only if it is the stable revision or the candidate, and the candidate
 *     only one step at a time (of the share other routes leave), when it was healthy for observeFor, its step's
 *     pause has passed, exits are readable and nothing holds the rollout; never 100% before the last step, except
 *     for a promote a person gave for this candidate at this generation;
 * (b) the stable revision loses traffic only to the candidate;
 * (c) a candidate with a failure signal (failing exit, failed revision, failed probe or dependency while it has
 *     traffic, abort) is back at 0% within {@link #ROLLBACK_WITHIN} of time nothing excused (a pause, a person's
 *     routing, a second policy, Cloud Run faults); RolledBack=True is never shown while it serves, and Promoted=True
 *     never while it serves nothing;
 * (d) no exception leaves a round, and no round ends in ReconcileError;
 * (e) steps are never skipped (part of (a)), and the recorded step percent only ever moves to the next step;
 * (f) routes and tags of revisions the gate does not manage keep their percent and their place;
 * (g) the status stays small;
 * (h) the gate changes nothing on a service whose routing a person set, until a person hands control back.
 */
final class ModelChecks {
  static final Duration ROLLBACK_WITHIN = Duration.ofSeconds(60);
  private final ModelWorld w;
  private final ModelOracle o;
  private Instant lastRound;

  ModelChecks(ModelWorld w, ModelOracle o) {
    this.w = w;
    this.o = o;
  }

  /** After one round: the updates it made (from index {@code updatesBefore}) and the status it left. */
  void afterRound(int updatesBefore, ReadinessPolicyStatus before, boolean clean,
      Map<String, List<TrafficEntry>> servedBefore) {
    List<InMemoryCloudRun.Update> updates = w.cloudRun.accepted();
    ReadinessPolicyStatus st = w.status();
    if (st != null && st.service != null && (before == null || !st.service.equals(before.service))) {
      String name = st.service.substring(st.service.lastIndexOf('/') + 1); // gating a service afresh: its busiest
      var served = servedBefore.get(name);
      String busiest = served == null ? null : TrafficPlan.busiestExcept(served, List.of());
      if (busiest != null) {
        o.stable.put(name, busiest);
        o.stables.add(busiest);
      }
      String prefix = name + "-"; // gating the service afresh: it answers only for candidates it gates from now on
      o.gated.removeIf(r -> r.startsWith(prefix));
      o.failing.keySet().removeIf(r -> r.startsWith(prefix));
      o.candidateOrder.removeIf(r -> r.startsWith(prefix));
    }
    if (clean && w.conflict == null && w.stored != null && !w.deleting) {
      adoptPersonsSoleRoutes(servedBefore); // what the gate saw this round, before it acted
      for (String service : o.person.keySet()) {
        o.personSeen.putIfAbsent(service, o.rounds); // the gate reads what the service is asked for, too
      }
    }
    String candidate = o.worldCandidate();
    if (candidate != null && !candidate.equals(o.lastWorldCandidate)) {
      o.everCandidate.add(candidate);
    }
    String gating = st == null ? null : st.candidateRevision;
    if (gating != null && !gating.equals(before == null ? null : before.candidateRevision)) {
      var seen = o.personSeen.get(w.gated().name);
      // not in flight, a new candidate hands control back; in flight, only one detected after the gate saw the routing
      if (st.step != null && (!dev.rungate.gate.status.Phases.inFlight(before) || seen != null && seen < o.rounds)) {
        o.handBack(w.gated()); // a new candidate the gate detects after it saw a person's routing hands control back
      }
      o.stepOf.put(gating, 0);
      o.promotedByCommand.remove(gating);
      o.everCandidate.add(gating);
      o.candidateOrder.add(gating);
      if (st.step != null) {
        o.gated.add(gating);
      }
    }
    answers(st);
    for (InMemoryCloudRun.Update u : updates.subList(updatesBefore, updates.size())) {
      checkUpdate(u);
    }
    if (st != null) {
      checkStatus(before, st, clean);
    }
    failures(st);
    o.lastWorldCandidate = o.worldCandidate();
    lastRound = w.now;
    o.rounds++;
  }

  private void checkUpdate(InMemoryCloudRun.Update u) {
    String service = u.service().substring(u.service().lastIndexOf('/') + 1);
    Map<String, Integer> was = percents(u.before());
    Map<String, Integer> now = percents(u.targets());
    var routing = o.person.get(service);
    if (routing != null) { // the gate may add its own 0% tag, but changes no percent and no tag a person set
      boolean same = nonZero(was).equals(nonZero(now)) && routing.traffic().stream()
          .filter(t -> t.tag != null && !t.tag.equals("candidate"))
          .allMatch(t -> u.targets().stream().anyMatch(a -> t.tag.equals(a.tag) && t.revision.equals(a.revision)));
      require(same, "(h) the gate changed " + service + " whose routing a person set to " + routing.traffic() + " at "
          + routing.at() + ": " + u.before() + " -> " + u.targets());
    }
    String stable = o.stable.get(service);
    String candidate = service.equals(w.gated().name) ? o.worldCandidate() : null;
    for (var e : now.entrySet()) {
      String r = e.getKey();
      int gained = e.getValue() - was.getOrDefault(r, 0);
      if (gained <= 0 || o.stables.contains(r)) {
        continue;
      }
      require(r.equals(candidate), "(a) the gate gave " + r + " traffic: " + u.before() + " -> " + u.targets()
          + " (stable " + stable + ", candidate " + candidate + ")");
      raise(r, was.getOrDefault(r, 0), e.getValue(), now);
    }
    int stableLost = was.getOrDefault(stable, 0) - now.getOrDefault(stable, 0);
    if (stableLost > 0) {
      int gained = candidate == null ? 0 : now.getOrDefault(candidate, 0) - was.getOrDefault(candidate, 0);
      require(gained >= stableLost, "(b) stable " + stable + " lost traffic to someone else: " + u.before() + " -> "
          + u.targets());
    }
    for (String r : was.keySet()) {
      if (!o.everCandidate.contains(r) && !o.stables.contains(r)) {
        require(Objects.equals(was.get(r), now.get(r)), "(f) " + r + "'s route changed: " + u.before() + " -> "
            + u.targets());
      }
    }
    for (TrafficEntry t : u.before()) {
      if (t.tag != null && !t.tag.equals("candidate")) {
        require(u.targets().stream().anyMatch(a -> t.tag.equals(a.tag) && t.revision.equals(a.revision)),
            "(f) tag " + t.tag + " on " + t.revision + " removed: " + u.before() + " -> " + u.targets());
      }
    }
  }

  /** The candidate gained traffic: one step, when healthy and not held; or all of its share by a promote. */
  private void raise(String r, int from, int to, Map<String, Integer> now) {
    int share = to + now.getOrDefault(o.stable.get(ModelOracle.serviceOf(r).name), 0); // stable and candidate share it
    if (o.promotedByCommand.contains(r)) {
      require(to <= share, "(a) promote gave " + r + " " + to + "% of a " + share + "% share");
      o.stepOf.put(r, 100);
      return;
    }
    var spec = w.spec();
    List<Integer> steps = spec.rollout.steps.stream().map(s -> s.percent).toList();
    int at = o.stepOf.getOrDefault(r, 0);
    Integer next = steps.stream().filter(p -> p > at).findFirst().orElse(null);
    String move = r + " " + from + "% -> " + to + "% (step " + at + "% of " + steps + ", share " + share + "%)";
    require(next != null && to == next * share / 100, "(a)(e) not the next step: " + move);
    require(o.healthy(r), "(a) raised while not healthy: " + move);
    require(o.loggingReadable(), "(a) raised while exits cannot be read: " + move);
    require(!Boolean.TRUE.equals(spec.paused), "(a) raised while paused: " + move);
    require(w.conflict == null && !w.deleting, "(a) raised while another policy gates the service or deleting");
    require(ModelWorld.validSteps(steps), "(a) raised with invalid steps: " + move);
    require(w.secretMissing == false, "(a) raised while a Secret is missing: " + move);
    require(w.windowOpen(), "(a) raised outside the deploy window: " + move);
    require("READY".equals(w.instanceState), "(a) raised during Memorystore maintenance: " + move);
    Instant since = o.healthySince.get(r);
    if (at == 0 && (since == null || !w.now.isBefore(since))) { // (a clock that went back cannot tell)
      require(since != null && !since.isAfter(w.now.minus(ModelOracle.OBSERVE_FOR)), "(a) raised before "
          + ModelOracle.OBSERVE_FOR + " of health (healthy since " + since + "): " + move);
    } else if (o.raisedAt.get(r) != null && Objects.equals(o.raisedAtGeneration.get(r), generation())
        && !w.now.isBefore(o.raisedAt.get(r))) {
      Duration pause = spec.rollout.steps.stream().filter(s -> s.percent == at).findFirst()
          .map(s -> dev.rungate.api.checks.Durations.parse(s.pause, Duration.ZERO)).orElse(Duration.ZERO);
      require(!w.now.isBefore(o.raisedAt.get(r).plus(pause)), "(a) raised before the " + pause + " pause of "
          + at + "% passed: " + move);
    }
    o.stepOf.put(r, next);
    o.raisedAt.put(r, w.now);
    o.raisedAtGeneration.put(r, generation());
  }

  private boolean granted(ModelOracle.Grant g, String r) {
    return r.equals(g.candidate()) && (g.generation() == null || g.generation().equals(generation()));
  }

  private Long generation() {
    return w.stored == null ? null : w.stored.getMetadata().getGeneration();
  }

  private void checkStatus(ReadinessPolicyStatus before, ReadinessPolicyStatus st, boolean clean) {
    String ready = Conditions.reason(st.conditions, Conditions.READY);
    require(!"ReconcileError".equals(ready), "(d) a round ended in ReconcileError: "
        + Conditions.find(st.conditions, Conditions.READY).map(c -> c.getMessage()).orElse(""));
    int size = ModelWorld.sizeOf(st);
    require(size < 16_000, "(g) status grew to " + size + " characters");
    require(st.history.size() <= 10, "(g) history holds " + st.history.size());
    String c = st.candidateRevision;
    if (c == null || st.service == null) {
      return;
    }
    String service = ModelOracle.serviceOf(c).name;
    boolean claimsChecked = clean && w.conflict == null; // a round that could not look (or did not) claims nothing new
    boolean promotedNow = Conditions.isTrue(st.conditions, Conditions.PROMOTED)
        && (before == null || !Conditions.isTrue(before.conditions, Conditions.PROMOTED)
        || !Objects.equals(before.candidateRevision, c));
    if (promotedNow) {
      require(!claimsChecked || o.served(c) > 0, "(c) Promoted=True while " + c + " serves nothing: "
          + w.traffic(ModelOracle.serviceOf(c)));
      o.stable.put(service, c);
      o.stables.clear();
      o.stables.add(c);
      o.stables.add(o.stable.get(service.equals(ModelWorld.SERVICE.name) ? ModelWorld.OTHER.name
          : ModelWorld.SERVICE.name));
      o.gated.clear(); // a promotion closes the books: earlier candidates are someone's routes from now on
      o.failing.clear();
      o.candidateOrder.clear();
    }
    if (!claimsChecked) {
      return;
    }
    if (Conditions.isTrue(st.conditions, Conditions.ROLLED_BACK)) {
      require(o.served(c) == 0, "(c) RolledBack=True while " + c + " serves " + w.traffic(ModelOracle.serviceOf(c)));
    }
    if (before != null && Objects.equals(before.candidateRevision, c) && before.stepPercent != null
        && st.stepPercent != null && !st.stepPercent.equals(before.stepPercent) && st.stepPercent != 0
        && st.stepPercent != 100) {
      List<Integer> steps = w.spec().rollout.steps.stream().map(s -> s.percent).toList();
      int was = before.stepPercent;
      int given = before.reachedPercent == null ? 0 : before.reachedPercent;
      Integer next = steps.stream().filter(p -> p > was).findFirst().orElse(was);
      // the next step; or, when an edit removed a step not reached yet, the first new step above what was reached
      require(steps.contains(st.stepPercent) && st.stepPercent > given && st.stepPercent <= next,
          "(e) the recorded step went from " + was + "% (reached " + given + "%) to " + st.stepPercent + "% of " + steps);
    }
  }

  /** What the gate answered to a manual command: an applied one hands control back. */
  private void answers(ReadinessPolicyStatus st) {
    var answer = st == null ? null : st.lastCommand;
    if (answer == null || answer.value.equals(o.lastAnswer)) {
      return;
    }
    o.lastAnswer = answer.value;
    if (!"Applied".equals(answer.outcome)) {
      return;
    }
    o.handBack(w.gated());
    String c = st.candidateRevision;
    switch (answer.command) {
      case "retry" -> {
        o.promotedByCommand.remove(c);
        o.retriedAt.put(c, w.now);
        o.failing.remove(c);
        o.stepOf.put(c, 0);
      }
      case "abort" -> o.failing.putIfAbsent(c, Duration.ZERO);
      default -> {
        require(o.grants.stream().anyMatch(g -> g.value().equals(answer.value) && granted(g, c)),
            "a promote was applied to " + c + " though it was not given for it at generation " + generation() + ": "
                + answer.value);
        o.promotedByCommand.add(c);
      }
    }
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
      boolean signal = o.visibleFailingExit(r) || rev != null && rev.hasFailed()
          || r.equals(candidate) && o.desired(r) > 0 && (o.probeFailing || o.dependencyFailing);
      if (signal && !o.stables.contains(r) && o.gated.contains(r)) {
        o.failing.putIfAbsent(r, Duration.ZERO);
      }
    }
    Duration dt = lastRound == null || w.now.isBefore(lastRound) ? Duration.ZERO : Duration.between(lastRound, w.now);
    if (dt.compareTo(Duration.ofSeconds(5)) > 0) {
      dt = Duration.ofSeconds(5); // rounds come at most 5 s apart here: longer was the operator down, not the gate slow
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
      require(e.getValue().compareTo(ROLLBACK_WITHIN) <= 0, "(c) failed candidate " + r + " still has "
          + o.desired(r) + "% after " + e.getValue().toSeconds() + " s: " + w.cloudRun.desired(ModelOracle.serviceOf(r))
          + " (status " + (st == null ? "gone" : st.phase + "/" + Conditions.reason(st.conditions, "Ready")) + ", person "
          + o.person.keySet() + ")");
    }
  }

  /** What excuses the gate from rolling back on a service now: it may not, or cannot, act. */
  private boolean excused(dev.rungate.api.spec.ServiceRef service) {
    boolean invalid = w.stored != null && (w.secretMissing
        || !ModelWorld.validSteps(w.spec().rollout.steps.stream().map(s -> s.percent).toList()));
    return o.person.containsKey(service.name) || w.stored == null || Boolean.TRUE.equals(w.spec().paused)
        || w.conflict != null || w.cloudRun.faultsPending() || invalid && !dev.rungate.gate.status.Phases.inFlight(w.status());
  }

  /** A person's routing of all traffic to one revision, once it is served: that revision is the stable one. */
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

  private static Map<String, Integer> nonZero(Map<String, Integer> m) {
    Map<String, Integer> out = new TreeMap<>(m);
    out.values().removeIf(v -> v == 0);
    return out;
  }

  static Map<String, Integer> percents(List<TrafficEntry> traffic) {
    Map<String, Integer> m = new TreeMap<>();
    traffic.forEach(t -> m.merge(t.revision, t.percent, Integer::sum));
    return m;
  }

  static void require(boolean ok, String message) {
    if (!ok) {
      throw new AssertionError(message);
    }
  }
}
