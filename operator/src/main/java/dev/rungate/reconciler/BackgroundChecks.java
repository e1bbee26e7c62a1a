package dev.rungate.reconciler;

import dev.rungate.api.CheckResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Runs a policy's dependency checks and revision probes off the reconcile thread, so a reconcile
 * never waits on a probe's timeout: each reconcile starts a run if none is in flight and uses the
 * newest finished results for the same key (policy, generation, candidate, tag URL). Exit signals,
 * read on every reconcile, are therefore never delayed by a hanging probe.
 */
final class BackgroundChecks implements AutoCloseable {
  /** What the results are valid for: new spec, candidate or URL means new checks. */
  record Key(String policyUid, Long generation, String candidate, String tagUrl) {}

  /** Results of one run. */
  record Results(List<CheckResult> dependencies, List<CheckResult> probes) {
    static final Results NONE = new Results(List.of(), List.of());
  }

  private record Slot(Key key, CompletableFuture<Results> running, Results done, Key doneKey, Instant touched) {}

  private static final Duration FORGET_AFTER = Duration.ofHours(1);
  private final Map<String, Slot> slots = new ConcurrentHashMap<>();
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "rungate-checks");
    t.setDaemon(true);
    return t;
  });

  /** The newest finished results for {@code key} (NONE until a run for it finished); starts a run when idle. */
  Results latest(Key key, Supplier<Results> run) {
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
      CompletableFuture<Results> running = idle ? CompletableFuture.supplyAsync(run, pool) : s.running();
      return new Slot(idle ? key : s.key(), running, done, doneKey, now);
    });
    return key.equals(slot.doneKey()) ? slot.done() : Results.NONE;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
