package dev.rungate.e2e;

import static dev.rungate.testing.Processes.assertOk;

import dev.rungate.api.Phase;
import dev.rungate.api.ReadinessPolicy;
import dev.rungate.e2e.stack.Stack;
import dev.rungate.emulator.logging.LogStore;
import dev.rungate.testing.RedisServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Detection-to-rollback latency on the full local stack (scripts/bench-rollback [runs]): - exit(3):
 * the candidate serves 10% when its Redis goes away and gunicorn's next worker fails its startup
 * validation; from the "Container called exit(3)." entry's timestamp to the emulator accepting the
 * update that takes the candidate's traffic away (no probes in this policy: the exit alone must do
 * it); - redis stop at 10%: from stopping redis-server to the emulator's service accepting 100% on
 * stable. One stack (cluster, emulator, redis, operator process) serves all runs; each run is a new
 * candidate.
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
      RedisServer own = RedisServer.start("--requirepass", Stack.REDIS_PASSWORD);
      for (int i = 0; i < runs; i++) {
        String bad = s.revision(n++, "exit3");
        assertOk(
            s.deploy(
                bad,
                true,
                "REDIS_PORT=" + own.port)); // boots against its own Redis, which fails later
        var policy = s.policy(bad, "60s");
        policy.getSpec().revision.probes = List.of(); // the exit alone must bring traffic back
        s.apply(policy);
        await(() -> atPercent(s.get(), bad, 10));
        own.close();
        killWorkers(
            bad); // gunicorn boots a new worker, whose startup validation fails: exit 3, the real
        // path
        await(() -> rolledBack(s.get(), bad));
        var exit = firstExit(s, bad);
        String reason = s.get().getStatus().history.get(0).reason;
        if (exit.isEmpty()) {
          System.out.printf(
              "exit(3) run %d: rolled back (%s) without an exit entry%n", i + 1, reason);
        } else {
          exitToRollback.add(millis(exit.get(), acceptedBackOnStable(s, bad)));
          System.out.printf(
              "exit(3) run %d at 10%%: %s, %.0f ms%n",
              i + 1, reason, exitToRollback.get(exitToRollback.size() - 1));
        }
        own = own.restart();
      }
      own.close();
      for (int i = 0; i < runs; i++) {
        String good = s.revision(n++, "good");
        deployRetryingOnConflict(s, good);
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
      report(
          "candidate at 10%: exit(3) log entry -> rollback accepted by Cloud Run", exitToRollback);
      report("redis stopped at 10% -> 100% on stable accepted by Cloud Run", stopToStable);
    }
    System.exit(0);
  }

  private static Optional<Instant> firstExit(Stack s, String revision) {
    return s
        .emulator
        .logs()
        .matching(
            e ->
                e.getLogName().endsWith(LogStore.SYSTEM)
                    && revision.equals(e.getResource().getLabelsMap().get("revision_name"))
                    && e.getTextPayload().startsWith("Container called exit(3)"))
        .stream()
        .map(e -> Instant.ofEpochSecond(e.getTimestamp().getSeconds(), e.getTimestamp().getNanos()))
        .min(Instant::compareTo);
  }

  /** When the emulator accepted the update that took the candidate's traffic away. */
  private static Instant acceptedBackOnStable(Stack s, String candidate) {
    for (var c : s.emulator.history().of(s.service)) {
      if (c.accepted()
          && c.traffic().stream()
              .noneMatch(t -> candidate.equals(t.getRevision()) && t.getPercent() > 0)
          && c.at().isAfter(Instant.now().minusSeconds(120))
          && s.emulator.history().of(s.service).stream()
              .anyMatch(
                  e ->
                      e.at().isBefore(c.at())
                          && e.accepted()
                          && e.traffic().stream()
                              .anyMatch(
                                  t -> candidate.equals(t.getRevision()) && t.getPercent() > 0))) {
        return c.at();
      }
    }
    throw new IllegalStateException("no accepted rollback for " + candidate);
  }

  /**
   * Kills the gunicorn workers of a revision (children of its container's main process), found by
   * K_REVISION.
   */
  private static void killWorkers(String revision) throws Exception {
    for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
      Path env = Path.of("/proc/" + p.pid() + "/environ");
      try {
        String vars = Files.readString(env, StandardCharsets.ISO_8859_1);
        boolean ours = vars.contains("K_REVISION=" + revision + "\0");
        boolean root =
            p.parent()
                .map(pp -> !envOf(pp.pid()).contains("K_REVISION=" + revision + "\0"))
                .orElse(true);
        if (ours && !root) {
          p.destroyForcibly();
        }
      } catch (IOException e) {
        // a process that ended meanwhile, or one we may not read
      }
    }
  }

  private static String envOf(long pid) {
    try {
      return Files.readString(Path.of("/proc/" + pid + "/environ"), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return "";
    }
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
  private static boolean rolledBack(ReadinessPolicy p, String candidate) {
    return p != null
        && p.getStatus() != null
        && candidate.equals(p.getStatus().candidateRevision)
        && p.getStatus().phase == Phase.RolledBack;
  }

  private static boolean atPercent(ReadinessPolicy p, String candidate, int percent) {
    return p != null
        && p.getStatus() != null
        && candidate.equals(p.getStatus().candidateRevision)
        && Integer.valueOf(percent).equals(p.getStatus().candidatePercent);
  }

  private static double millis(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e6;
  }

  private static void await(Callable<Boolean> condition) throws Exception {
    Instant deadline = Instant.now().plusSeconds(120);
    while (!condition.call()) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("timed out");
      }
      Thread.sleep(50);
    }
  }

  /**
   * A deploy sent while the gate's rollback of the previous run still updates the service may meet
   * a newer etag.
   */
  private static void deployRetryingOnConflict(Stack s, String revision)
      throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      var result = s.deploy(revision, true);
      if (result.exitCode() == 0 || attempt == 3 || !result.stderr().contains("ABORTED")) {
        assertOk(result);
        return;
      }
      Thread.sleep(2000);
    }
  }

  private static void report(String what, List<Double> ms) {
    List<Double> sorted = new ArrayList<>(ms);
    Collections.sort(sorted);
    System.out.printf(
        "%s over %d runs: p50 %.0f ms, p95 %.0f ms, max %.0f ms%n",
        what, sorted.size(), pct(sorted, 50), pct(sorted, 95), sorted.get(sorted.size() - 1));
  }

  private static double pct(List<Double> sorted, int p) {
    int idx = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, idx));
  }
}
