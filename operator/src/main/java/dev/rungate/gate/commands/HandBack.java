package dev.rungate.gate.commands;

import dev.rungate.domain.ServiceSnapshot;
import dev.rungate.gate.round.Round;
import dev.rungate.gate.spec.GateSettings;
import dev.rungate.gate.status.Phases;
import dev.rungate.gate.status.Reasons;
import java.util.ArrayList;

/**
 * Control handed back to the gate after a person routed traffic by hand: by a new candidate, a
 * retry or a resume (a pause and a resume while a rollout left the routing alone).
 */
public final class HandBack {
  private HandBack() {}

  /**
   * A pause and a resume while a rollout left a person's routing alone hand control back: the gate
   * routes again.
   */
  public static void resumed(Round r, GateSettings s, ServiceSnapshot svc) {
    var st = r.status;
    if (st.routedByHand == null
        || !Phases.inFlight(st)) { // (after a rollout ended, a new candidate or retry hands back)
      st.resumeHandsBack = null;
    } else if (s.paused()) {
      st.resumeHandsBack = true;
    } else if (Boolean.TRUE.equals(st.resumeHandsBack)) {
      handBack(
          r,
          svc,
          "Resumed by a user: the gate routes the traffic of " + st.candidateRevision + " again.");
      st.reachedPercent = null; // what the service serves now is where the gate continues from
      r.emit(
          "Normal",
          "ControlHandedBack",
          "Resumed after someone routed traffic by hand: the gate sends step "
              + st.step
              + " ("
              + st.stepPercent
              + "%) again.");
    }
  }

  /**
   * A person handed control back (a new candidate, a retry or a resume): what the service serves
   * now is where the gate starts from, a hold for someone else's routing ends, and a traffic update
   * this process sent before it is no evidence that someone undid the gate's plan.
   */
  public static void handBack(Round r, ServiceSnapshot svc, String why) {
    r.status.traffic = new ArrayList<>(svc.settled() ? svc.traffic() : svc.desired());
    r.status.routedByHand = null;
    r.status.resumeHandsBack = null;
    r.status.handedBackAt = r.now.toString();
    r.ready(false, Reasons.VERIFYING, why);
  }
}
