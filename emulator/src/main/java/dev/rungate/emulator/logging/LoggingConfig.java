package dev.rungate.emulator.logging;

import java.time.Duration;

/**
 * How the emulated Cloud Logging behaves. The defaults are real Cloud Logging's (platform-facts.md,
 * "How real Cloud Run and Cloud Logging behave"): 60 entries.list requests per minute per project,
 * at most 10 TailLogEntries sessions per project, entries visible a few seconds after they are
 * written.
 *
 * @param listQuotaPerMinute ListLogEntries calls per project in any {@code listQuotaWindow}; beyond
 *     it RESOURCE_EXHAUSTED (0 = no limit)
 * @param tailSessionsPerProject concurrent TailLogEntries sessions per project (0 = no limit)
 * @param minIngestionDelay shortest time between a line written and the entry visible to list/tail
 * @param maxIngestionDelay longest such time; each entry draws uniformly in [min, max], so entries
 *     arrive out of order
 * @param listScanBudget entries one ListLogEntries call looks at before it answers (possibly an
 *     empty page with a next_page_token), like the real service's per-call time budget
 * @param tailMaxDuration how long a TailLogEntries session lasts before it ends with OUT_OF_RANGE
 *     (ZERO = no limit). Cloud Logging ends tail sessions at a maximum duration (gcloud's tail
 *     reports OUT_OF_RANGE as "The maximum duration for tail has been met"); its length is not
 *     documented, so the default sets none.
 * @param listQuotaWindow the sliding window the list quota counts calls in: a minute, as Cloud
 *     Logging's quota is per minute; shorter only for tests of quota recovery
 */
public record LoggingConfig(
    int listQuotaPerMinute,
    int tailSessionsPerProject,
    Duration minIngestionDelay,
    Duration maxIngestionDelay,
    int listScanBudget,
    Duration tailMaxDuration,
    Duration listQuotaWindow) {
  /** Cloud Logging's read quota is per minute. */
  public static final Duration QUOTA_WINDOW = Duration.ofSeconds(60);

  public LoggingConfig {
    if (listQuotaWindow.isNegative() || listQuotaWindow.isZero()) {
      throw new IllegalArgumentException(
          "list quota window must be positive, got " + listQuotaWindow);
    }
    if (tailMaxDuration.isNegative()) {
      throw new IllegalArgumentException(
          "tail session duration must be 0 (none) or positive, got " + tailMaxDuration);
    }
    if (minIngestionDelay.isNegative() || maxIngestionDelay.compareTo(minIngestionDelay) < 0) {
      throw new IllegalArgumentException(
          "ingestion delay must be 0 <= min <= max, got "
              + minIngestionDelay
              + ".."
              + maxIngestionDelay);
    }
    if (listScanBudget < 1) {
      throw new IllegalArgumentException(
          "list scan budget must be at least 1, got " + listScanBudget);
    }
  }

  public static LoggingConfig defaults() {
    return new LoggingConfig(
        60, 10, Duration.ofSeconds(1), Duration.ofSeconds(5), 10_000, Duration.ZERO, QUOTA_WINDOW);
  }

  /** No quota, no delay: for tests of something other than Logging fidelity. */
  public static LoggingConfig immediate() {
    return new LoggingConfig(
        0, 0, Duration.ZERO, Duration.ZERO, 10_000, Duration.ZERO, QUOTA_WINDOW);
  }

  public LoggingConfig withListQuotaPerMinute(int quota) {
    return new LoggingConfig(
        quota,
        tailSessionsPerProject,
        minIngestionDelay,
        maxIngestionDelay,
        listScanBudget,
        tailMaxDuration,
        listQuotaWindow);
  }

  public LoggingConfig withTailSessionsPerProject(int sessions) {
    return new LoggingConfig(
        listQuotaPerMinute,
        sessions,
        minIngestionDelay,
        maxIngestionDelay,
        listScanBudget,
        tailMaxDuration,
        listQuotaWindow);
  }

  public LoggingConfig withIngestionDelay(Duration min, Duration max) {
    return new LoggingConfig(
        listQuotaPerMinute,
        tailSessionsPerProject,
        min,
        max,
        listScanBudget,
        tailMaxDuration,
        listQuotaWindow);
  }

  public LoggingConfig withListScanBudget(int entries) {
    return new LoggingConfig(
        listQuotaPerMinute,
        tailSessionsPerProject,
        minIngestionDelay,
        maxIngestionDelay,
        entries,
        tailMaxDuration,
        listQuotaWindow);
  }

  /** Tail sessions end with OUT_OF_RANGE after this long (ZERO: never). */
  public LoggingConfig withTailMaxDuration(Duration duration) {
    return new LoggingConfig(
        listQuotaPerMinute,
        tailSessionsPerProject,
        minIngestionDelay,
        maxIngestionDelay,
        listScanBudget,
        duration,
        listQuotaWindow);
  }

  /**
   * The list quota counts calls in this sliding window instead of a minute (for tests of quota
   * recovery).
   */
  public LoggingConfig withListQuotaWindow(Duration window) {
    return new LoggingConfig(
        listQuotaPerMinute,
        tailSessionsPerProject,
        minIngestionDelay,
        maxIngestionDelay,
        listScanBudget,
        tailMaxDuration,
        window);
  }
}
