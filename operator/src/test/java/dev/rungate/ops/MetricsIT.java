package dev.rungate.ops;

import static dev.rungate.testing.Processes.assertOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rungate.api.ReadinessPolicy;
import dev.rungate.api.checks.HttpCheck;
import dev.rungate.api.checks.NetworkCheck;
import dev.rungate.e2e.stack.Stack;
import dev.rungate.probe.TestHttpServer;
import dev.rungate.testing.Processes;
import dev.rungate.testing.RedisServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The operator process's /metrics after a promotion and an exit-3 rollback: rungate's and JOSDK's
 * series are there with the values the rollouts imply, and Prometheus's own promtool accepts the
 * exposition (parse and lint). /healthz and /readyz answer 200. The check pools' gauges are sampled
 * while the rollouts run: a dependency that answers after 1.5 s holds a rollout-pool thread, so
 * {@code rungate_checks_running{kind="rollout"}} must rise above 0 (and stay within the pool's 16)
 * and fall back to 0 once nothing is in flight; with one policy and no verification schedule
 * nothing ever queues and the verification pool never runs.
 */
@Tag("real")
@Order(3) // the longest classes start first (scripts/test runs several at once)
class MetricsIT {
  static final String PROMTOOL = "/usr/bin/promtool";
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void metricsAfterAPromotionAndARollbackAreThereAndPassPromtool() throws Exception {
    assertThat(Path.of(PROMTOOL))
        .as("promtool (Debian prometheus, scripts/install-deps)")
        .isExecutable();
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    try (Stack s = new Stack("metrics");
        TestHttpServer slow = TestHttpServer.http()) {
      String stable = s.revision(1, "stable");
      String good = s.revision(2, "good");
      String bad = s.revision(3, "stale-host");
      assertOk(s.deploy(stable, false));
      assertOk(s.deploy(good, true));
      s.startOperator();
      await().atMost(Duration.ofSeconds(30)).until(() -> s.operator.metricsPort().isPresent());
      int port = s.operator.metricsPort().getAsInt();
      assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(30)).until(() -> get(port, "/readyz").statusCode() == 200);

      ConcurrentLinkedQueue<double[]> samples =
          new ConcurrentLinkedQueue<>(); // running and queued, rollout then verification
      sampler.scheduleWithFixedDelay(() -> sample(port, samples), 0, 100, TimeUnit.MILLISECONDS);
      s.apply(withSlowDependency(s.policy(good, "1s"), slow.url("/sleep?ms=1500")));
      Processes.Result promoted =
          s.kubectl(
              "wait", "-n", s.namespace, "--for=condition=Promoted", "--timeout=120s", "rpol/gate");
      assertThat(promoted.exitCode()).as(promoted.stderr() + s.operator.log()).isZero();
      assertOk(
          s.deploy(
              bad,
              true,
              "REDIS_PORT=" + RedisServer.freePort())); // the incident: exits 3 on startup
      assertOk(
          s.kubectl(
              "patch",
              "-n",
              s.namespace,
              "rpol/gate",
              "--type=merge",
              "-p",
              "{\"spec\":{\"candidate\":{\"revision\":\""
                  + bad
                  + "\"}}}")); // the pipeline's next candidate
      await().atMost(Duration.ofSeconds(120)).until(() -> s.is("RolledBack", "True"));
      assertThat(s.condition("RolledBack").orElseThrow().getReason()).isEqualTo("WorkerBootError");

      await("the rollout pool idle again once nothing is in flight")
          .atMost(Duration.ofSeconds(30))
          .until(() -> value(get(port, "/metrics").body(), ROLLOUT_RUNNING) == 0.0);
      sampler.shutdownNow();
      List<double[]> seen = List.copyOf(samples);
      assertThat(seen).as("pool samples taken during the rollouts").hasSizeGreaterThan(20);
      assertThat(seen.stream().mapToDouble(v -> v[0]).max().orElseThrow())
          .as("rollout checks running at the busiest sample: the slow dependency held a thread")
          .isBetween(1.0, 16.0);
      assertThat(seen)
          .as(
              "one policy runs one check at a time: nothing queues; no schedule: no verification run")
          .allSatisfy(v -> assertThat(new double[] {v[1], v[2], v[3]}).containsOnly(0.0));

      String scrape = get(port, "/metrics").body();
      String policy = "namespace=\"" + s.namespace + "\",policy=\"gate\"";
      assertThat(value(scrape, "rungate_promotions_total\\{" + policy + "}")).isEqualTo(1.0);
      assertThat(
              value(scrape, "rungate_rollbacks_total\\{" + policy + ",reason=\"WorkerBootError\"}"))
          .isEqualTo(1.0);
      int gateMoves =
          s.trafficHistory().size() - 3; // the emulator's accepted updates, less the three deploys
      assertThat(gateMoves).as("10, 50, 100 (the exit-3 candidate never got traffic)").isEqualTo(3);
      assertThat(value(scrape, "rungate_traffic_moves_total\\{" + policy + "}"))
          .isEqualTo(gateMoves);
      String ns = "namespace=\"" + s.namespace + "\"";
      assertThat(
              value(
                  scrape,
                  "rungate_policy_phase\\{" + ns + ",phase=\"RolledBack\",policy=\"gate\"}"))
          .isEqualTo(1.0);
      assertThat(
              value(
                  scrape, "rungate_policy_phase\\{" + ns + ",phase=\"Promoted\",policy=\"gate\"}"))
          .isEqualTo(0.0);
      assertThat(value(scrape, "rungate_detection_to_rollback_seconds_count")).isEqualTo(1.0);
      assertThat(scrape)
          .contains(
              "rungate_detection_to_rollback_seconds_bucket{le=",
              "rungate_probe_latency_seconds_bucket{",
              "kind=\"websocket\"",
              "kind=\"memorystore\"",
              "operator_sdk_");
      assertThat(value(scrape, ROLLOUT_RUNNING)).isZero();
      assertThat(value(scrape, VERIFICATION_RUNNING)).isZero();
      assertThat(value(scrape, ROLLOUT_QUEUED)).isZero();
      assertThat(value(scrape, VERIFICATION_QUEUED)).isZero();
      assertThat(scrape).contains("# HELP rungate_checks_queued ");
      assertThat(scrape).doesNotContain(Stack.REDIS_PASSWORD);
      assertThat(value(scrape, "rungate_round_stage_seconds_count\\{stage=\"observe\"}"))
          .isPositive();
      assertThat(value(scrape, "rungate_round_stage_seconds_count\\{stage=\"write\"}"))
          .isPositive();
      assertThat(
              scrape
                  .lines()
                  .filter(l -> l.startsWith("operator_sdk_") && l.contains("name=\"gate\"")))
          .as("JOSDK's series are per controller, not per policy")
          .isEmpty();

      Path file = Files.writeString(s.dir.resolve("scrape.txt"), scrape);
      Processes.Result lint =
          Processes.exec("/bin/sh", "-c", PROMTOOL + " check metrics < " + file);
      System.out.println(
          "promtool check metrics: exit " + lint.exitCode() + "\n" + lint.stdout() + lint.stderr());
      assertThat(lint.exitCode())
          .as("promtool check metrics:\n" + lint.stdout() + lint.stderr())
          .isZero();
    } finally {
      sampler.shutdownNow();
    }
  }

  static final String ROLLOUT_RUNNING = "rungate_checks_running\\{kind=\"rollout\"}";
  static final String ROLLOUT_QUEUED = "rungate_checks_queued\\{kind=\"rollout\"}";
  static final String VERIFICATION_RUNNING = "rungate_checks_running\\{kind=\"verification\"}";
  static final String VERIFICATION_QUEUED = "rungate_checks_queued\\{kind=\"verification\"}";

  /**
   * The e2e policy plus an HTTP dependency that answers 200 after 1.5 s: each check run holds a
   * thread that long.
   */
  private static ReadinessPolicy withSlowDependency(ReadinessPolicy policy, String url) {
    NetworkCheck check = new NetworkCheck();
    check.name = "slow-dependency";
    check.http = new HttpCheck();
    check.http.url = url;
    check.http.expectStatus = List.of(200);
    check.timeout = "5s";
    policy.getSpec().dependencies.network = List.of(check);
    return policy;
  }

  /** One scrape's pool gauges (a failed scrape is skipped: the assertions count the samples). */
  private void sample(int port, ConcurrentLinkedQueue<double[]> samples) {
    try {
      String scrape = get(port, "/metrics").body();
      double[] v = {
        find(scrape, ROLLOUT_RUNNING),
        find(scrape, ROLLOUT_QUEUED),
        find(scrape, VERIFICATION_RUNNING),
        find(scrape, VERIFICATION_QUEUED)
      };
      samples.add(v);
    } catch (IOException | InterruptedException | RuntimeException e) {
      // not a sample
    }
  }

  private static double find(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.eE+-]+|NaN)$").matcher(scrape);
    if (!m.find()) {
      throw new IllegalStateException("no " + series);
    }
    return Double.parseDouble(m.group(1));
  }

  private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The sample value of the first series matching {@code series} (a regex of name and labels,
   * sorted as exposed).
   */
  static double value(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.eE+-]+|NaN)$").matcher(scrape);
    assertThat(m.find())
        .as(
            "series "
                + series
                + " in:\n"
                + scrape
                    .lines()
                    .filter(l -> l.startsWith("rungate_"))
                    .reduce("", (a, b) -> a + b + "\n"))
        .isTrue();
    return Double.parseDouble(m.group(1));
  }
}
