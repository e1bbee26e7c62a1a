package dev.rungate.e2e.stack;

import dev.rungate.api.ReadinessPolicy;
import dev.rungate.testing.Parallel;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.quartz.CronExpression;

/**
 * ScaleBenchmark's optional re-verification phase (3rd argument, a Quartz cron): every policy gets
 * the schedule and one Memorystore dependency (the Stack's redis-server with AUTH on loopback);
 * after their first verification it waits for the next fire + spread + margin and reports when the
 * policies re-verified relative to the fire time, the peak of rungate_checks_running / queued
 * (sampled every second), peak threads and failures.
 */
public final class ScaleVerification {
  private static final Duration MARGIN = Duration.ofSeconds(20);
  private static final Pattern SAMPLE =
      Pattern.compile("(?m)^rungate_checks_(running|queued)\\{kind=\"(\\w+)\"} ([0-9.eE+-]+)$");

  private ScaleVerification() {}

  public static void run(Stack s, ScaleMeasures m, int n, String schedule, List<String> rows)
      throws Exception {
    String patch =
        """
        {"spec": {"verification": {"schedule": "%s"}, "dependencies": {"memorystore": [{"name": "session-store",
          "host": "127.0.0.1", "port": %d, "authSecretRef": {"name": "redis-auth", "key": "auth"}}]}}}
        """
            .formatted(schedule, s.redis.port);
    var policies = s.client.resources(ReadinessPolicy.class).inNamespace(s.namespace);
    List<String> names =
        policies.list().getItems().stream().map(p -> p.getMetadata().getName()).toList();
    Parallel.each(
        8,
        names,
        name -> policies.withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), patch));
    long t0 = System.nanoTime();
    Awaitility.await()
        .atMost(Duration.ofMinutes(15))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> verified(s).size() >= n);
    System.out.printf(
        "first verification of %d policies took %d ms%n", n, (System.nanoTime() - t0) / 1_000_000);

    CronExpression cron = new CronExpression(schedule);
    cron.setTimeZone(TimeZone.getTimeZone("UTC"));
    Instant fire = cron.getNextValidTimeAfter(new Date()).toInstant();
    Instant after = cron.getNextValidTimeAfter(Date.from(fire)).toInstant();
    Duration spread =
        Duration.ofMillis(Math.min(Duration.between(fire, after).toMillis() / 4, 60_000));
    Instant until = fire.plus(spread).plus(MARGIN);
    double[] peak =
        new double[4]; // running rollout, running verification, queued rollout, queued verification
    long peakThreads = 0;
    String groups = "";
    while (Instant.now().isBefore(until)) {
      long threads = m.procStatus("Threads");
      if (threads > peakThreads) {
        peakThreads = threads;
        groups = m.threadGroups(6);
      }
      Matcher g = SAMPLE.matcher(m.metrics());
      while (g.find()) {
        int i = (g.group(1).equals("running") ? 0 : 2) + (g.group(2).equals("rollout") ? 0 : 1);
        peak[i] = Math.max(peak[i], Double.parseDouble(g.group(3)));
      }
      Thread.sleep(1000);
    }
    List<Long> millis = new ArrayList<>();
    for (Instant at : verified(s)) {
      if (!at.isBefore(fire)) {
        millis.add(Duration.between(fire, at).toMillis());
      }
    }
    millis.sort(Long::compare);
    long failed =
        policies.list().getItems().stream()
            .filter(
                p ->
                    p.getStatus() != null
                        && p.getStatus().conditions != null
                        && p.getStatus().conditions.stream()
                            .anyMatch(
                                c ->
                                    c.getType().equals("DependenciesReady")
                                        && c.getStatus().equals("False")))
            .count();
    rows.add(
        row(
            "verify '"
                + schedule
                + "': policies re-verified after the fire at "
                + fire
                + " (spread "
                + spread.toSeconds()
                + " s)",
            String.format(
                "%d of %d; lastVerifiedAt - fire: first %s ms, p50 %s ms, last %s ms",
                millis.size(), n, at(millis, 0), at(millis, 0.5), at(millis, 1))));
    rows.add(
        row(
            "verify: peak rungate_checks_running rollout / verification",
            (long) peak[0] + " / " + (long) peak[1]));
    rows.add(
        row(
            "verify: peak rungate_checks_queued rollout / verification",
            (long) peak[2] + " / " + (long) peak[3]));
    rows.add(
        row(
            "verify: peak threads (largest groups); policies with DependenciesReady=False",
            peakThreads + " (" + groups + "); " + failed));
  }

  private static List<Instant> verified(Stack s) {
    return s
        .client
        .resources(ReadinessPolicy.class)
        .inNamespace(s.namespace)
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getStatus() != null && p.getStatus().lastVerifiedAt != null)
        .map(p -> Instant.parse(p.getStatus().lastVerifiedAt))
        .toList();
  }

  private static String at(List<Long> sorted, double q) {
    return sorted.isEmpty()
        ? "-"
        : String.valueOf(sorted.get((int) Math.min(sorted.size() - 1, q * sorted.size())));
  }

  private static String row(String what, String figure) {
    return "| " + what + " | " + figure + " |";
  }
}
