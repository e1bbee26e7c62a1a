package dev.rungate.reconciler.model;

import dev.rungate.api.ReadinessPolicyStatus;
import dev.rungate.api.status.TrafficEntry;
import dev.rungate.gate.commands.Commands;
import dev.rungate.gate.status.Phases;
import dev.rungate.gate.traffic.TrafficPlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What people do to the world: gcloud traffic edits, tags, the CLI's commands, GitOps edits of
 * spec.service.
 */
final class ModelPeople {
  private ModelPeople() {}

  /**
   * gcloud run services update-traffic: all to one revision (often the stable one: the on-call's
   * manual rollback), or 50/50; existing tags are kept at 0% as gcloud keeps them.
   */
  static void routeByHand(ModelWorld w, ModelOracle o, int arg) {
    var service = w.gated();
    int n = w.revisions.get(service.name);
    String stable = o.stable.get(service.name);
    String a = arg % 4 == 0 && stable != null ? stable : w.revisionName(service, 1 + arg % n);
    String b = w.revisionName(service, 1 + (arg / 7) % n);
    List<TrafficEntry> routed = new ArrayList<>();
    if (a.equals(b) || arg % 3 == 0) {
      routed.add(new TrafficEntry(a, 100, null));
    } else {
      routed.add(new TrafficEntry(a, 50, null));
      routed.add(new TrafficEntry(b, 50, null));
    }
    if (routed.stream().anyMatch(t -> o.revision(t.revision) == null)) {
      return; // gcloud refuses a revision that does not exist
    }
    List<TrafficEntry> was = w.cloudRun.desired(service);
    List<TrafficEntry> traffic = ModelPolicies.withTagsOf(was, routed);
    boolean noChange = TrafficPlan.samePercents(traffic, w.cloudRun.desired(service));
    w.cloudRun.setTrafficByHand(service, dedupTags(traffic));
    if (noChange) {
      return; // the same percents as before: nobody can tell it from no routing at all
    }
    var st = w.status();
    boolean rollingOut = Phases.inFlight(st) && st.rollback == null;
    var before = o.beforePerson.get(service.name);
    if (rollingOut
        && (plans(st, was).stream().anyMatch(plan -> TrafficPlan.samePercents(traffic, plan))
            || before != null && TrafficPlan.samePercents(traffic, before))) {
      // the gate's routing again, or the one before their routing began (their own undo)
      o.handBack(
          service); // the same routing the gate set: a person who restores it hands control back
    } else {
      o.beforePerson.putIfAbsent(service.name, was);
      o.personRouted(service, traffic);
    }
  }

  /** The gate's plans at its intended and its reached step, as the traffic now stands. */
  private static List<List<TrafficEntry>> plans(ReadinessPolicyStatus st, List<TrafficEntry> now) {
    List<List<TrafficEntry>> plans = new ArrayList<>();
    for (Integer p : Arrays.asList(st.stepPercent, st.reachedPercent)) {
      if (p != null && st.stableRevision != null) {
        plans.add(
            TrafficPlan.plan(
                st.stableRevision,
                st.candidateRevision,
                st.candidateTag,
                p,
                now,
                st.previousCandidates));
      }
    }
    return plans;
  }

  /** A person puts back the traffic the gate last set: control is handed back. */
  static void restore(ModelWorld w, ModelOracle o) {
    var service = w.gated();
    var st = w.status();
    boolean rollingOut = Phases.inFlight(st) && st.rollback == null;
    var routing = o.person.get(service.name);
    if (rollingOut && routing != null) {
      // the plan at the intended step, as the traffic stood before the person's routing
      var mine = Optional.of(plans(st, o.beforePerson.get(service.name)).get(0));
      w.cloudRun.setTrafficByHand(service, mine.get());
      o.person.remove(service.name); // the gate's own plan again: nothing of it is a person's route
      o.beforePerson.remove(service.name);
    }
  }

  /** Someone's tag (a serverless NEG routes by it) on a revision, at 0%. */
  static void foreignTag(ModelWorld w, int arg) {
    var service = w.gated();
    List<TrafficEntry> now = new ArrayList<>(w.cloudRun.desired(service));
    String tag = arg % 2 == 0 ? "blue" : "prod";
    if (now.stream().anyMatch(t -> tag.equals(t.tag))) {
      return;
    }
    String revision = w.revisionName(service, 1 + arg % w.revisions.get(service.name));
    if (w.cloudRun.revisionOf(service, revision).isEmpty()) {
      return; // gcloud refuses a tag on a revision that does not exist
    }
    now.add(new TrafficEntry(revision, 0, tag));
    w.cloudRun.setTrafficByHand(service, now);
  }

  /**
   * rungate abort / promote / retry: the CLI binds the value to the candidate and generation the
   * user sees; some users annotate by hand (no binding); some act on a status they read a while ago
   * (the previous candidate).
   */
  static void command(ModelWorld w, ModelOracle o, String command, int arg) {
    if (w.stored == null) {
      return;
    }
    var status = w.status();
    String candidate = status == null ? null : status.candidateRevision;
    Long generation = w.stored.getMetadata().getGeneration();
    String value;
    String boundTo = candidate;
    Long boundAt = generation;
    if (arg % 10 < 3) {
      value = "manual-" + arg + "-" + w.now;
      boundAt = null;
    } else if (arg % 10 == 3 && status != null && !status.previousCandidates.isEmpty()) {
      boundTo = status.previousCandidates.get(0); // a stale view
      value = Commands.value(boundTo, generation, w.now);
    } else if (arg % 10 == 4) {
      boundAt = generation - 1; // given before the last spec edit
      value = Commands.value(candidate, boundAt, w.now);
    } else {
      value = Commands.value(candidate, generation, w.now);
    }
    w.annotate(command, value);
    if (Commands.PROMOTE.equals(command)) {
      o.grants.add(new ModelOracle.Grant(value, boundTo, boundAt));
    }
  }

  /** GitOps edits spec.service to the other service (and back). */
  static void editService(ModelWorld w, ModelOracle o) {
    if (w.stored == null) {
      return;
    }
    var to = w.gated().equals(ModelWorld.SERVICE) ? ModelWorld.OTHER : ModelWorld.SERVICE;
    w.editSpec(
        s -> {
          s.service = to;
          s.candidate.revision = null;
        });
    var st = w.status();
    if (st != null && st.service != null && st.service.endsWith("/services/" + to.name)) {
      return; // back to the service the status still describes (a held rollback never left it)
    }
    o.handBack(to);
    o.adoptBusiest(to);
  }

  private static List<TrafficEntry> dedupTags(List<TrafficEntry> traffic) {
    List<TrafficEntry> out = new ArrayList<>();
    for (TrafficEntry t : traffic) {
      if (t.tag == null || out.stream().noneMatch(x -> t.tag.equals(x.tag))) {
        out.add(t);
      }
    }
    return out;
  }
}
