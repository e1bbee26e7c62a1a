package dev.rungate.reconciler.model;

import static dev.rungate.reconciler.model.ModelChecks.require;

import dev.rungate.api.ReadinessPolicyStatus;
import dev.rungate.gate.status.Conditions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The promises about the status a round left and the manual commands it answered, checked against
 * what the {@link ModelOracle} knows (see {@link ModelChecks}): (c) RolledBack=True never while the
 * candidate serves, Promoted=True never while it serves nothing; (d) no round ends in
 * ReconcileError; (e) the recorded step percent only moves to the next step; (g) the status stays
 * small; a promote is applied only to the candidate and generation it was given for.
 */
final class ModelStatusChecks {
  private final ModelWorld w;
  private final ModelOracle o;

  ModelStatusChecks(ModelWorld w, ModelOracle o) {
    this.w = w;
    this.o = o;
  }

  private boolean granted(ModelOracle.Grant g, String r) {
    return r.equals(g.candidate())
        && (g.generation() == null || g.generation().equals(w.generation()));
  }

  void checkStatus(ReadinessPolicyStatus before, ReadinessPolicyStatus st, boolean clean) {
    String ready = Conditions.reason(st.conditions, Conditions.READY);
    require(
        !"ReconcileError".equals(ready),
        "(d) a round ended in ReconcileError: "
            + Conditions.find(st.conditions, Conditions.READY).map(c -> c.getMessage()).orElse(""));
    int size = ModelPolicies.sizeOf(st);
    require(size < 16_000, "(g) status grew to " + size + " characters");
    require(st.history.size() <= 10, "(g) history holds " + st.history.size());
    String c = st.candidateRevision;
    if (c == null || st.service == null) {
      return;
    }
    String service = ModelOracle.serviceOf(c).name;
    boolean claimsChecked =
        clean && w.conflict == null; // a round that could not look (or did not) claims nothing new
    boolean promotedNow =
        Conditions.isTrue(st.conditions, Conditions.PROMOTED)
            && (before == null
                || !Conditions.isTrue(before.conditions, Conditions.PROMOTED)
                || !Objects.equals(before.candidateRevision, c));
    if (promotedNow) {
      require(
          !claimsChecked || o.served(c) > 0,
          "(c) Promoted=True while "
              + c
              + " serves nothing: "
              + w.traffic(ModelOracle.serviceOf(c)));
      o.stable.put(service, c);
      o.stables.clear();
      o.stables.add(c);
      o.stables.add(
          o.stable.get(
              service.equals(ModelWorld.SERVICE.name)
                  ? ModelWorld.OTHER.name
                  : ModelWorld.SERVICE.name));
      o.gated.clear(); // a promotion closes the books: earlier candidates are someone's routes from
      // now on
      o.failing.clear();
      o.candidateOrder.clear();
    }
    if (!claimsChecked) {
      return;
    }
    if (Conditions.isTrue(st.conditions, Conditions.ROLLED_BACK)) {
      require(
          o.served(c) == 0,
          "(c) RolledBack=True while " + c + " serves " + w.traffic(ModelOracle.serviceOf(c)));
    }
    if (before != null
        && Objects.equals(before.candidateRevision, c)
        && before.stepPercent != null
        && st.stepPercent != null
        && !st.stepPercent.equals(before.stepPercent)
        && st.stepPercent != 0
        && st.stepPercent != 100) {
      List<Integer> steps = w.spec().rollout.steps.stream().map(s -> s.percent).toList();
      int was = before.stepPercent;
      int given = before.reachedPercent == null ? 0 : before.reachedPercent;
      Integer next = steps.stream().filter(p -> p > was).findFirst().orElse(was);
      // the next step; or, when an edit removed a step not reached yet, the first new step above
      // what was reached
      require(
          steps.contains(st.stepPercent) && st.stepPercent > given && st.stepPercent <= next,
          "(e) the recorded step went from "
              + was
              + "% (reached "
              + given
              + "%) to "
              + st.stepPercent
              + "% of "
              + steps);
    }
  }

  /** What the gate answered to a manual command: an applied one hands control back. */
  void answers(ReadinessPolicyStatus st) {
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
        require(
            o.grants.stream().anyMatch(g -> g.value().equals(answer.value) && granted(g, c)),
            "a promote was applied to "
                + c
                + " though it was not given for it at generation "
                + w.generation()
                + ": "
                + answer.value);
        o.promotedByCommand.add(c);
      }
    }
  }
}
