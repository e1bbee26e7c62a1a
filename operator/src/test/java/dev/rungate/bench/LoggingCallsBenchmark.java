package dev.rungate.bench;

import com.google.logging.type.LogSeverity;
import dev.rungate.api.spec.ServiceRef;
import dev.rungate.cloudrun.GoogleClients;
import dev.rungate.domain.ContainerExit;
import dev.rungate.emulator.CallStats;
import dev.rungate.emulator.EmulatorConfig;
import dev.rungate.emulator.EmulatorServer;
import dev.rungate.emulator.logging.LogStore;
import dev.rungate.emulator.logging.LoggingConfig;
import dev.rungate.signals.LoggingExitSignals;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Not a test (surefire does not run it): run with scripts/bench-logging [seconds]. Cloud Logging
 * calls per minute per project with 1, 10 and 50 rollouts in flight at once (one project each), on
 * the emulator with Cloud Logging's real defaults (60 ListLogEntries/min/project, 10 tail sessions,
 * 1-5 s ingestion delay). Every candidate is asked for its exits every second, as the reconciler
 * does; each logs a line every 5 s and, every 5 s, one candidate per project exits: the table also
 * gives the time from the exit being written to LoggingExitSignals returning it.
 */
public final class LoggingCallsBenchmark {
  private static final int[] ROLLOUTS = {1, 10, 50};
  private static final String LIST = "google.logging.v2.LoggingServiceV2/ListLogEntries";
  private static final String TAIL = "google.logging.v2.LoggingServiceV2/TailLogEntries";

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 120;
    try (EmulatorServer emulator =
            EmulatorServer.start(0, EmulatorConfig.defaults(), LoggingConfig.defaults());
        GoogleClients clients = GoogleClients.plaintext(emulator.endpoint());
        LoggingExitSignals signals = new LoggingExitSignals(clients.logging())) {
      System.out.printf(
          "rungate Logging calls benchmark: %d s, emulator Logging defaults (quota 60/min/project, "
              + "10 tail sessions, ingestion delay 1-5 s), exits asked every 1 s per rollout%n",
          seconds);
      Instant since = Instant.now();
      Map<String, List<Long>> latencies = new HashMap<>();
      Map<String, Map<String, Long>> pending =
          new HashMap<>(); // project -> revision -> exit written (ms)
      Map<String, Map<String, Integer>> seen = new HashMap<>();
      long start = System.currentTimeMillis();
      for (int round = 0; System.currentTimeMillis() - start < seconds * 1000L; round++) {
        for (int n : ROLLOUTS) {
          String project = project(n);
          pending.computeIfAbsent(project, p -> new HashMap<>());
          latencies.computeIfAbsent(project, p -> new ArrayList<>());
          if (round % 5 == 0) {
            String revision = revision(ThreadLocalRandom.current().nextInt(n));
            if (!pending.get(project).containsKey(revision)) {
              emulator.logs().stdout(source(project, revision), "Worker failed to boot.");
              emulator
                  .logs()
                  .system(
                      source(project, revision), LogSeverity.WARNING, "Container called exit(3).");
              pending.get(project).put(revision, System.currentTimeMillis());
            }
          }
          for (int r = 0; r < n; r++) {
            String revision = revision(r);
            if (round % 5 == 1) {
              emulator.logs().stdout(source(project, revision), "GET /healthz 200");
            }
            List<ContainerExit> exits;
            try {
              exits =
                  signals.exitsOf(new ServiceRef(project, "europe-west1", "svc"), revision, since);
            } catch (RuntimeException unavailable) {
              continue;
            }
            int before =
                seen.computeIfAbsent(project, p -> new HashMap<>()).getOrDefault(revision, 0);
            Long written = pending.get(project).get(revision);
            if (exits.size() > before && written != null) {
              latencies.get(project).add(System.currentTimeMillis() - written);
              pending.get(project).remove(revision);
            }
            seen.get(project).put(revision, exits.size());
          }
        }
        Thread.sleep(Math.max(0, start + (round + 1) * 1000L - System.currentTimeMillis()));
      }
      double minutes = (System.currentTimeMillis() - start) / 60_000.0;
      System.out.println();
      System.out.println(
          "| rollouts in flight | ListLogEntries /min | TailLogEntries /min | Logging calls /min | "
              + "rejected | exits seen | exit -> seen p50 / p95 / max |");
      System.out.println("|---|---|---|---|---|---|---|");
      for (int n : ROLLOUTS) {
        String project = project(n);
        CallStats.Counts list = emulator.stats().of(project, LIST);
        CallStats.Counts tail = emulator.stats().of(project, TAIL);
        List<Long> l = latencies.get(project);
        Collections.sort(l);
        System.out.printf(
            "| %d | %.1f | %.1f | %.1f | %d | %d | %s |%n",
            n,
            list.calls() / minutes,
            tail.calls() / minutes,
            (list.calls() + tail.calls()) / minutes,
            list.rejected() + tail.rejected(),
            l.size(),
            l.isEmpty()
                ? "-"
                : String.format(
                    "%.1f s / %.1f s / %.1f s",
                    pct(l, 50), pct(l, 95), l.get(l.size() - 1) / 1000.0));
      }
      System.out.printf(
          "%nBefore (one ListLogEntries per rollout per poll, plus evidence reads): at least 60 x N "
              + "calls/min, i.e. over the 60/min quota from the second rollout on.%n");
    }
  }

  private static double pct(List<Long> sorted, int p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1))
        / 1000.0;
  }

  private static String project(int n) {
    return "bench-" + n + "-rollouts";
  }

  private static String revision(int r) {
    return "svc-" + String.format("%05d", r + 1) + "-cand";
  }

  private static LogStore.Source source(String project, String revision) {
    return new LogStore.Source(project, "europe-west1", "svc", revision);
  }
}
