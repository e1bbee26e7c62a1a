package dev.rungate.reconciler;

import dev.rungate.api.ReadinessPolicyStatus;
import dev.rungate.api.TrafficEntry;
import dev.rungate.gate.Conditions;
import dev.rungate.gate.TrafficPlan;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The gate's promises, checked after every round:
 * (a) a revision the gate has not verified never gets more than the current step's percent from the gate, and
 *     never 100% before the last step; (b) the last promoted revision loses traffic only to the candidate, within
 *     the step; (c) a failure signal ends with the candidate at 0% and RolledBack=True once the world is quiet,
 *     and RolledBack=True is never written while the candidate still serves; (d) no exception leaves a round
 *     (the caller); (e) steps are neither skipped nor repeated; (f) someone else's tags are never removed;
 *     (g) the status stays small. A person's routing (or rungate promote) exempts what it touched.
 */
final class ModelChecks {
  private final ModelWorld w;
  private String lastPromoted;
  private boolean personTouched;
  private boolean promoteAsked;
  private final Set<String> failed = new HashSet<>();
  private final Set<String> routedByPerson = new HashSet<>();
  private String trackedCandidate;
  private Integer lastStep;
  private Long lastGeneration;

  ModelChecks(ModelWorld w) {
    this.w = w;
    this.lastPromoted = w.revisionName(1);
  }

  /** A person routed traffic by hand, giving these revisions a share: the gate must not take it away from them. */
  void personRouted(java.util.Collection<String> given) {
    personTouched = true;
    routedByPerson.addAll(given);
  }

  void promoteAsked() {
    promoteAsked = true;
  }

  void retried(String candidate) {
    failed.remove(candidate);
  }

  void failureSignalled(String candidate) {
    failed.add(candidate);
  }

  /** Called after each round with the traffic before it and the number of gate updates before it. */
  void afterRound(List<TrafficEntry> before, int updatesBefore) {
    ReadinessPolicyStatus st = w.status();
    List<TrafficEntry> after = w.traffic();
    if (st == null) {
      return;
    }
    if (!java.util.Objects.equals(st.candidateRevision, trackedCandidate)) {
      trackedCandidate = st.candidateRevision;
      personTouched = false;
      promoteAsked = false;
      lastStep = null;
    }
    if (Conditions.isTrue(st.conditions, Conditions.PROMOTED) && java.util.Objects.equals(st.candidateRevision, st.stableRevision)) {
      lastPromoted = st.stableRevision;
    }
    String sole = TrafficPlan.soleRevision(after);
    if (personTouched && sole != null && st.stableRevision != null) {
      lastPromoted = st.stableRevision; // a person's routing may make another revision the stable one
    }
    boolean gateMoved = w.cloudRun.updates().size() > updatesBefore;
    if (gateMoved && !personTouched && !promoteAsked) {
      checkMove(st, before, after);
    }
    checkSteps(st);
    if (Conditions.isTrue(st.conditions, Conditions.ROLLED_BACK) && st.rollback != null && !personTouched
        && "RolledBack".equals(String.valueOf(st.phase))) {
      require(TrafficPlan.percentOf(after, st.candidateRevision) == 0, "(c) RolledBack=True while the candidate serves "
          + after);
    }
    require(ModelWorld.sizeOf(st) < 16_000, "(g) status grew to " + ModelWorld.sizeOf(st) + " characters");
    require(st.history.size() <= 10, "(g) history holds " + st.history.size());
  }

  private void checkMove(ReadinessPolicyStatus st, List<TrafficEntry> before, List<TrafficEntry> after) {
    Map<String, Integer> was = percents(before);
    Map<String, Integer> now = percents(after);
    for (var e : now.entrySet()) {
      int gained = e.getValue() - was.getOrDefault(e.getKey(), 0);
      if (gained <= 0) {
        continue;
      }
      boolean stable = e.getKey().equals(lastPromoted);
      boolean candidate = e.getKey().equals(st.candidateRevision);
      require(stable || candidate, "(a) the gate gave " + e.getKey() + " traffic: " + before + " -> " + after
          + " (stable " + lastPromoted + ", candidate " + st.candidateRevision + ")");
      if (candidate && !stable) {
        require(e.getValue() <= st.stepPercent, "(a) candidate at " + e.getValue() + "% above step " + st.step
            + " (" + st.stepPercent + "%): " + before + " -> " + after);
      }
    }
    int stableLost = was.getOrDefault(lastPromoted, 0) - now.getOrDefault(lastPromoted, 0);
    if (stableLost > 0) {
      String c = String.valueOf(st.candidateRevision);
      int candidateGained = now.getOrDefault(c, 0) - was.getOrDefault(c, 0);
      require(candidateGained >= stableLost, "(b) stable " + lastPromoted + " lost traffic to someone else: "
          + before + " -> " + after);
    }
    for (TrafficEntry t : before) {
      if (t.tag != null && !t.tag.equals(st.candidateTag)) {
        require(after.stream().anyMatch(a -> t.tag.equals(a.tag) && t.revision.equals(a.revision)),
            "(f) tag " + t.tag + " on " + t.revision + " removed: " + before + " -> " + after);
      }
    }
  }

  private void checkSteps(ReadinessPolicyStatus st) {
    Long generation = w.stored.getMetadata().getGeneration();
    if (st.step == null || st.rollback != null || promoteAsked) {
      lastStep = null;
      return;
    }
    if (lastStep != null && generation.equals(lastGeneration)) {
      require(st.step >= lastStep && st.step <= lastStep + 1, "(e) step went from " + lastStep + " to " + st.step);
    }
    lastStep = st.step;
    lastGeneration = generation;
  }

  /** After a quiet stretch (every fault healed, unpaused, valid spec): every failed candidate is back at 0%. */
  void afterQuiet() {
    ReadinessPolicyStatus st = w.status();
    if (st == null || personTouched) {
      return;
    }
    List<TrafficEntry> traffic = w.traffic();
    for (String candidate : failed) {
      if (!candidate.equals(lastPromoted) && !candidate.equals(st.stableRevision) && !routedByPerson.contains(candidate)) {
        require(TrafficPlan.percentOf(traffic, candidate) == 0,
            "(c) failed candidate " + candidate + " still serves: " + traffic + " (status " + st.phase + ")");
      }
    }
    if (st.candidateRevision != null && failed.contains(st.candidateRevision) && !st.candidateRevision.equals(st.stableRevision)
        && !routedByPerson.contains(st.candidateRevision)) {
      require(st.rollback != null && Boolean.TRUE.equals(st.rollback.done), "(c) failed candidate "
          + st.candidateRevision + " not rolled back after a quiet stretch: phase " + st.phase);
    }
  }

  private static Map<String, Integer> percents(List<TrafficEntry> traffic) {
    Map<String, Integer> m = new TreeMap<>();
    traffic.forEach(t -> m.merge(t.revision, t.percent, Integer::sum));
    return m;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new AssertionError(message);
    }
  }
}
