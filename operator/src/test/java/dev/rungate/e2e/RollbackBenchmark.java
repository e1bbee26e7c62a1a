package dev.rungate.e2e;

import static dev.rungate.testing.Processes.assertOk;
import dev.rungate.emulator.logging.LogStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Detection-to-rollback latency on the full local stack (scripts/bench-rollback [runs]):
 *  - exit(3): from the "Container called exit(3)." log entry to the gate's recorded rollback;
 *  - redis stop at 10%: from stopping redis-server to the emulator's service accepting 100% on stable.
 * One stack (cluster, emulator, redis, operator process) serves all runs; each run is a new candidate.
 */
public final class RollbackBenchmark {
  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    try (Stack s = new Stack("bench")) {
      assertOk(s.deploy(s.stable, false));
      s.startOperator();
      List<Double> exitToRollback = new ArrayList<>();
      List<Double> stopToStable = new ArrayList<>();
      int n = 2;
      for (int i = 0; i < runs; i++) {
        String bad = s.revision(n++, "exit3");
        s.deploy(bad, true, "REDIS_PORT=" + dev.rungate.testing.RedisServer.freePort());
        s.apply(s.policy(bad, "2s"));
        await(() -> rolledBack(s.get(), bad));
        var status = s.get().getStatus();
        Instant decided = Instant.parse(status.history.get(0).at);
        var exit = firstExit(s, bad);
        if (exit.isEmpty()) {
          System.out.printf("exit(3) run %d: rolled back for %s without an exit entry: %s%n", i + 1,
              status.history.get(0).reason, s.condition("RolledBack").orElseThrow().getMessage());
          continue;
        }
        exitToRollback.add(millis(exit.get(), decided));
        System.out.printf("exit(3) run %d: %s, %.0f ms%n", i + 1, status.history.get(0).reason,
            exitToRollback.get(exitToRollback.size() - 1));
      }
      for (int i = 0; i < runs; i++) {
        String good = s.revision(n++, "good");
        assertOk(s.deploy(good, true));
        s.apply(s.policy(good, "60s"));
        await(() -> atPercent(s.get(), good, 10));
        String stableNow = s.get().getStatus().stableRevision;
        List<String> back = List.of(stableNow + "=100", good + "=0");
        Instant stopped = Instant.now();
        s.redis.close();
        await(() -> s.trafficHistory().get(s.trafficHistory().size() - 1).equals(back));
        stopToStable.add(millis(stopped, lastAcceptedAt(s)));
        System.out.printf("redis stop run %d: %.0f ms%n", i + 1, stopToStable.get(i));
        s.redis = s.redis.restart();
      }
      report("exit(3) log entry -> rollback recorded", exitToRollback);
      report("redis stopped at 10% -> 100% on stable accepted by Cloud Run", stopToStable);
    }
    System.exit(0);
  }

  private static java.util.Optional<Instant> firstExit(Stack s, String revision) {
    return s.emulator.logs().matching(e -> e.getLogName().endsWith(LogStore.SYSTEM)
            && revision.equals(e.getResource().getLabelsMap().get("revision_name"))
            && e.getTextPayload().startsWith("Container called exit(3)"))
        .stream().map(e -> Instant.ofEpochSecond(e.getTimestamp().getSeconds(), e.getTimestamp().getNanos()))
        .min(Instant::compareTo);
  }

  private static Instant lastAcceptedAt(Stack s) {
    var changes = s.emulator.history().of(s.service);
    for (int i = changes.size() - 1; i >= 0; i--) {
      var c = changes.get(i);
      if (c.accepted()) {
        return c.at();
      }
    }
    throw new IllegalStateException("no accepted change");
  }

  /** One snapshot: rolled back, and for this candidate (not the previous run's). */
  private static boolean rolledBack(dev.rungate.api.ReadinessPolicy p, String candidate) {
    return p != null && p.getStatus() != null && candidate.equals(p.getStatus().candidateRevision)
        && p.getStatus().phase == dev.rungate.api.Phase.RolledBack;
  }

  private static boolean atPercent(dev.rungate.api.ReadinessPolicy p, String candidate, int percent) {
    return p != null && p.getStatus() != null && candidate.equals(p.getStatus().candidateRevision)
        && Integer.valueOf(percent).equals(p.getStatus().candidatePercent);
  }

  private static double millis(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e6;
  }

  private static void await(java.util.concurrent.Callable<Boolean> condition) throws Exception {
    Instant deadline = Instant.now().plusSeconds(120);
    while (!condition.call()) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("timed out");
      }
      Thread.sleep(50);
    }
  }

  private static void report(String what, List<Double> ms) {
    List<Double> sorted = new ArrayList<>(ms);
    Collections.sort(sorted);
    System.out.printf("%s over %d runs: p50 %.0f ms, p95 %.0f ms, max %.0f ms%n", what, sorted.size(),
        pct(sorted, 50), pct(sorted, 95), sorted.get(sorted.size() - 1));
  }

  private static double pct(List<Double> sorted, int p) {
    int idx = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, idx));
  }
}
