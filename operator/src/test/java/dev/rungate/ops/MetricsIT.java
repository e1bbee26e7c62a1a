package dev.rungate.ops;

import static dev.rungate.testing.Processes.assertOk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rungate.e2e.Stack;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The operator process's /metrics after a promotion and an exit-3 rollback: rungate's and JOSDK's
 * series are there with the values the rollouts imply, and Prometheus's own promtool accepts the
 * exposition (parse and lint). /healthz and /readyz answer 200.
 */
@Tag("real")
class MetricsIT {
  static final String PROMTOOL = "/usr/bin/promtool";
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void metricsAfterAPromotionAndARollbackAreThereAndPassPromtool() throws Exception {
    assertThat(Path.of(PROMTOOL)).as("promtool (Debian prometheus, scripts/install-deps)").isExecutable();
    try (Stack s = new Stack("metrics")) {
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

      s.apply(s.policy(good, "1s"));
      Processes.Result promoted = s.kubectl("wait", "-n", s.namespace, "--for=condition=Promoted", "--timeout=120s", "rpol/gate");
      assertThat(promoted.exitCode()).as(promoted.stderr() + s.operator.log()).isZero();
      assertOk(s.deploy(bad, true, "REDIS_PORT=" + RedisServer.freePort())); // the incident: exits 3 on startup
      assertOk(s.kubectl("patch", "-n", s.namespace, "rpol/gate", "--type=merge", "-p",
          "{\"spec\":{\"candidate\":{\"revision\":\"" + bad + "\"}}}")); // the pipeline's next candidate
      await().atMost(Duration.ofSeconds(120)).until(() -> s.is("RolledBack", "True"));
      assertThat(s.condition("RolledBack").orElseThrow().getReason()).isEqualTo("WorkerBootError");

      String scrape = get(port, "/metrics").body();
      String policy = "namespace=\"" + s.namespace + "\",policy=\"gate\"";
      assertThat(value(scrape, "rungate_promotions_total\\{" + policy + "}")).isEqualTo(1.0);
      assertThat(value(scrape, "rungate_rollbacks_total\\{" + policy + ",reason=\"WorkerBootError\"}")).isEqualTo(1.0);
      int gateMoves = s.trafficHistory().size() - 3; // the emulator's accepted updates, less the three deploys
      assertThat(gateMoves).as("10, 50, 100 (the exit-3 candidate never got traffic)").isEqualTo(3);
      assertThat(value(scrape, "rungate_traffic_moves_total\\{" + policy + "}")).isEqualTo(gateMoves);
      String ns = "namespace=\"" + s.namespace + "\"";
      assertThat(value(scrape, "rungate_policy_phase\\{" + ns + ",phase=\"RolledBack\",policy=\"gate\"}")).isEqualTo(1.0);
      assertThat(value(scrape, "rungate_policy_phase\\{" + ns + ",phase=\"Promoted\",policy=\"gate\"}")).isEqualTo(0.0);
      assertThat(value(scrape, "rungate_detection_to_rollback_seconds_count")).isEqualTo(1.0);
      assertThat(scrape).contains("rungate_detection_to_rollback_seconds_bucket{le=", "rungate_probe_latency_seconds_bucket{",
          "kind=\"websocket\"", "kind=\"memorystore\"", "operator_sdk_");
      assertThat(value(scrape, "rungate_checks_running\\{kind=\"rollout\"}")).isBetween(0.0, 16.0);
      assertThat(value(scrape, "rungate_checks_running\\{kind=\"verification\"}")).isBetween(0.0, 4.0);
      assertThat(value(scrape, "rungate_checks_queued\\{kind=\"rollout\"}")).isZero();
      assertThat(scrape).contains("# HELP rungate_checks_queued ");
      assertThat(scrape).doesNotContain(Stack.REDIS_PASSWORD);
      assertThat(value(scrape, "rungate_round_stage_seconds_count\\{stage=\"observe\"}")).isPositive();
      assertThat(value(scrape, "rungate_round_stage_seconds_count\\{stage=\"write\"}")).isPositive();
      assertThat(scrape.lines().filter(l -> l.startsWith("operator_sdk_") && l.contains("name=\"gate\"")))
          .as("JOSDK's series are per controller, not per policy").isEmpty();

      Path file = Files.writeString(s.dir.resolve("scrape.txt"), scrape);
      Processes.Result lint = Processes.exec("/bin/sh", "-c", PROMTOOL + " check metrics < " + file);
      System.out.println("promtool check metrics: exit " + lint.exitCode() + "\n" + lint.stdout() + lint.stderr());
      assertThat(lint.exitCode()).as("promtool check metrics:\n" + lint.stdout() + lint.stderr()).isZero();
    }
  }

  private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The sample value of the first series matching {@code series} (a regex of name and labels, sorted as exposed). */
  static double value(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.eE+-]+|NaN)$").matcher(scrape);
    assertThat(m.find()).as("series " + series + " in:\n" + scrape.lines().filter(l -> l.startsWith("rungate_"))
        .reduce("", (a, b) -> a + b + "\n")).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
