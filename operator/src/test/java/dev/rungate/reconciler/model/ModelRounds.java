package dev.rungate.reconciler.model;

import static dev.rungate.reconciler.model.ModelWorld.SERVICE;

import dev.rungate.gate.status.Conditions;
import dev.rungate.gate.traffic.TrafficPlan;
import java.time.Duration;
import java.util.function.Predicate;

/** Drives a ModelWorld round by round for the people tests, and reads what a revision gets. */
final class ModelRounds {
  private ModelRounds() {}

  static int served(ModelWorld w, String revision) {
    return TrafficPlan.percentOf(w.traffic(ModelOracle.serviceOf(revision)), revision);
  }

  static int desired(ModelWorld w, String revision) {
    return TrafficPlan.percentOf(w.cloudRun.desired(ModelOracle.serviceOf(revision)), revision);
  }

  /** Rounds as JOSDK runs them: each reconcile, then time moves on by its requeue (at most 5 s). */
  static void rounds(ModelWorld w, int n) {
    for (int i = 0; i < n; i++) {
      Duration after = w.reconcile();
      w.advance(after.compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : after);
    }
  }

  static void runUntil(ModelWorld w, Predicate<ModelWorld> done) {
    for (int i = 0; i < 400; i++) {
      if (w.status() != null && done.test(w)) {
        return;
      }
      rounds(w, 1);
    }
    throw new AssertionError(
        "not reached within 400 rounds; status "
            + w.status().phase
            + " "
            + Conditions.reason(w.status().conditions, Conditions.READY)
            + ", traffic "
            + w.traffic(SERVICE));
  }
}
