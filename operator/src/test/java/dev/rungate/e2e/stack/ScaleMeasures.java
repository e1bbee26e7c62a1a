package dev.rungate.e2e.stack;

import dev.rungate.emulator.CallStats;
import dev.rungate.emulator.EmulatorServer;
import dev.rungate.testing.RungateJar;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What ScaleBenchmark reads from the operator process (/proc, jcmd, /metrics) and from the
 * emulator's accounting.
 */
public final class ScaleMeasures {
  private static final Pattern BUCKET =
      Pattern.compile(
          "^operator_sdk_controllers_execution_reconcile_seconds_bucket\\{[^}]*le=\"([^\"]+)\"[^}]*} ([0-9.eE+-]+)$",
          Pattern.MULTILINE);
  private final long pid;
  private final int metricsPort;
  private final HttpClient http = HttpClient.newHttpClient();

  public ScaleMeasures(long pid, int metricsPort) {
    this.pid = pid;
    this.metricsPort = metricsPort;
  }

  /** A line of /proc/PID/status as a number (VmRSS in kB, Threads). */
  public long procStatus(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(key + ":")) {
          return Long.parseLong(line.substring(key.length() + 1).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  /** CPU time (user + system) a process has used so far, in ms; -1 when it cannot be read. */
  public static long cpuMillis(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12]))
          * 10; // utime, stime in clock ticks of 10 ms
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Heap used after a full GC (jcmd GC.run then GC.heap_info), in MiB. */
  public long heapAfterFullGcMiB() throws Exception {
    jcmd("GC.run");
    String info = jcmd("GC.heap_info");
    Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
    return m.find() ? Long.parseLong(m.group(1)) / 1024 : -1;
  }

  /**
   * The operator's live threads by name with trailing numbers dropped, largest groups first (jcmd
   * Thread.print).
   */
  public String threadGroups(int top) throws Exception {
    Map<String, Long> groups = new TreeMap<>();
    Matcher m = Pattern.compile("(?m)^\"([^\"]*)\"").matcher(jcmd("Thread.print"));
    while (m.find()) {
      groups.merge(m.group(1).replaceAll("[-#\\s]*\\d+$", ""), 1L, Long::sum);
    }
    return groups.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(top)
        .map(e -> e.getKey() + " " + e.getValue())
        .collect(Collectors.joining(", "));
  }

  private String jcmd(String command) throws Exception {
    Path jcmd = Path.of(RungateJar.java()).resolveSibling("jcmd");
    Process p =
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out;
  }

  public String metrics() throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** Cumulative reconcile histogram over all resources: upper bound (s) to count. */
  public static TreeMap<Double, Double> reconcileBuckets(String metrics) {
    return buckets(BUCKET.matcher(metrics));
  }

  /**
   * Cumulative histogram of one stage of rungate's rounds (rungate_round_stage_seconds{stage=...}).
   */
  public static TreeMap<Double, Double> stageBuckets(String metrics, String stage) {
    return buckets(
        Pattern.compile(
                "^rungate_round_stage_seconds_bucket\\{(?=[^}]*stage=\""
                    + stage
                    + "\")[^}]*le=\"([^\"]+)\"[^}]*} ([0-9.eE+-]+)$",
                Pattern.MULTILINE)
            .matcher(metrics));
  }

  private static TreeMap<Double, Double> buckets(Matcher m) {
    TreeMap<Double, Double> buckets = new TreeMap<>();
    while (m.find()) {
      double le =
          m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
      buckets.merge(le, Double.parseDouble(m.group(2)), Double::sum);
    }
    return buckets;
  }

  /**
   * "count, p50, p99" of the reconciles between two histogram snapshots (bucket upper bounds, in
   * ms).
   */
  public static String latency(TreeMap<Double, Double> before, TreeMap<Double, Double> after) {
    List<double[]> delta = new ArrayList<>();
    for (var e : after.entrySet()) {
      delta.add(new double[] {e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0.0)});
    }
    if (delta.isEmpty()) {
      return "no reconcile histogram on /metrics";
    }
    double total = delta.get(delta.size() - 1)[1];
    return String.format(
        "%.0f reconciles, p50 ≤ %s, p99 ≤ %s",
        total, quantile(delta, total, 0.5), quantile(delta, total, 0.99));
  }

  private static String quantile(List<double[]> cumulative, double total, double q) {
    for (double[] b : cumulative) {
      if (b[1] >= q * total) {
        return Double.isInfinite(b[0]) ? "∞" : String.format("%.0f ms", b[0] * 1000);
      }
    }
    return "?";
  }

  /**
   * Calls per minute per project over a window: method suffix to [min, max] across projects, plus
   * rejected.
   */
  public static String callsPerMinute(
      EmulatorServer emulator,
      List<String> projects,
      Map<String, Map<String, CallStats.Counts>> before,
      double seconds) {
    Map<String, double[]> range = new TreeMap<>();
    long rejected = 0;
    for (String project : projects) {
      Map<String, CallStats.Counts> b = before.getOrDefault(project, Map.of());
      Map<String, CallStats.Counts> a = emulator.stats().of(project);
      for (String method : new TreeSet<>(a.keySet())) {
        CallStats.Counts was = b.getOrDefault(method, new CallStats.Counts(0, 0));
        double perMinute = (a.get(method).calls() - was.calls()) * 60.0 / seconds;
        rejected += a.get(method).rejected() - was.rejected();
        String name = method.substring(method.lastIndexOf('/') + 1);
        range.merge(
            name,
            new double[] {perMinute, perMinute},
            (x, y) -> new double[] {Math.min(x[0], y[0]), Math.max(x[1], y[1])});
      }
    }
    StringBuilder out = new StringBuilder();
    range.forEach((m, r) -> out.append(String.format("%s %.1f-%.1f; ", m, r[0], r[1])));
    return out.append("rejected ").append(rejected).toString();
  }

  public static Map<String, Map<String, CallStats.Counts>> snapshot(
      EmulatorServer emulator, List<String> projects) {
    Map<String, Map<String, CallStats.Counts>> out = new TreeMap<>();
    for (String project : projects) {
      out.put(project, new TreeMap<>(emulator.stats().of(project)));
    }
    return out;
  }
}
