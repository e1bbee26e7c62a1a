package dev.rungate.gate.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungate.api.ReadinessPolicyStatus;
import dev.rungate.api.status.TrafficEntry;
import dev.rungate.domain.ServiceSnapshot;
import dev.rungate.gate.observed.Observation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Whose routing the service serves: the gate's plan, or a person's (which the gate never
 * overwrites). Stable s1, candidate c2 at step 10% of the 90% that a foreign route (f3, tag blue)
 * leaves.
 */
class RoutingTest {
  private static final TrafficEntry BLUE_10 = new TrafficEntry("f3", 10, "blue");
  private static final TrafficEntry BLUE_0 = new TrafficEntry("f3", 0, "blue");

  private static ReadinessPolicyStatus atTenPercent(List<TrafficEntry> lastLooked) {
    var st = new ReadinessPolicyStatus();
    st.stableRevision = "s1";
    st.candidateRevision = "c2";
    st.candidateTag = "candidate";
    st.step = 1;
    st.stepPercent = 10;
    st.reachedPercent = 10;
    st.traffic = new ArrayList<>(lastLooked);
    return st;
  }

  private static List<TrafficEntry> traffic(int stable, int candidate, TrafficEntry foreign) {
    return List.of(
        new TrafficEntry("s1", stable, null),
        new TrafficEntry("c2", candidate, "candidate"),
        foreign);
  }

  private static ServiceSnapshot serving(List<TrafficEntry> traffic) {
    return new ServiceSnapshot("e", traffic, Map.of(), "c2", "c2", false, "https://svc");
  }

  /** Reconciling a change that moves no traffic (a deploy with --no-traffic). */
  private static ServiceSnapshot deployReconciling(List<TrafficEntry> traffic) {
    return new ServiceSnapshot("e", traffic, Map.of(), "c4", "c2", true, "https://svc");
  }

  @Test
  void theGatesOwnStepIsKnownRouting() {
    var planned = traffic(81, 9, BLUE_10);
    var st = atTenPercent(planned);
    var svc = serving(planned);
    assertThat(Routing.knownRouting(st, svc, Routing.planAt(st, svc, 10))).isTrue();
  }

  @Test
  void aForeignRouteChangedSinceTheLastLookIsSomeonesRouting() {
    var st = atTenPercent(traffic(81, 9, BLUE_10));
    var svc = serving(traffic(90, 10, BLUE_0)); // the plan again around the new foreign percent
    assertThat(Routing.knownRouting(st, svc, Routing.planAt(st, svc, 10))).isFalse();
  }

  @Test
  void whileHeldThePersonsRoutingStaysTheirs() {
    var theirs = traffic(50, 50, BLUE_0);
    var st = atTenPercent(theirs);
    st.routedByHand = new ArrayList<>(theirs);
    var svc = serving(theirs);
    assertThat(Routing.knownRouting(st, svc, Routing.planAt(st, svc, 10))).isFalse();
  }

  /** The gate saw its step, then held for their routing, and looked at it since. */
  private static ReadinessPolicyStatus heldFor(List<TrafficEntry> theirs) {
    var st = atTenPercent(traffic(81, 9, BLUE_10));
    Routing.holdFor(st, theirs);
    st.traffic = new ArrayList<>(theirs);
    return st;
  }

  @Test
  void whileHeldThePlanRestoredWithTheForeignRouteBackIsAHandBack() {
    var st = heldFor(traffic(50, 50, BLUE_0)); // their routing also took blue's 10% away
    var svc = serving(traffic(81, 9, BLUE_10)); // then they put the gate's step back as it was
    assertThat(Routing.knownRouting(st, svc, Routing.planAt(st, svc, 10))).isTrue();
  }

  @Test
  void whileHeldThePlanAsTheGateShowsItAroundTheirRoutesIsAHandBack() {
    var st = heldFor(traffic(50, 50, BLUE_0));
    var svc = serving(traffic(90, 10, BLUE_0)); // the planned traffic the Paused message shows
    assertThat(Routing.knownRouting(st, svc, Routing.planAt(st, svc, 10))).isTrue();
  }

  @Test
  void whileHeldANewForeignPercentIsTheirsEvenWhenAPlanFitsAroundIt() {
    var st = heldFor(traffic(50, 50, BLUE_0));
    var svc = serving(traffic(45, 5, new TrafficEntry("f3", 50, "blue")));
    assertThat(Routing.knownRouting(st, svc, Routing.planAt(st, svc, 10))).isFalse();
  }

  @Test
  void aPersonsRoutingServedWhileADeployReconcilesIsSeen() {
    var st = atTenPercent(traffic(81, 9, BLUE_10));
    var theirs = traffic(100, 0, BLUE_10); // the on-call's rollback, then a --no-traffic deploy
    var svc = deployReconciling(theirs);
    assertThat(Routing.routingSettled(svc)).isTrue();
    assertThat(
            Routing.changedByPerson(
                st, svc, Routing.planAt(st, svc, 10), Observation.ofService(svc)))
        .isTrue();
  }

  @Test
  void anUpdateNotServedYetIsNotASettledRouting() {
    var asked = traffic(45, 45, BLUE_10);
    var svc =
        new ServiceSnapshot(
            "e",
            traffic(81, 9, BLUE_10),
            Map.of(),
            "c2",
            "c2",
            true,
            "https://svc",
            false,
            null,
            asked);
    assertThat(Routing.routingSettled(svc)).isFalse();
  }
}
