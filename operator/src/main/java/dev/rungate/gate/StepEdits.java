package dev.rungate.gate;

/**
 * spec.rollout.steps edited mid-rollout: the rollout continues from the highest new step at or below the
 * percent the candidate was at (never above it), instead of wedging or taking the edit for someone else's
 * traffic change. Pauses and the other settings simply apply from the next round.
 */
final class StepEdits {
  private StepEdits() {}

  static void remap(Round r, GateSettings s) {
    var st = r.status;
    int step = st.step;
    if (st.stepPercent != null && step <= s.lastStep() && s.percentAt(step) == st.stepPercent) {
      return;
    }
    int percent = st.stepPercent != null ? st.stepPercent : s.percentAt(Math.min(step, s.lastStep()));
    int mapped = 0;
    for (int i = 0; i <= s.lastStep(); i++) {
      if (s.percentAt(i) <= percent) {
        mapped = i;
      }
    }
    st.step = mapped;
    st.stepPercent = s.percentAt(mapped);
    st.stepStartedAt = null;
    if (st.stepPercent != percent) {
      r.emit("Normal", "StepsEdited", "spec.rollout.steps changed during the rollout: candidate " + st.candidateRevision
          + " goes from " + percent + "% to step " + mapped + " (" + st.stepPercent + "%) and continues from there.");
    }
  }
}
