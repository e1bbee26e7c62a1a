package dev.rungate.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rungate.api.ReadinessPolicy;
import dev.rungate.api.spec.ServiceRef;
import dev.rungate.api.spec.VerificationSpec;
import dev.rungate.gate.spec.Schedules;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Quartz source asks for a reconcile at the cron's fire time plus the policy's offset, not at
 * the fire time.
 */
@Tag("real")
class VerificationScheduleSourceTest {
  private static final String CRON = "0/5 * * * * ?"; // every 5 s: spread 1.25 s

  @Test
  void firesAtTheFireTimePlusThePoliciesOffset() {
    Instant anyFire = Instant.parse("2026-11-27T10:00:05Z");
    ServiceRef service =
        IntStream.range(0, 1000)
            .mapToObj(i -> new ServiceRef("p", "us-central1", "svc-" + i))
            .filter(
                s ->
                    Schedules.verificationOffset(CRON, s.resourceName(), anyFire).toMillis() >= 800)
            .findFirst()
            .orElseThrow();
    Duration offset = Schedules.verificationOffset(CRON, service.resourceName(), anyFire);
    ReadinessPolicy policy = Policies.fast("sessions", service, "sessions-00002-bbb");
    policy.getMetadata().setNamespace("verify");
    policy.getSpec().verification = new VerificationSpec();
    policy.getSpec().verification.schedule = CRON;

    List<Instant> events = new CopyOnWriteArrayList<>();
    var source = new VerificationScheduleSource();
    source.setEventHandler(e -> events.add(Instant.now()));
    source.start();
    try {
      source.track(policy);
      await().atMost(Duration.ofSeconds(20)).until(() -> events.size() >= 2);
    } finally {
      source.stop();
    }
    for (Instant at : events) {
      long sinceFire =
          at.minus(offset).toEpochMilli() % 5000; // the fire times are whole multiples of 5 s
      assertThat(sinceFire)
          .as("an event %s ms after fire + offset (%s)", sinceFire, offset)
          .isLessThan(1000);
    }
  }
}
