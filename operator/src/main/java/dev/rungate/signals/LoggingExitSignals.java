package dev.rungate.signals;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.logging.v2.LoggingClient;
import dev.rungate.api.spec.ServiceRef;
import dev.rungate.domain.ContainerExit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@link ExitSignals} over Cloud Logging v2 within its read quota at any number of rollouts: per
 * project ONE TailLogEntries stream covering every revision asked about, plus a rate-limited,
 * batched ListLogEntries backfill for what a revision logged before it joined the stream. {@link
 * #exitsOf} only reads what has arrived (non-blocking), so Logging calls per minute do not grow
 * with the number of rollouts in flight. Each exit carries the container's last lines before it
 * (text or jsonPayload.message, redacted); late lines join as they arrive. While a project's feed
 * is failing (quota, permission, unreachable), {@link #exitsOf} throws {@link
 * SignalsUnavailableException}; while some of a revision's entries are still being read (what it
 * logged before it was first asked about, what the stream missed while it was down), it throws
 * {@link SignalsCatchingUpException} for that revision: exits not read yet are unknown, never
 * "none".
 */
public final class LoggingExitSignals implements ExitSignals, AutoCloseable {
  static final int EVIDENCE_LINES = 10;

  /**
   * @param restartEvery at most one stream restart (to add revisions) per this interval
   * @param backfillCallsPerMinute ListLogEntries calls per project in any 60 s at most (Cloud
   *     Logging allows 60 a minute per project, shared with everyone reading the project's logs)
   * @param backfillSpacing least time between two of them: a catch-up pages this fast within the
   *     minute's calls
   * @param forgetAfter a revision not asked about for this long leaves the stream
   * @param maxBackoff longest wait before reconnecting a failed stream (1 s doubling)
   * @param gapLookback how far back a backfill reaches after the stream was lost (covers ingestion
   *     delay)
   */
  public record Settings(
      Duration restartEvery,
      int backfillCallsPerMinute,
      Duration backfillSpacing,
      Duration forgetAfter,
      Duration maxBackoff,
      Duration gapLookback) {
    public static Settings defaults() {
      return new Settings(
          Duration.ofSeconds(5),
          20,
          Duration.ofSeconds(1),
          Duration.ofMinutes(10),
          Duration.ofSeconds(30),
          Duration.ofSeconds(60));
    }
  }

  private final LoggingClient logging;
  private final Settings settings;
  private final Map<String, ProjectLogFeed> feeds = new ConcurrentHashMap<>();
  private final ScheduledExecutorService worker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "rungate-exit-signals");
            t.setDaemon(true);
            return t;
          });

  public LoggingExitSignals(LoggingClient logging) {
    this(logging, Settings.defaults());
  }

  public LoggingExitSignals(LoggingClient logging, Settings settings) {
    this.logging = logging;
    this.settings = settings;
    worker.scheduleWithFixedDelay(this::tick, 250, 250, TimeUnit.MILLISECONDS);
  }

  @Override
  public List<ContainerExit> exitsOf(ServiceRef service, String revision, Instant since) {
    return feeds
        .computeIfAbsent(service.project, p -> new ProjectLogFeed(p, logging, settings))
        .exitsOf(service.name, revision, since);
  }

  private void tick() {
    for (ProjectLogFeed feed : feeds.values()) {
      try {
        feed.tick();
      } catch (RuntimeException e) {
        // a failing feed reports through exitsOf; the worker keeps serving the others
      }
    }
  }

  /** How many revisions the project's stream covers now (for tests and benchmarks). */
  public int streamedRevisions(String project) {
    ProjectLogFeed feed = feeds.get(project);
    return feed == null ? 0 : feed.streamed();
  }

  @Override
  public void close() {
    worker.shutdownNow();
    feeds.values().forEach(ProjectLogFeed::close);
  }

  /** One line naming Cloud Logging, the cause and the fix. */
  static String describe(String project, Throwable t) {
    String code =
        t instanceof ApiException api
            ? api.getStatusCode().getCode().name()
            : t.getClass().getSimpleName();
    String detail = firstLine(t.getMessage());
    switch (code) {
      case "PERMISSION_DENIED":
        return "Cloud Logging refused to read project "
            + project
            + "'s logs (PERMISSION_DENIED): grant "
            + "roles/logging.viewer to the operator's Google service account";
      case "UNAUTHENTICATED":
        return "Cloud Logging rejected the operator's credentials for project "
            + project
            + " (UNAUTHENTICATED): "
            + "check Workload Identity or Application Default Credentials";
      case "RESOURCE_EXHAUSTED":
        return "Cloud Logging quota exhausted for project "
            + project
            + " (RESOURCE_EXHAUSTED): "
            + detail
            + "; something else in the project is reading logs heavily, exit signals resume when it recovers";
      default:
        return "Cloud Logging unavailable for project " + project + " (" + code + "): " + detail;
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no detail";
    }
    String line = message.strip().split("\\R", 2)[0];
    return line.length() > 200 ? line.substring(0, 199) + "…" : line;
  }
}
