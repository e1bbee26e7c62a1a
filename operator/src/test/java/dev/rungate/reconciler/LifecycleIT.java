package dev.rungate.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rungate.api.Phase;
import dev.rungate.api.ReadinessPolicy;
import dev.rungate.api.spec.ServiceRef;
import dev.rungate.api.status.TrafficEntry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Deleting a policy mid-rollout, and two policies on one service, on the real apiserver. */
@Tag("real")
class LifecycleIT {
  static final ServiceRef SERVICE = new ServiceRef("netra-staging", "us-central1", "lifecycle");
  static final String STABLE = "lifecycle-00001-abc";
  static final String CANDIDATE = "lifecycle-00002-def";

  @Test
  void deletingAPolicyMidRolloutSendsTheCandidatesTrafficBackBeforeItGoes() {
    try (var h = new OperatorHarness("delete")) {
      h.serviceWithCandidate(SERVICE, STABLE, CANDIDATE);
      ReadinessPolicy policy = Policies.fast("gate", SERVICE, CANDIDATE);
      policy.getSpec().rollout.steps.get(0).pause = "10m";
      h.client.resource(policy).inNamespace(h.namespace).create();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  h.get("gate") != null
                      && h.get("gate").getStatus() != null
                      && Integer.valueOf(10).equals(h.get("gate").getStatus().candidatePercent));
      assertThat(h.get("gate").getMetadata().getFinalizers()).isNotEmpty();

      h.client.resources(ReadinessPolicy.class).inNamespace(h.namespace).withName("gate").delete();
      await().atMost(Duration.ofSeconds(30)).until(() -> h.get("gate") == null);
      assertThat(h.cloudRun.traffic(SERVICE))
          .containsExactly(
              new TrafficEntry(STABLE, 100, null), new TrafficEntry(CANDIDATE, 0, "candidate"));
    }
  }

  @Test
  void aSecondPolicyOnTheSameServiceIsAConflictAndMovesNothing() throws Exception {
    // idle and held policies looked at every second, so that "moves nothing" is shown over rounds,
    // not a sleep
    try (var h =
        new OperatorHarness(
            "conflict", new PollIntervals(Duration.ofSeconds(1), Duration.ofSeconds(1)))) {
      h.serviceWithCandidate(SERVICE, STABLE, CANDIDATE);
      ReadinessPolicy first = Policies.fast("first", SERVICE, CANDIDATE);
      first.getSpec().paused =
          true; // holds at 0%, so every traffic update below would be the second policy's
      h.client.resource(first).inNamespace(h.namespace).create();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  h.get("first") != null
                      && h.get("first").getStatus() != null
                      && h.get("first").getStatus().phase == Phase.Paused);
      int updates = h.cloudRun.updates().size();
      List<TrafficEntry> before = h.cloudRun.traffic(SERVICE);

      h.client
          .resource(Policies.fast("second", SERVICE, CANDIDATE))
          .inNamespace(h.namespace)
          .create();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> h.conditionIs("second", "Stalled", "True"));
      assertThat(h.condition("second", "Ready").orElseThrow())
          .satisfies(
              c -> {
                assertThat(c.getReason()).isEqualTo("Conflict");
                assertThat(c.getMessage()).contains(h.namespace + "/first", "lifecycle");
              });
      assertThat(h.get("second").getStatus().phase).isEqualTo(Phase.Blocked);
      h.awaitMoreRounds(
          6); // both policies looked again (about three rounds each) and nothing moved
      assertThat(h.cloudRun.updates()).hasSize(updates);
      assertThat(h.cloudRun.traffic(SERVICE)).isEqualTo(before);
    }
  }
}
