package dev.rungate.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.rungate.api.ReadinessPolicy;
import dev.rungate.cloudrun.CloudRun;
import dev.rungate.cloudrun.CloudRunException;
import dev.rungate.probe.InMemoryProbes;
import dev.rungate.reconciler.model.ModelWorld;
import dev.rungate.signals.ExitSignals;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mockito.Answers;

/**
 * A stopping replica starts no round and waits for the one in flight before it hands the Lease
 * over.
 */
@Tag("real")
class ReconcilerStopTest {
  @Test
  @SuppressWarnings("unchecked")
  void stopRoundsWaitsForTheRoundInFlightAndNoRoundStartsAfterIt() throws Exception {
    CloudRun cloudRun = mock(CloudRun.class);
    CountDownLatch inRound = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    when(cloudRun.getService(any(), any()))
        .thenAnswer(
            i -> {
              inRound.countDown();
              finish.await();
              throw new CloudRunException("UNAVAILABLE", "test", null);
            });
    var reconciler =
        new ReadinessPolicyReconciler(
            cloudRun,
            mock(ExitSignals.class),
            new InMemoryProbes(),
            Clock.systemUTC(),
            (p, type, reason, message) -> {});
    Context<ReadinessPolicy> context = mock(Context.class, Answers.RETURNS_DEEP_STUBS);
    when(context.getPrimaryCache().list()).thenAnswer(i -> Stream.empty());
    ReadinessPolicy policy = Policies.fast("gate", ModelWorld.SERVICE, "svc-00002-b");
    policy.setMetadata(
        new ObjectMetaBuilder()
            .withName("gate")
            .withNamespace("ns")
            .withUid("u")
            .withGeneration(1L)
            .build());

    var round = CompletableFuture.runAsync(() -> reconciler.reconcile(policy, context));
    assertThat(inRound.await(10, TimeUnit.SECONDS)).isTrue();
    var stop =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return reconciler.stopRounds(Duration.ofSeconds(10));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(200);
    assertThat(stop).as("waits for the round in flight").isNotDone();
    finish.countDown();
    assertThat(stop.get(10, TimeUnit.SECONDS)).isTrue();
    round.get(10, TimeUnit.SECONDS);

    var after = reconciler.reconcile(policy, context);
    assertThat(after.getScheduleDelay()).isEmpty();
    verify(cloudRun, timeout(1000).times(1)).getService(any(), any());
    verify(cloudRun, never()).updateTraffic(any(), any(), any());
  }
}
