package dev.rungate.gate.rollout;

import dev.rungate.domain.ServiceSnapshot;
import dev.rungate.gate.round.Round;
import dev.rungate.gate.spec.GateSettings;
import dev.rungate.gate.traffic.Routing;
import dev.rungate.gate.traffic.TrafficPlan;

/**
 * spec.rollout.steps edited mid-rollout: the candidate stays at the percent it was given (never
 * more, and the gate does not move it down either), the recorded step becomes the highest new step
 * at or below that percent (step 0 when it is below the first new step: the candidate keeps its
 * traffic, and failures still roll it back, see {@link Routing#withTraffic}), and the next move
 * goes to the first new step above it. So an edit neither wedges the rollout nor is taken for
 * someone else's traffic change. Pauses and the other settings apply from the next round.
 */
final class StepEdits {
  private StepEdits() {}

  static void remap(Round r, GateSettings s, ServiceSnapshot svc) {
    var st = r.status;
    int percent =
        st.stepPercent != null ? st.stepPercent : s.percentAt(Math.min(st.step, s.lastStep()));
    int given = st.reachedPercent == null ? 0 : st.reachedPercent;
    if (TrafficPlan.matches(svc.traffic(), Routing.planAt(st, svc, percent))) {
      given = percent; // served already, though no round has recorded it as reached yet
    }
    boolean edited =
        st.step > s.lastStep()
            || s.percentAt(st.step) != percent; // the recorded step means another percent
    if (edited
        && percent
            > given) { // a move not reached yet goes to the first step above what the candidate has
      int next = firstAbove(s, given);
      if (next != percent && percent <= 100) {
        st.step = s.stepPercents().indexOf(next) + 1;
        st.stepPercent = next;
        r.emit(
            "Normal",
            "StepsEdited",
            "spec.rollout.steps changed while candidate "
                + st.candidateRevision
                + " was moving to "
                + percent
                + "%: it moves to "
                + next
                + "%, the first step above the "
                + given
                + "% it has.");
        return;
      }
    }
    if (consistent(s, st.step, percent)) {
      st.stepPercent = percent;
      return;
    }
    int mapped = 0;
    for (int i = 0; i <= s.lastStep(); i++) {
      if (s.percentAt(i) <= percent) {
        mapped = i;
      }
    }
    st.step = mapped;
    st.stepPercent = percent;
    r.emit(
        "Normal",
        "StepsEdited",
        "spec.rollout.steps changed during the rollout: candidate "
            + st.candidateRevision
            + " stays at "
            + percent
            + "% as step "
            + mapped
            + "; the next step is the first new one above it.");
  }

  private static int firstAbove(GateSettings s, int percent) {
    return s.stepPercents().stream().filter(p -> p > percent).findFirst().orElse(100);
  }

  /**
   * The recorded step fits the steps: its percent is at or above the step's and below the next
   * one's.
   */
  private static boolean consistent(GateSettings s, int step, int percent) {
    return step <= s.lastStep()
        && s.percentAt(step) <= percent
        && (step == s.lastStep() || percent < s.percentAt(step + 1));
  }
}
