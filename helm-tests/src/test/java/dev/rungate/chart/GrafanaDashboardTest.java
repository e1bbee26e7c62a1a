package dev.rungate.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/dashboards/grafana-rungate.json queries only the metrics (and labels) the operator
 * exports.
 */
@Tag("real")
class GrafanaDashboardTest {
  /**
   * Metric name as Prometheus shows it -> its labels (besides job/instance, added by the scrape).
   */
  static final Map<String, Set<String>> METRICS =
      Map.ofEntries(
          Map.entry("rungate_promotions_total", Set.of("namespace", "policy")),
          Map.entry("rungate_rollbacks_total", Set.of("namespace", "policy", "reason")),
          Map.entry("rungate_probe_latency_seconds_bucket", Set.of("kind", "passed", "le")),
          Map.entry("rungate_probe_latency_seconds_count", Set.of("kind", "passed")),
          Map.entry("rungate_probe_latency_seconds_sum", Set.of("kind", "passed")),
          Map.entry("rungate_detection_to_rollback_seconds_bucket", Set.of("le")),
          Map.entry("rungate_detection_to_rollback_seconds_count", Set.of()),
          Map.entry("rungate_detection_to_rollback_seconds_sum", Set.of()),
          Map.entry("rungate_traffic_moves_total", Set.of("namespace", "policy")),
          Map.entry("rungate_cloudrun_api_errors_total", Set.of("code")),
          Map.entry("rungate_policy_phase", Set.of("namespace", "policy", "phase")),
          // Java Operator SDK's Micrometer metrics, per controller (not per resource): group,
          // version, kind, scope
          Map.entry(
              "operator_sdk_reconciliations_started_total",
              Set.of("group", "version", "kind", "scope")),
          Map.entry(
              "operator_sdk_reconciliations_success_total",
              Set.of("group", "version", "kind", "scope")),
          Map.entry(
              "operator_sdk_reconciliations_failed_total",
              Set.of("group", "version", "kind", "scope", "exception")));

  private static final Set<String> PROMQL_WORDS =
      Set.of(
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "offset",
          "bool",
          "and",
          "or",
          "unless",
          "inf",
          "nan");
  private static final Pattern SELECTOR =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)}");
  private static final Pattern MATCHER_LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)");

  private static JsonNode dashboard;
  private static List<String> exprs;

  @BeforeAll
  static void parse() throws IOException {
    dashboard =
        new ObjectMapper().readTree(Repo.path("examples/dashboards/grafana-rungate.json").toFile());
    exprs = new ArrayList<>();
    for (JsonNode panel : panels()) {
      panel.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
    }
    dashboard
        .path("templating")
        .path("list")
        .forEach(
            v -> {
              if ("query".equals(v.path("type").asText())) {
                exprs.add(
                    v.path("query")
                        .path("query")
                        .asText()
                        .replaceAll("^label_values\\((.*), *\\w+\\)$", "$1"));
              }
            });
  }

  @Test
  void isAGrafanaDashboardOnAPrometheusDataSourceVariable() {
    assertThat(dashboard.path("schemaVersion").asInt()).isBetween(36, 39);
    assertThat(dashboard.path("uid").asText()).isNotBlank();
    JsonNode datasource = dashboard.path("templating").path("list").get(0);
    assertThat(datasource.path("type").asText()).isEqualTo("datasource");
    assertThat(datasource.path("query").asText()).isEqualTo("prometheus");
    for (JsonNode panel : panels()) {
      assertThat(panel.path("title").asText()).isNotBlank();
      assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
      assertThat(panel.path("datasource").path("uid").asText())
          .isEqualTo("${" + datasource.path("name").asText() + "}");
    }
  }

  @Test
  void queriesUseOnlyTheExportedMetricsAndTheirLabels() {
    for (String expr : exprs) {
      assertThat(metricNames(expr)).as(expr).isNotEmpty().isSubsetOf(METRICS.keySet());
      Matcher m = SELECTOR.matcher(expr);
      while (m.find()) {
        Set<String> labels = new LinkedHashSet<>();
        Matcher l = MATCHER_LABEL.matcher(m.group(2).replaceAll("\"[^\"]*\"", "\"\""));
        while (l.find()) {
          labels.add(l.group(1));
        }
        assertThat(labels)
            .as("labels filtered on in " + expr)
            .isSubsetOf(union(METRICS.get(m.group(1)), "job", "instance"));
      }
    }
  }

  @Test
  void everyRungateMetricIsOnTheDashboard() {
    Set<String> used = new LinkedHashSet<>();
    exprs.forEach(e -> used.addAll(metricNames(e)));
    assertThat(used)
        .contains(
            "rungate_promotions_total",
            "rungate_rollbacks_total",
            "rungate_probe_latency_seconds_bucket",
            "rungate_detection_to_rollback_seconds_bucket",
            "rungate_traffic_moves_total",
            "rungate_cloudrun_api_errors_total",
            "rungate_policy_phase",
            "operator_sdk_reconciliations_started_total");
  }

  /**
   * Every query is valid PromQL: promtool (Debian's prometheus package) checks them as recording
   * rules.
   */
  @Test
  void queriesParseAsPromQl(@TempDir Path tmp) throws IOException, InterruptedException {
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    for (int i = 0; i < exprs.size(); i++) {
      String expr =
          exprs
              .get(i)
              .replace("$__rate_interval", "5m")
              .replace("$__range", "1d")
              .replaceAll("\\$\\w+", ".*");
      rules
          .append("      - record: dashboard:query")
          .append(i)
          .append("\n        expr: '")
          .append(expr.replace("'", "''"))
          .append("'\n");
    }
    Path file = tmp.resolve("rules.yml");
    Files.writeString(file, rules);
    Process promtool;
    try {
      promtool =
          new ProcessBuilder("promtool", "check", "rules", file.toString())
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      throw new AssertionError("promtool is not installed; run scripts/install-deps", e);
    }
    assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(promtool.exitValue()).as(out + "\n" + rules).isZero();
    assertThat(out).contains("SUCCESS: " + exprs.size() + " rules found");
  }

  /**
   * Identifiers left once strings, label matchers, ranges, by/without lists and function calls are
   * removed.
   */
  static Set<String> metricNames(String expr) {
    String bare =
        expr.replaceAll("\"[^\"]*\"", "\"\"")
            .replaceAll("\\{[^}]*}", " ")
            .replaceAll("\\[[^]]*]", " ")
            .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    Set<String> names = new LinkedHashSet<>();
    Matcher m = Pattern.compile("(?<![\\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?").matcher(bare);
    while (m.find()) {
      if (m.group(2) == null && !PROMQL_WORDS.contains(m.group(1).toLowerCase())) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  private static Set<String> union(Set<String> a, String... more) {
    Set<String> out = new LinkedHashSet<>(a);
    out.addAll(List.of(more));
    return out;
  }

  private static List<JsonNode> panels() {
    List<JsonNode> out = new ArrayList<>();
    dashboard
        .path("panels")
        .forEach(
            p -> {
              out.add(p);
              p.path("panels").forEach(out::add); // panels inside collapsed rows
            });
    out.removeIf(p -> "row".equals(p.path("type").asText()));
    return out;
  }
}
