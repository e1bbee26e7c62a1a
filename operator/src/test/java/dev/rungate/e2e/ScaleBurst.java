package dev.rungate.e2e;

import static dev.rungate.e2e.ScaleBenchmark.PLAN;
import static dev.rungate.e2e.ScaleBenchmark.candidate;
import static dev.rungate.e2e.ScaleBenchmark.policy;
import static dev.rungate.e2e.ScaleBenchmark.row;
import static dev.rungate.e2e.ScaleBenchmark.serviceName;

import dev.rungate.api.Phase;
import dev.rungate.api.ReadinessPolicy;
import dev.rungate.e2e.stack.ScaleMeasures;
import dev.rungate.e2e.stack.Stack;
import dev.rungate.emulator.BuiltinRevisions;
import dev.rungate.testing.Parallel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * ScaleBenchmark's burst phase: N/10 rollouts at once (half good candidates, half exiting 3 on
 * startup), timed from apply to Promoted or RolledBack, with the CPU, threads and calls they cost.
 */
final class ScaleBurst {
  private ScaleBurst() {}

  static void run(Stack s, ScaleMeasures m, List<String> projects, int n, List<String> rows)
      throws Exception {
    int b = Math.max(2, n / 10);
    for (int i = 0; i < b; i++) {
      boolean good = i % 2 == 0;
      s.emulator.deploy(
          serviceName(projects, i),
          BuiltinRevisions.template(
              candidate(i), good ? BuiltinRevisions.ok() : BuiltinRevisions.exitingOnStartup(3)),
          "candidate");
    }
    var calls = ScaleMeasures.snapshot(s.emulator, projects);
    String before = m.metrics();
    var hist = ScaleMeasures.reconcileBuckets(before);
    var policies =
        s.client
            .resources(ReadinessPolicy.class)
            .inNamespace(s.namespace)
            .inform(); // one watch, no lists
    long[] pids = {
      s.operator.pid(),
      ProcessHandle.current().pid(),
      s.cluster.pid("kube-apiserver"),
      s.cluster.pid("etcd")
    };
    long[] cpu = Arrays.stream(pids).map(ScaleMeasures::cpuMillis).toArray();
    long start = System.nanoTime();
    Map<Integer, Long> finishedAt = new ConcurrentHashMap<>();
    Parallel.each(
        8,
        IntStream.range(0, b).boxed().toList(),
        i -> s.apply(policy(s, projects, i, candidate(i))));
    long peakThreads = 0;
    long peakRss = 0;
    long deadline = start + Duration.ofMinutes(2).toNanos();
    while (finishedAt.size() < b && System.nanoTime() < deadline) {
      peakThreads = Math.max(peakThreads, m.procStatus("Threads"));
      peakRss = Math.max(peakRss, m.procStatus("VmRSS"));
      for (ReadinessPolicy p : policies.getStore().list()) {
        int i = Integer.parseInt(p.getMetadata().getName().substring(1));
        if (i < b
            && p.getStatus() != null
            && candidate(i).equals(p.getStatus().candidateRevision)
            && (p.getStatus().phase == Phase.Promoted || p.getStatus().phase == Phase.RolledBack)) {
          finishedAt.putIfAbsent(i, System.nanoTime());
          if ((p.getStatus().phase == Phase.Promoted) != (i % 2 == 0)) {
            finishedAt.put(i, -1L);
          }
        }
      }
      Thread.sleep(200);
    }
    policies.close();
    double secs = (System.nanoTime() - start) / 1e9;
    String[] names = {"operator", "benchmark JVM with the emulator", "kube-apiserver", "etcd"};
    StringBuilder cpuShare = new StringBuilder();
    for (int k = 0; k < pids.length; k++) {
      cpuShare.append(
          String.format(
              "%s %.0f%%; ", names[k], (ScaleMeasures.cpuMillis(pids[k]) - cpu[k]) / 10.0 / secs));
    }
    Map<String, Long> unfinished = new TreeMap<>();
    for (ReadinessPolicy p :
        s.client.resources(ReadinessPolicy.class).inNamespace(s.namespace).list().getItems()) {
      int i = Integer.parseInt(p.getMetadata().getName().substring(1));
      if (i < b && !finishedAt.containsKey(i)) {
        unfinished.merge(
            (i % 2 == 0 ? "good in " : "exit 3 in ") + p.getStatus().phase, 1L, Long::sum);
      }
    }
    List<Long> millis = new ArrayList<>();
    long wrong = 0;
    for (long at : finishedAt.values()) {
      if (at < 0) {
        wrong++;
      } else {
        millis.add((at - start) / 1_000_000);
      }
    }
    millis.sort(Long::compare);
    long late = millis.stream().filter(ms -> ms > PLAN.toMillis() + 10_000).count();
    rows.add(
        row(
            "burst "
                + b
                + " rollouts (half promoted, half exit 3 rolled back), plan observe 2s, 10% pause 5s, 100%",
            String.format(
                "%d of %d finished as designed, %d wrong outcome, %d not finished in 2 min %s; apply → "
                    + "Promoted/RolledBack p50 %s ms, max %s ms; %d later than plan + 10 s",
                millis.size(),
                b,
                wrong,
                b - finishedAt.size(),
                unfinished,
                millis.isEmpty() ? "-" : millis.get(millis.size() / 2),
                millis.isEmpty() ? "-" : millis.get(millis.size() - 1),
                late)));
    String after = m.metrics();
    rows.add(
        row(
            "burst: reconcile latency",
            ScaleMeasures.latency(hist, ScaleMeasures.reconcileBuckets(after))));
    for (String stage : List.of("observe", "decide", "write", "act")) {
      rows.add(
          row(
              "burst: round stage " + stage,
              ScaleMeasures.latency(
                  ScaleMeasures.stageBuckets(before, stage),
                  ScaleMeasures.stageBuckets(after, stage))));
    }
    rows.add(
        row(
            "burst: calls per minute per project (min-max)",
            ScaleMeasures.callsPerMinute(s.emulator, projects, calls, secs)));
    rows.add(
        row(
            "burst: CPU used (100% = one core of 2) over " + Math.round(secs) + " s",
            cpuShare.toString()));
    rows.add(row("burst: peak threads / RSS", peakThreads + " / " + (peakRss >> 10) + " MiB"));
  }
}
