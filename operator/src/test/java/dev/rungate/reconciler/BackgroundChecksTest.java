package dev.rungate.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rungate.reconciler.CheckRunner.Key;
import dev.rungate.reconciler.CheckRunner.Results;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The check pools stay bounded, and a rollout's checks never wait behind queued re-verifications.
 */
class BackgroundChecksTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final BackgroundChecks checks =
      new BackgroundChecks(Duration.ofSeconds(5), 3, 2, registry);
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();
  private final AtomicInteger started = new AtomicInteger();

  @AfterEach
  void close() {
    release.countDown();
    checks.close();
  }

  @Test
  void aHundredDueVerificationsRunAtMostThePoolSizeAtOnceAndQueueTheRest() {
    for (int i = 0; i < 100; i++) {
      assertThat(checks.latest(verification(i), blocking())).isEqualTo(Results.NONE);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> started.get() == 2);
    assertThat(gauge("rungate.checks.running", "verification")).isEqualTo(2.0);
    assertThat(gauge("rungate.checks.queued", "verification")).isEqualTo(98.0);
    for (int i = 0; i < 100; i++) {
      checks.latest(verification(i), blocking()); // queued runs are in flight: not started twice
    }
    assertThat(gauge("rungate.checks.queued", "verification")).isEqualTo(98.0);

    release.countDown();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> started.get() == 100 && gauge("rungate.checks.running", "verification") == 0.0);
    assertThat(peak.get()).isEqualTo(2);
    assertThat(gauge("rungate.checks.queued", "verification")).isZero();
  }

  @Test
  void aRolloutRunIsNotStuckBehindQueuedVerifications() {
    for (int i = 0; i < 100; i++) {
      checks.latest(verification(i), blocking());
    }
    Key rollout = new Key("rollout-uid", 1L, "svc-00002-bbb", "https://candidate---svc.a.run.app");
    Results done = new Results(List.of(), List.of());
    checks.latest(rollout, () -> done);
    await().atMost(Duration.ofSeconds(10)).until(() -> checks.latest(rollout, () -> done) == done);
    assertThat(gauge("rungate.checks.queued", "verification"))
        .as("the verifications still wait")
        .isEqualTo(98.0);
  }

  private static Key verification(int i) {
    return new Key("uid-" + i, 1L, null, null);
  }

  private Supplier<Results> blocking() {
    return () -> {
      started.incrementAndGet();
      peak.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        running.decrementAndGet();
      }
      return Results.NONE;
    };
  }

  private double gauge(String name, String kind) {
    return registry.get(name).tag("kind", kind).gauge().value();
  }
}
