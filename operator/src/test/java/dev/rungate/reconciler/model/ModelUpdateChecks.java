package dev.rungate.reconciler.model;

import static dev.rungate.reconciler.model.ModelChecks.require;

import dev.rungate.api.checks.Durations;
import dev.rungate.api.status.TrafficEntry;
import dev.rungate.cloudrun.InMemoryCloudRun;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The promises about each traffic update the gate made, checked against what the {@link
 * ModelOracle} knows (see {@link ModelChecks}): (a) only the stable revision or the candidate gains
 * traffic, the candidate one step at a time when nothing holds it, or all of its share by a
 * promote; (b) the stable revision loses traffic only to the candidate; (f) other routes and tags
 * stay; (h) nothing changes on a service whose routing a person set.
 */
final class ModelUpdateChecks {
  private final ModelWorld w;
  private final ModelOracle o;

  ModelUpdateChecks(ModelWorld w, ModelOracle o) {
    this.w = w;
    this.o = o;
  }

  void checkUpdate(InMemoryCloudRun.Update u) {
    String service = u.service().substring(u.service().lastIndexOf('/') + 1);
    Map<String, Integer> was = percents(u.before());
    Map<String, Integer> now = percents(u.targets());
    var routing = o.person.get(service);
    if (routing
        != null) { // the gate may add its own 0% tag, but changes no percent and no tag a person
      // set
      boolean same =
          nonZero(was).equals(nonZero(now))
              && routing.traffic().stream()
                  .filter(t -> t.tag != null && !t.tag.equals("candidate"))
                  .allMatch(
                      t ->
                          u.targets().stream()
                              .anyMatch(a -> t.tag.equals(a.tag) && t.revision.equals(a.revision)));
      require(
          same,
          "(h) the gate changed "
              + service
              + " whose routing a person set to "
              + routing.traffic()
              + " at "
              + routing.at()
              + ": "
              + u.before()
              + " -> "
              + u.targets());
    }
    String stable = o.stable.get(service);
    String candidate = service.equals(w.gated().name) ? o.worldCandidate() : null;
    for (var e : now.entrySet()) {
      String r = e.getKey();
      int gained = e.getValue() - was.getOrDefault(r, 0);
      if (gained <= 0 || o.stables.contains(r)) {
        continue;
      }
      require(
          r.equals(candidate),
          "(a) the gate gave "
              + r
              + " traffic: "
              + u.before()
              + " -> "
              + u.targets()
              + " (stable "
              + stable
              + ", candidate "
              + candidate
              + ")");
      raise(r, was.getOrDefault(r, 0), e.getValue(), now);
    }
    int stableLost = was.getOrDefault(stable, 0) - now.getOrDefault(stable, 0);
    if (stableLost > 0) {
      int gained =
          candidate == null ? 0 : now.getOrDefault(candidate, 0) - was.getOrDefault(candidate, 0);
      require(
          gained >= stableLost,
          "(b) stable "
              + stable
              + " lost traffic to someone else: "
              + u.before()
              + " -> "
              + u.targets());
    }
    for (String r : was.keySet()) {
      if (!o.everCandidate.contains(r) && !o.stables.contains(r)) {
        // percents (a 0% route that only carried the gate's tag may go with it; other tags below)
        require(
            Objects.equals(was.get(r), now.getOrDefault(r, 0)),
            "(f) " + r + "'s route changed: " + u.before() + " -> " + u.targets());
      }
    }
    for (TrafficEntry t : u.before()) {
      if (t.tag != null && !t.tag.equals("candidate")) {
        require(
            u.targets().stream()
                .anyMatch(a -> t.tag.equals(a.tag) && t.revision.equals(a.revision)),
            "(f) tag "
                + t.tag
                + " on "
                + t.revision
                + " removed: "
                + u.before()
                + " -> "
                + u.targets());
      }
    }
  }

  /**
   * The candidate gained traffic: one step, when healthy and not held; or all of its share by a
   * promote.
   */
  private void raise(String r, int from, int to, Map<String, Integer> now) {
    int share =
        to
            + now.getOrDefault(
                o.stable.get(ModelOracle.serviceOf(r).name), 0); // stable and candidate share it
    if (o.promotedByCommand.contains(r)) {
      require(to <= share, "(a) promote gave " + r + " " + to + "% of a " + share + "% share");
      o.stepOf.put(r, 100);
      return;
    }
    var spec = w.spec();
    List<Integer> steps = spec.rollout.steps.stream().map(s -> s.percent).toList();
    int at = o.stepOf.getOrDefault(r, 0);
    Integer next = steps.stream().filter(p -> p > at).findFirst().orElse(null);
    String move =
        r
            + " "
            + from
            + "% -> "
            + to
            + "% (step "
            + at
            + "% of "
            + steps
            + ", share "
            + share
            + "%)";
    // the current step sent again (a person's routing took it down, then handed control back)
    boolean again = at > 0 && steps.contains(at) && to == at * share / 100;
    require(again || next != null && to == next * share / 100, "(a)(e) not the next step: " + move);
    require(o.healthy(r), "(a) raised while not healthy: " + move);
    require(o.loggingReadable(), "(a) raised while exits cannot be read: " + move);
    require(!Boolean.TRUE.equals(spec.paused), "(a) raised while paused: " + move);
    require(
        w.conflict == null && !w.deleting,
        "(a) raised while another policy gates the service or deleting");
    require(ModelPolicies.validSteps(steps), "(a) raised with invalid steps: " + move);
    require(w.secretMissing == false, "(a) raised while a Secret is missing: " + move);
    require(w.windowOpen(), "(a) raised outside the deploy window: " + move);
    require("READY".equals(w.instanceState), "(a) raised during Memorystore maintenance: " + move);
    Instant since = o.healthySince.get(r);
    if (at == 0
        && (since == null || !w.now.isBefore(since))) { // (a clock that went back cannot tell)
      require(
          since != null && !since.isAfter(w.now.minus(ModelOracle.OBSERVE_FOR)),
          "(a) raised before "
              + ModelOracle.OBSERVE_FOR
              + " of health (healthy since "
              + since
              + "): "
              + move);
    } else if (!again
        && o.raisedAt.get(r) != null
        && Objects.equals(o.raisedAtGeneration.get(r), w.generation())
        && !w.now.isBefore(o.raisedAt.get(r))) {
      Duration pause =
          spec.rollout.steps.stream()
              .filter(s -> s.percent == at)
              .findFirst()
              .map(s -> Durations.parse(s.pause, Duration.ZERO))
              .orElse(Duration.ZERO);
      require(
          !w.now.isBefore(o.raisedAt.get(r).plus(pause)),
          "(a) raised before the " + pause + " pause of " + at + "% passed: " + move);
    }
    o.stepOf.put(r, again ? at : next);
    o.raisedAt.put(r, w.now); // (sent again, the step's pause starts again)
    o.raisedAtGeneration.put(r, w.generation());
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
}
