package dev.rungate.e2e.stack;

import static org.awaitility.Awaitility.await;

import dev.rungate.emulator.EmulatorServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Operator rounds counted from outside, so a test that shows "nothing happened" lets several real
 * rounds pass instead of sleeping: the operator's own count of observed rounds ({@code
 * rungate_round_stage_seconds_count} of the observe stage on its /metrics; every policy it runs
 * counts), or the emulator's count of the reads of services (GetService, ListServices) in one
 * project, which a rollout in flight or held does once a round.
 */
public final class Rounds {
  private static final String LIST = "google.cloud.run.v2.Services/ListServices";
  private static final String GET = "google.cloud.run.v2.Services/GetService";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String what;
  private final LongSupplier count;

  private Rounds(String what, LongSupplier count) {
    this.what = what;
    this.count = count;
  }

  /** The rounds this operator process observed (all its policies). */
  public static Rounds ofOperator(OperatorProcess operator) {
    await().atMost(Duration.ofSeconds(60)).until(() -> operator.metricsPort().isPresent());
    return new Rounds(
        "rounds of the operator (/metrics)",
        () -> {
          try {
            int port = operator.metricsPort().orElseThrow();
            String scrape =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body();
            return scrape
                .lines()
                .filter(
                    l ->
                        l.startsWith("rungate_round_stage_seconds_count{")
                            && l.contains("stage=\"observe\""))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
          } catch (Exception e) {
            throw new IllegalStateException("cannot read the operator's /metrics", e);
          }
        });
  }

  /**
   * The reads of services in {@code project} the emulator served (keep one gated service per
   * project).
   */
  public static Rounds readsIn(EmulatorServer emulator, String project) {
    return new Rounds(
        "reads of services in project " + project + " (emulator)",
        () ->
            emulator.stats().of(project, LIST).calls() + emulator.stats().of(project, GET).calls());
  }

  public long count() {
    return count.getAsLong();
  }

  /** Returns once {@code n} more rounds than now were counted; fails after {@code atMost}. */
  public long awaitMore(int n, Duration atMost) {
    long from = count();
    await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(200))
        .alias(n + " more " + what + " after " + from)
        .until(() -> count() >= from + n);
    return count() - from;
  }
}
