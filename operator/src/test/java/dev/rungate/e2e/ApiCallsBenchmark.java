package dev.rungate.e2e;

import static dev.rungate.testing.Processes.assertOk;

import dev.rungate.api.ReadinessPolicy;
import dev.rungate.e2e.stack.Stack;
import dev.rungate.emulator.CallStats;
import dev.rungate.testing.Parallel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.awaitility.Awaitility;

/**
 * Google API calls per minute per project with 1, 10 and 50 rollouts in flight
 * (scripts/bench-api-calls [seconds]), on the emulator's faithful defaults, read from its call
 * accounting. Each phase has its own project: N services, each with a stable revision serving and a
 * candidate at 0% under its tag; N policies hold their candidates at 10% (a 10 minute pause, an
 * HTTP probe on the tag URL). The clock starts once all N report 10% and runs for the given seconds
 * (default 60). Revisions are Python's http.server, not the worker: what the gate calls does not
 * depend on what the revision serves.
 */
public final class ApiCallsBenchmark {
  private static final String HTTP_SERVER =
      "exec /usr/bin/python3 -m http.server --bind 127.0.0.1 $PORT";

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    List<String> rows = new ArrayList<>();
    try (Stack s = new Stack("apicalls")) {
      s.startOperator();
      for (int n : new int[] {1, 10, 50}) {
        String project = "bench-calls-" + n;
        List<String> services = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          services.add(String.format("c%d-%02d", n, i));
        }
        deployAll(s, project, services);
        for (String svc : services) {
          s.apply(policy(s, project, svc));
        }
        Awaitility.await()
            .atMost(Duration.ofMinutes(10))
            .pollInterval(Duration.ofSeconds(1))
            .until(() -> services.stream().allMatch(svc -> atTen(s.get(svc), svc)));
        Map<String, CallStats.Counts> before = s.emulator.stats().of(project);
        Thread.sleep(seconds * 1000L);
        Map<String, CallStats.Counts> after = s.emulator.stats().of(project);
        rows.add(row(n, before, after, seconds));
        System.out.println(rows.get(rows.size() - 1));
      }
    }
    System.out.println(
        "\ncalls per minute per project, "
            + seconds
            + " s measured with every rollout held at 10%:");
    System.out.println(
        "| rollouts in flight | Admin API reads | Admin API writes | Logging ListLogEntries | Logging TailLogEntries | rejected |");
    System.out.println("|---|---|---|---|---|---|");
    rows.forEach(System.out::println);
    System.exit(0);
  }

  private static String row(
      int n,
      Map<String, CallStats.Counts> before,
      Map<String, CallStats.Counts> after,
      int seconds) {
    Map<String, Double> perMinute = new TreeMap<>();
    long rejected = 0;
    for (var e : after.entrySet()) {
      CallStats.Counts b = before.getOrDefault(e.getKey(), new CallStats.Counts(0, 0));
      perMinute.put(e.getKey(), (e.getValue().calls() - b.calls()) * 60.0 / seconds);
      rejected += e.getValue().rejected() - b.rejected();
    }
    double reads =
        sum(
            perMinute,
            "Services/GetService",
            "Services/ListServices",
            "Revisions/GetRevision",
            "Revisions/ListRevisions",
            "Operations/GetOperation");
    double writes = sum(perMinute, "Services/UpdateService", "Services/CreateService");
    return String.format(
        "| %d | %.1f | %.1f | %.1f | %.1f | %d |   %s",
        n,
        reads,
        writes,
        sum(perMinute, "ListLogEntries"),
        sum(perMinute, "TailLogEntries"),
        rejected,
        perMinute);
  }

  private static double sum(Map<String, Double> perMinute, String... suffixes) {
    double total = 0;
    for (var e : perMinute.entrySet()) {
      for (String suffix : suffixes) {
        if (e.getKey().endsWith(suffix)) {
          total += e.getValue();
        }
      }
    }
    return total;
  }

  private static void deployAll(Stack s, String project, List<String> services) throws Exception {
    Parallel.each(
        4,
        services,
        svc -> {
          assertOk(
              s.deployCommand(project, svc, svc + "-00001-stable", false, List.of(), HTTP_SERVER));
          assertOk(
              s.deployCommand(project, svc, svc + "-00002-next", true, List.of(), HTTP_SERVER));
        });
  }

  private static ReadinessPolicy policy(Stack s, String project, String service) {
    String yaml =
        """
        apiVersion: rungate.dev/v1alpha1
        kind: ReadinessPolicy
        metadata: {name: %s}
        spec:
          service: {project: %s, region: %s, name: %s}
          candidate: {revision: %s, tag: candidate}
          revision:
            probes:
              - {name: root, http: {path: /, expectStatus: [200]}, timeout: 2s}
            observeFor: 2s
          rollout:
            steps: [{percent: 10, pause: 10m}, {percent: 100}]
            progressDeadline: 30m
        """
            .formatted(service, project, Stack.REGION, service, service + "-00002-next");
    return s.client.getKubernetesSerialization().unmarshal(yaml, ReadinessPolicy.class);
  }

  private static boolean atTen(ReadinessPolicy p, String service) {
    return p != null
        && p.getStatus() != null
        && (service + "-00002-next").equals(p.getStatus().candidateRevision)
        && Integer.valueOf(10).equals(p.getStatus().candidatePercent);
  }
}
