package dev.rungate.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rungate.api.Phase;
import dev.rungate.api.ReadinessPolicy;
import dev.rungate.api.spec.ServiceRef;
import dev.rungate.api.status.TrafficEntry;
import dev.rungate.domain.ContainerExit;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The reconciler on a real kube-apiserver: status and conditions as a user reads them through the
 * API server.
 */
@Tag("real")
class ReconcilerIT {
  static final ServiceRef SERVICE =
      new ServiceRef("netra-staging", "us-central1", "netra-backend-staging");
  static final String STABLE = "netra-backend-staging-00001-abc";
  static final String CANDIDATE = "netra-backend-staging-00002-def";

  @Test
  void walksAGoodCandidateToPromoted() {
    try (var h = new OperatorHarness("promote")) {
      h.serviceWithCandidate(SERVICE, STABLE, CANDIDATE);
      h.client
          .resource(Policies.fast("gate", SERVICE, CANDIDATE))
          .inNamespace(h.namespace)
          .create();

      await().atMost(Duration.ofSeconds(60)).until(() -> h.conditionIs("gate", "Promoted", "True"));
      ReadinessPolicy p = h.get("gate");
      assertThat(p.getStatus().phase).isEqualTo(Phase.Promoted);
      assertThat(p.getStatus().stableRevision).isEqualTo(CANDIDATE);
      assertThat(p.getStatus().observedGeneration).isEqualTo(p.getMetadata().getGeneration());
      assertThat(h.cloudRun.updates())
          .containsExactly(
              List.of(
                  new TrafficEntry(STABLE, 100, null), new TrafficEntry(CANDIDATE, 0, "candidate")),
              List.of(
                  new TrafficEntry(STABLE, 90, null), new TrafficEntry(CANDIDATE, 10, "candidate")),
              List.of(
                  new TrafficEntry(STABLE, 50, null), new TrafficEntry(CANDIDATE, 50, "candidate")),
              List.of(
                  new TrafficEntry(STABLE, 0, null),
                  new TrafficEntry(CANDIDATE, 100, "candidate")));
      assertThat(p.getStatus().conditions)
          .extracting(c -> c.getType())
          .contains(
              "Ready",
              "DependenciesReady",
              "CandidateHealthy",
              "Promoted",
              "RolledBack",
              "Reconciling",
              "Stalled");
      assertThat(p.getStatus().conditions)
          .allSatisfy(
              c -> {
                assertThat(c.getLastTransitionTime()).isNotBlank();
                assertThat(c.getObservedGeneration()).isEqualTo(p.getMetadata().getGeneration());
                assertThat(c.getReason()).matches("[A-Z][A-Za-z]*");
              });
      // the status is written before the round acts: its Events and metrics follow it
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(eventReasons(h))
                      .contains("CandidateDetected", "StepStarted", "Promoted"));
      var registry = h.metrics.registry();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(
                          registry
                              .get("rungate.promotions")
                              .tag("policy", "gate")
                              .counter()
                              .count())
                      .isEqualTo(1.0));
      assertThat(registry.get("rungate.traffic.moves").tag("policy", "gate").counter().count())
          .isEqualTo(4.0);
      assertThat(registry.get("rungate.policy.phase").tag("phase", "Promoted").gauge().value())
          .isEqualTo(1.0);
    }
  }

  @Test
  void rollsBackOnExitThreeAndSaysWhy() {
    try (var h = new OperatorHarness("rollback")) {
      h.serviceWithCandidate(SERVICE, STABLE, CANDIDATE);
      var policy = Policies.fast("gate", SERVICE, CANDIDATE);
      policy.getSpec().rollout.steps.get(0).pause = "60s";
      h.client.resource(policy).inNamespace(h.namespace).create();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  h.get("gate").getStatus() != null
                      && Integer.valueOf(10).equals(h.get("gate").getStatus().candidatePercent));

      h.exits.add(
          new ContainerExit(
              CANDIDATE,
              3,
              Instant.now(),
              List.of(
                  "CRITICAL STARTUP FAILURE: GCP WebSocket readiness validation failed. Failed services: [redis].",
                  "[ERROR] Worker (pid:14) exited with code 3")));

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> h.conditionIs("gate", "RolledBack", "True"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  h.cloudRun
                      .traffic(SERVICE)
                      .equals(
                          List.of(
                              new TrafficEntry(STABLE, 100, null),
                              new TrafficEntry(CANDIDATE, 0, "candidate"))));
      ReadinessPolicy p = h.get("gate");
      assertThat(p.getStatus().phase).isEqualTo(Phase.RolledBack);
      assertThat(h.condition("gate", "RolledBack").orElseThrow().getReason())
          .isEqualTo("WorkerBootError");
      assertThat(h.condition("gate", "Stalled").orElseThrow().getStatus()).isEqualTo("True");
      assertThat(p.getStatus().lastExit.exitCode).isEqualTo(3);
      assertThat(p.getStatus().lastExit.evidence)
          .contains("[ERROR] Worker (pid:14) exited with code 3");
      assertThat(p.getStatus().history)
          .first()
          .satisfies(e -> assertThat(e.reason).isEqualTo("WorkerBootError"));
      await() // the Event follows the status write
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(eventReasons(h)).contains("WorkerBootError"));
      var registry = h.metrics.registry();
      assertThat(
              registry.get("rungate.rollbacks").tag("reason", "WorkerBootError").counter().count())
          .isEqualTo(1.0);
      assertThat(registry.get("rungate.detection.to.rollback").timer().count()).isEqualTo(1);
    }
  }

  @Test
  void anInvalidPolicyGetsInvalidSpecAndMovesNoTraffic() {
    try (var h = new OperatorHarness("invalid")) {
      h.serviceWithCandidate(SERVICE, STABLE, CANDIDATE);
      var policy = Policies.fast("gate", SERVICE, CANDIDATE);
      policy.getSpec().rollout.steps.get(1).percent =
          5; // 10 then 5: passes the schema, not the validator
      h.client.resource(policy).inNamespace(h.namespace).create();

      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  h.conditionIs("gate", "Ready", "False")
                      && "InvalidSpec"
                          .equals(h.condition("gate", "Ready").orElseThrow().getReason()));
      assertThat(h.condition("gate", "Ready").orElseThrow().getMessage())
          .contains("spec.rollout.steps[1].percent", "strictly increase");
      assertThat(h.get("gate").getStatus().phase).isEqualTo(Phase.Invalid);
      assertThat(h.cloudRun.updates()).isEmpty();
    }
  }

  private static List<String> eventReasons(OperatorHarness h) {
    return h.client.v1().events().inNamespace(h.namespace).list().getItems().stream()
        .map(Event::getReason)
        .toList();
  }
}
