package dev.rungate.e2e;

import com.google.longrunning.Operation;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;

/**
 * Issue 12's benchmark, not a test (scripts/bench-scale N [idle-seconds] [verify-cron]): N services
 * over 20 projects on one emulator (builtin revisions, no process each; faithful Admin API and
 * Logging defaults), N idle policies, one operator process with -Xmx512m. Idle phase: heap after a
 * full GC, RSS, threads, reconcile latency, Google API calls per minute per project, status writes
 * per minute. Burst phase ({@link ScaleBurst}): N/10 rollouts at once (half good candidates, half
 * exiting 3 on startup), each observed 2 s at 0%, then 10% for 5 s, then 100%. With a 3rd argument
 * (a Quartz cron), the re-verification phase of {@link ScaleVerification}.
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
        ScaleBurst.run(s, m, projects, n, rows);
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

  static String row(String what, String figure) {
    return "| " + what + " | " + figure + " |";
  }

  private static String svc(int i) {
    return String.format("s%04d", i);
  }

  static String candidate(int i) {
    return svc(i) + (i % 2 == 0 ? "-00002-good" : "-00002-exits");
  }

  static String serviceName(List<String> projects, int i) {
    return "projects/"
        + projects.get(i % PROJECTS)
        + "/locations/"
        + Stack.REGION
        + "/services/"
        + svc(i);
  }

  static ReadinessPolicy policy(Stack s, List<String> projects, int i, String candidate) {
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
