package dev.rungate.reconciler;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Runs a policy's dependency checks and revision probes off the reconcile thread, so a reconcile
 * never waits on a probe's timeout: a reconcile starts a run if none is in flight and the last one
 * started at least {@code minInterval} ago, and uses the newest finished results for the same key
 * (policy, generation, candidate, tag URL). Exit signals, read on every reconcile, are therefore never
 * delayed by a hanging probe, and a policy's probes never run more often than once per interval.
 */
final class BackgroundChecks implements CheckRunner {
  private record Slot(Key key, CompletableFuture<Results> running, Instant started, Results done, Key doneKey,
      Instant touched) {}

  private static final Duration FORGET_AFTER = Duration.ofHours(1);
  private final Map<String, Slot> slots = new ConcurrentHashMap<>();
  private final Duration minInterval;
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "rungate-checks");
    t.setDaemon(true);
    return t;
  });

  BackgroundChecks(Duration minInterval) {
    this.minInterval = minInterval;
  }

  @Override
  public Results latest(Key key, Supplier<Results> run) {
    Instant now = Instant.now();
    slots.values().removeIf(s -> s.touched().plus(FORGET_AFTER).isBefore(now));
    Slot slot = slots.compute(key.policyUid(), (uid, s) -> {
      Results done = s == null ? null : s.done();
      Key doneKey = s == null ? null : s.doneKey();
      if (s != null && s.running() != null && s.running().isDone()) {
        done = s.running().exceptionally(e -> Results.NONE).join();
        doneKey = s.key();
      }
      boolean idle = s == null || s.running() == null || s.running().isDone();
      boolean due = s == null || !key.equals(s.key()) || !now.isBefore(s.started().plus(minInterval));
      if (idle && due) {
        return new Slot(key, CompletableFuture.supplyAsync(run, pool), now, done, doneKey, now);
      }
      return new Slot(s.key(), s.running(), s.started(), done, doneKey, now);
    });
    return key.equals(slot.doneKey()) ? slot.done() : Results.NONE;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
