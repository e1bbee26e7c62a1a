package dev.rungate.e2e;

import com.google.longrunning.Operation;
import dev.rungate.api.Phase;
import dev.rungate.api.ReadinessPolicy;
import dev.rungate.e2e.stack.ScaleMeasures;
import dev.rungate.e2e.stack.ScaleVerification;
import dev.rungate.e2e.stack.Stack;
import dev.rungate.emulator.BuiltinRevisions;
import dev.rungate.testing.Parallel;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;

/**
 * Issue 12's benchmark, not a test (scripts/bench-scale N [idle-seconds] [verify-cron]): N services
 * over 20 projects on one emulator (builtin revisions, no process each; faithful Admin API and
 * Logging defaults), N idle policies, one operator process with -Xmx512m. Idle phase: heap after a
 * full GC, RSS, threads, reconcile latency, Google API calls per minute per project, status writes
 * per minute. Burst phase: N/10 rollouts at once (half good candidates, half exiting 3 on startup),
 * each observed 2 s at 0%, then 10% for 5 s, then 100%. With a 3rd argument (a Quartz cron), the
 * re-verification phase of {@link ScaleVerification}.
 */
public final class ScaleBenchmark {
  static final int PROJECTS = 20;

  /** observeFor 2s at 0%, then 10% for 5 s, then 100%. */
  static final Duration PLAN = Duration.ofSeconds(7);

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int idleSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 120;
    List<String> rows = new ArrayList<>();
    List<String> projects = new ArrayList<>();
    for (int p = 0; p < PROJECTS; p++) {
      projects.add(String.format("scale-p%02d", p));
    }
    try (Stack s = new Stack("scale")) {
      long t0 = System.nanoTime();
      List<Operation> ops = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ops.add(
            s.emulator.deploy(
                serviceName(projects, i),
                BuiltinRevisions.template(svc(i) + "-00001-stable", BuiltinRevisions.ok()),
                null));
      }
      for (Operation op : ops) {
        Operation done = s.emulator.await(op, Duration.ofMinutes(5));
        if (!done.getDone() || done.hasError()) {
          throw new IllegalStateException("deploy did not succeed: " + done);
        }
      }
      System.out.printf("%d services deployed in %d ms%n", n, (System.nanoTime() - t0) / 1_000_000);
      s.operatorEnv.put(
          "JAVA_TOOL_OPTIONS", ("-Xmx512m " + System.getProperty("operator.jvm", "")).trim());
      s.startOperator();
      Parallel.each(
          8, IntStream.range(0, n).boxed().toList(), i -> s.apply(policy(s, projects, i, null)));
      t0 = System.nanoTime();
      Awaitility.await()
          .atMost(Duration.ofMinutes(15))
          .pollInterval(Duration.ofSeconds(2))
          .until(() -> withStatus(s) >= n);
      System.out.printf(
          "all %d policies have a status after %d ms%n", n, (System.nanoTime() - t0) / 1_000_000);
      ScaleMeasures m = new ScaleMeasures(s.operator.pid(), s.operator.metricsPort().orElseThrow());
      Thread.sleep(10_000); // first rounds settle
      Map<String, Long> modified = new ConcurrentHashMap<>();
      AtomicLong writes = new AtomicLong();
      try (Watch w =
          s.client
              .resources(ReadinessPolicy.class)
              .inNamespace(s.namespace)
              .watch(counting(writes))) {
        var calls = ScaleMeasures.snapshot(s.emulator, projects);
        var hist = ScaleMeasures.reconcileBuckets(m.metrics());
        long cpu0 = ScaleMeasures.cpuMillis(s.operator.pid());
        long start = System.nanoTime();
        Thread.sleep(idleSeconds * 1000L);
        double secs = (System.nanoTime() - start) / 1e9;
        double cpuIdle = (ScaleMeasures.cpuMillis(s.operator.pid()) - cpu0) / 10.0 / secs;
        String latency = ScaleMeasures.latency(hist, ScaleMeasures.reconcileBuckets(m.metrics()));
        String perMinute = ScaleMeasures.callsPerMinute(s.emulator, projects, calls, secs);
        long w1 = writes.get();
        rows.add(row("idle " + n + " policies, " + idleSeconds + " s: reconcile latency", latency));
        rows.add(row("idle: calls per minute per project (min-max over 20 projects)", perMinute));
        rows.add(
            row(
                "idle: policy writes (watch MODIFIED) per minute",
                String.format("%.1f", w1 * 60 / secs)));
        rows.add(row("idle: operator CPU (100% = one core)", String.format("%.1f%%", cpuIdle)));
        rows.add(
            row(
                "idle: threads / RSS",
                m.procStatus("Threads") + " / " + (m.procStatus("VmRSS") >> 10) + " MiB"));
        rows.add(row("idle: heap after full GC (-Xmx512m)", m.heapAfterFullGcMiB() + " MiB"));
        rows.add(row("idle: largest thread groups", m.threadGroups(8)));
        rows.add(row("idle: /metrics size", String.format("%.1f MB", m.metrics().length() / 1e6)));
        rows.forEach(System.out::println);
        burst(s, m, projects, n, rows);
        if (args.length > 2) {
          ScaleVerification.run(s, m, n, args[2], rows);
        }
      }
      System.out.println(
          s.operator.log().contains("OutOfMemoryError")
              ? "OutOfMemoryError in the operator log"
              : "no OutOfMemoryError in the operator log");
    }
    System.out.printf(
        "%nbench-scale N=%d, load average %s%n| what | figure |%n|---|---|%n",
        n, Files.readString(Path.of("/proc/loadavg")).trim());
    rows.forEach(System.out::println);
    System.exit(0);
  }

  private static void burst(
      Stack s, ScaleMeasures m, List<String> projects, int n, List<String> rows) throws Exception {
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

  private static String row(String what, String figure) {
    return "| " + what + " | " + figure + " |";
  }

  private static String svc(int i) {
    return String.format("s%04d", i);
  }

  private static String candidate(int i) {
    return svc(i) + (i % 2 == 0 ? "-00002-good" : "-00002-exits");
  }

  private static String serviceName(List<String> projects, int i) {
    return "projects/"
        + projects.get(i % PROJECTS)
        + "/locations/"
        + Stack.REGION
        + "/services/"
        + svc(i);
  }

  private static ReadinessPolicy policy(Stack s, List<String> projects, int i, String candidate) {
    String yaml =
        """
        apiVersion: rungate.dev/v1alpha1
        kind: ReadinessPolicy
        metadata: {name: %s}
        spec:
          service: {project: %s, region: %s, name: %s}
          candidate: {%stag: candidate}
          revision: {failOnExitCodes: [3], observeFor: 2s}
          rollout:
            steps: [{percent: 10, pause: 5s}, {percent: 100}]
            progressDeadline: 2m
        """
            .formatted(
                svc(i),
                projects.get(i % PROJECTS),
                Stack.REGION,
                svc(i),
                candidate == null ? "" : "revision: " + candidate + ", ");
    return s.client.getKubernetesSerialization().unmarshal(yaml, ReadinessPolicy.class);
  }

  private static long withStatus(Stack s) {
    return s
        .client
        .resources(ReadinessPolicy.class)
        .inNamespace(s.namespace)
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getStatus() != null && p.getStatus().phase != null)
        .count();
  }

  private static Watcher<ReadinessPolicy> counting(AtomicLong writes) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, ReadinessPolicy resource) {
        if (action == Action.MODIFIED) {
          writes.incrementAndGet();
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }
}
