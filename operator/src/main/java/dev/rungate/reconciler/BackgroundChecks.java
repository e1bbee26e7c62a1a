package dev.rungate.reconciler;

import dev.rungate.concurrent.DaemonPools;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs a policy's dependency checks and revision probes off the reconcile thread, so a reconcile
 * never waits on a probe's timeout: a reconcile starts a run if none is in flight and the last one
 * started at least {@code minInterval} ago, and uses the newest finished results for the same key
 * (policy, generation, candidate, tag URL). Exit signals, read on every reconcile, are therefore
 * never delayed by a hanging probe, and a policy's probes never run more often than once per
 * interval. Runs go to two bounded pools with unbounded queues: rollout checks (a candidate in the
 * key) and idle re-verification, so 2,000 policies due at once never mean 2,000 threads and
 * re-verification never delays a rollout. A queued run is in flight for {@link #latest}, so it is
 * not started twice.
 */
final class BackgroundChecks implements CheckRunner {
  private record Slot(
      Key key,
      CompletableFuture<Results> running,
      Instant started,
      Results done,
      Key doneKey,
      Instant touched) {}

  private static final Duration FORGET_AFTER = Duration.ofHours(1);

  /**
   * How often slots untouched for {@link #FORGET_AFTER} are swept: a sweep walks every slot, a
   * round must not.
   */
  private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

  private final AtomicReference<Instant> lastSweep = new AtomicReference<>(Instant.EPOCH);

  /** An idle replica keeps no check threads: a pool's threads end a minute after its last run. */
  private static final Duration KEEP_ALIVE = Duration.ofMinutes(1);

  static final int ROLLOUT_THREADS = 16;
  static final int VERIFICATION_THREADS = 4;
  private final Map<String, Slot> slots = new ConcurrentHashMap<>();
  private final Duration minInterval;
  private final ThreadPoolExecutor rollout;
  private final ThreadPoolExecutor verification;

  BackgroundChecks(Duration minInterval, MeterRegistry registry) {
    this(minInterval, ROLLOUT_THREADS, VERIFICATION_THREADS, registry);
  }

  BackgroundChecks(
      Duration minInterval, int rolloutThreads, int verificationThreads, MeterRegistry registry) {
    this.minInterval = minInterval;
    this.rollout = DaemonPools.bounded("rungate-rollout-checks", rolloutThreads, KEEP_ALIVE);
    this.verification =
        DaemonPools.bounded("rungate-verification-checks", verificationThreads, KEEP_ALIVE);
    gauges(registry, "rollout", rollout);
    gauges(registry, "verification", verification);
  }

  private static void gauges(MeterRegistry registry, String kind, ThreadPoolExecutor pool) {
    // rungate_checks_running{kind}, rungate_checks_queued{kind}
    Gauge.builder("rungate.checks.running", pool, ThreadPoolExecutor::getActiveCount)
        .tags("kind", kind)
        .description(
            "Policy check runs executing now, by kind (rollout or verification); bounded by the pool size")
        .register(registry);
    Gauge.builder("rungate.checks.queued", pool, p -> p.getQueue().size())
        .tags("kind", kind)
        .description(
            "Policy check runs waiting for a thread of their pool, by kind (rollout or verification)")
        .register(registry);
  }

  @Override
  public Results latest(Key key, Supplier<Results> run) {
    Instant now = Instant.now();
    Instant swept = lastSweep.get();
    if (!now.isBefore(swept.plus(SWEEP_EVERY)) && lastSweep.compareAndSet(swept, now)) {
      Instant forgetBefore = now.minus(FORGET_AFTER);
      slots.values().removeIf(s -> s.touched().isBefore(forgetBefore));
    }
    Slot slot =
        slots.compute(
            key.policyUid(),
            (uid, s) -> {
              Results done = s == null ? null : s.done();
              Key doneKey = s == null ? null : s.doneKey();
              if (s != null && s.running() != null && s.running().isDone()) {
                done = s.running().exceptionally(e -> Results.NONE).join();
                doneKey = s.key();
              }
              boolean idle = s == null || s.running() == null || s.running().isDone();
              boolean due =
                  s == null || !key.equals(s.key()) || !now.isBefore(s.started().plus(minInterval));
              if (idle && due) {
                var pool = key.candidate() == null ? verification : rollout;
                return new Slot(
                    key, CompletableFuture.supplyAsync(run, pool), now, done, doneKey, now);
              }
              return new Slot(s.key(), s.running(), s.started(), done, doneKey, now);
            });
    return key.equals(slot.doneKey()) ? slot.done() : Results.NONE;
  }

  @Override
  public void close() {
    rollout.shutdownNow();
    verification.shutdownNow();
  }
}
