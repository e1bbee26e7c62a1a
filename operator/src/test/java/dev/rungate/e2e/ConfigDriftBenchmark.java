package dev.rungate.e2e;

import static dev.rungate.testing.Processes.assertOk;

import dev.rungate.e2e.stack.Stack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Time to ConfigDrift on the full local stack (scripts/bench-drift [runs]): a candidate with a
 * stale REDIS_HOST is deployed, the policy is pointed at it, and the clock runs until the policy's
 * status says Ready=False reason ConfigDrift for that candidate (read through the API server every
 * 20 ms). One stack serves all runs; each run is a new candidate.
 */
public final class ConfigDriftBenchmark {
  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    List<Double> ms = new ArrayList<>();
    try (Stack s = new Stack("benchdrift")) {
      MemorystoreEndToEndIT.createInstance(s);
      assertOk(MemorystoreEndToEndIT.deploy(s, s.stable, false));
      s.startOperator();
      s.apply(
          MemorystoreEndToEndIT.policy(
              s, "2s")); // the operator is up once it reported the idle service
      Instant started = Instant.now().plusSeconds(300);
      while (s.get() == null || s.get().getStatus() == null || s.get().getStatus().phase == null) {
        if (Instant.now().isAfter(started)) {
          throw new IllegalStateException(
              "the operator did not report the policy: " + s.operator.log());
        }
        Thread.sleep(100);
      }
      for (int i = 0; i < runs; i++) {
        String stale = s.revision(i + 2, "stale");
        assertOk(
            s.deploy(
                stale,
                true,
                List.of("--vpc-connector", MemorystoreEndToEndIT.CONNECTOR, "--async"),
                "REDIS_HOST=127.0.0.2")); // the revision exists when this returns; its worker is
        // still booting
        long start = System.nanoTime();
        s.apply(MemorystoreEndToEndIT.policy(s, "2s", stale));
        Instant deadline = Instant.now().plusSeconds(60);
        while (!drifted(s, stale)) {
          if (Instant.now().isAfter(deadline)) {
            throw new IllegalStateException(
                "no ConfigDrift for " + stale + ": " + s.condition("Ready"));
          }
          Thread.sleep(20);
        }
        ms.add(Duration.ofNanos(System.nanoTime() - start).toNanos() / 1e6);
        System.out.printf(
            "run %d: policy pointed at %s -> Ready=False ConfigDrift in %.0f ms%n",
            i + 1, stale, ms.get(ms.size() - 1));
      }
    }
    List<Double> sorted = new ArrayList<>(ms);
    Collections.sort(sorted);
    System.out.printf(
        "candidate detection -> ConfigDrift over %d runs: p50 %.0f ms, p95 %.0f ms, max %.0f ms%n",
        sorted.size(), pct(sorted, 50), pct(sorted, 95), sorted.get(sorted.size() - 1));
    System.exit(0);
  }

  private static boolean drifted(Stack s, String candidate) {
    var p = s.get();
    return p != null
        && p.getStatus() != null
        && candidate.equals(p.getStatus().candidateRevision)
        && s.condition("Ready").map(c -> "ConfigDrift".equals(c.getReason())).orElse(false);
  }

  private static double pct(List<Double> sorted, int p) {
    int idx = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, idx));
  }

  private ConfigDriftBenchmark() {}
}
