package dev.rungate.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rungate.api.checks.DependenciesSpec;
import dev.rungate.api.checks.MemorystoreCheck;
import dev.rungate.api.spec.ServiceRef;
import dev.rungate.api.spec.VerificationSpec;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Quartz-driven re-verification on the real apiserver: an idle, promoted policy notices a
 * broken dependency.
 */
@Tag("real")
class SchedulesIT {
  static final ServiceRef SERVICE = new ServiceRef("netra-staging", "us-central1", "sessions");

  @Test
  void reverificationOnItsScheduleReportsABrokenDependencyWhileIdle() {
    try (var h = new OperatorHarness("verify")) {
      h.serviceWithCandidate(SERVICE, "sessions-00001-aaa", "sessions-00002-bbb");
      var policy = Policies.fast("sessions", SERVICE, "sessions-00002-bbb");
      MemorystoreCheck redis = new MemorystoreCheck();
      redis.name = "session-store";
      redis.host = "127.0.0.1";
      policy.getSpec().dependencies = new DependenciesSpec();
      policy.getSpec().dependencies.memorystore = List.of(redis);
      policy.getSpec().verification = new VerificationSpec();
      policy.getSpec().verification.schedule = "*/2 * * * * ?"; // every 2 s; the idle poll is 60 s
      h.client.resource(policy).inNamespace(h.namespace).create();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> h.conditionIs("sessions", "Promoted", "True"));

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> h.get("sessions").getStatus().lastVerifiedAt != null);
      Instant first = Instant.parse(h.get("sessions").getStatus().lastVerifiedAt);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  Instant.parse(h.get("sessions").getStatus().lastVerifiedAt)
                      .isAfter(first.plusSeconds(3)));

      h.probes.fail("session-store", "CONNECT", "connection refused (ConnectException)");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> h.conditionIs("sessions", "DependenciesReady", "False"));
      var condition = h.condition("sessions", "DependenciesReady").orElseThrow();
      assertThat(condition.getReason()).isEqualTo("DependencyUnreachable");
      assertThat(condition.getMessage())
          .contains("session-store", "CONNECT", "next candidate will be blocked");
      assertThat(h.get("sessions").getStatus().phase.name()).isEqualTo("Promoted");
      assertThat(h.client.v1().events().inNamespace(h.namespace).list().getItems())
          .extracting(Event::getReason)
          .contains("DependencyUnreachable");

      h.probes.heal("session-store");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> h.conditionIs("sessions", "DependenciesReady", "True"));
    }
  }
}
