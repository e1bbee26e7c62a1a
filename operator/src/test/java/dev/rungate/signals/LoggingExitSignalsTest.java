package dev.rungate.signals;

import static dev.rungate.signals.LogFeedFixture.service;
import static dev.rungate.signals.LogFeedFixture.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.logging.type.LogSeverity;
import dev.rungate.api.spec.ServiceRef;
import dev.rungate.domain.ContainerExit;
import dev.rungate.emulator.MutableClock;
import dev.rungate.emulator.logging.LoggingConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * LoggingExitSignals on the emulator's Cloud Logging (real defaults: quota, ingestion delay) with
 * the real client: exits and their evidence (the limits are in {@link
 * LoggingExitSignalsLimitsTest}). Where a test waits for Logging's windows (ingestion delay, the
 * quota's minute) the emulator runs on a clock the test advances; the feed itself (its polls,
 * backoff and stream restarts) runs on real time, as in the operator.
 */
@Tag("real")
@ResourceLock(value = "cpu", mode = ResourceAccessMode.READ)
class LoggingExitSignalsTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  /** TailLogEntries' default buffer window, which the feed's stream uses. */
  private static final Duration BUFFER = Duration.ofSeconds(2);

  @Test
  void exitsCarryTextAndJsonEvidenceRedactedAndLateLinesJoin() {
    MutableClock clock = MutableClock.startingNow();
    try (LogFeedFixture f = new LogFeedFixture(LoggingConfig.defaults(), clock)) {
      ServiceRef api = service("demo", "api");
      Instant since = clock.instant().minusSeconds(1);
      assertThatThrownBy(() -> f.signals.exitsOf(api, "api-00002-bad", since))
          .as("unknown, not 'no exits', until what it logged before is read")
          .isInstanceOf(SignalsCatchingUpException.class)
          .hasMessageContaining("not read yet");
      await()
          .atMost(PATIENCE)
          .ignoreExceptionsInstanceOf(SignalsCatchingUpException.class)
          .until(() -> f.signals.exitsOf(api, "api-00002-bad", since).isEmpty());
      await()
          .atMost(PATIENCE)
          .until(() -> f.emulator.tailSessions("demo") == 1); // the feed's stream is open
      f.logs()
          .stdout(
              source(api, "api-00002-bad"), "Booting worker with pid: 7", Duration.ofMillis(1500));
      f.logs()
          .stdout(
              source(api, "api-00002-bad"),
              "{\"severity\":\"ERROR\",\"message\":\"redis://default:hunter2@10.0.0.3:6379 refused\",\"pid\":7}",
              Duration.ofMillis(1500));
      f.logs()
          .stdout(
              source(api, "api-00002-bad"),
              "Worker (pid:7) exited with code 3",
              Duration.ofSeconds(12));
      f.logs()
          .system(
              source(api, "api-00002-bad"),
              LogSeverity.WARNING,
              "Container called exit(3).",
              Duration.ofMillis(1500));

      clock.advance(Duration.ofMillis(1500).plus(BUFFER));
      await()
          .atMost(PATIENCE)
          .until(() -> !f.signals.exitsOf(api, "api-00002-bad", since).isEmpty());
      ContainerExit early = f.signals.exitsOf(api, "api-00002-bad", since).get(0);
      assertThat(early.exitCode()).isEqualTo(3);
      assertThat(early.evidence())
          .containsExactly(
              "Booting worker with pid: 7", "redis://[REDACTED]@10.0.0.3:6379 refused");
      clock.advance(Duration.ofSeconds(12).minus(Duration.ofMillis(1500)));
      await()
          .atMost(PATIENCE)
          .untilAsserted(
              () ->
                  assertThat(f.signals.exitsOf(api, "api-00002-bad", since).get(0).evidence())
                      .as("the late line joins in timestamp order")
                      .containsExactly(
                          "Booting worker with pid: 7",
                          "redis://[REDACTED]@10.0.0.3:6379 refused",
                          "Worker (pid:7) exited with code 3"));
      assertThat(f.rejected("demo")).isZero();
    }
  }

  @Test
  void everyExitAtOrAfterSinceIsSeenIncludingThoseBeforeTheRevisionWasWatched() throws Exception {
    MutableClock clock = MutableClock.startingNow();
    try (LogFeedFixture f = new LogFeedFixture(LoggingConfig.defaults(), clock)) {
      ServiceRef web = service("demo", "web");
      f.logs()
          .system(source(web, "web-00003-loop"), LogSeverity.WARNING, "Container called exit(1).");
      clock.advance(Duration.ofMillis(5));
      Instant since = clock.instant();
      for (int i = 0;
          i < 150;
          i++) { // a crash loop: more exits than one page of the old poll (100) held
        f.logs().stdout(source(web, "web-00003-loop"), "attempt " + i);
        f.logs()
            .system(
                source(web, "web-00003-loop"), LogSeverity.WARNING, "Container called exit(3).");
      }
      // all of it ingested before anyone asks: only the backfill can find it
      clock.advance(LoggingConfig.defaults().maxIngestionDelay());
      await()
          .atMost(PATIENCE)
          .ignoreExceptionsInstanceOf(SignalsCatchingUpException.class)
          .until(() -> f.signals.exitsOf(web, "web-00003-loop", since).size() == 150);
      for (int i = 0; i < 5; i++) { // and newer exits keep coming through the stream
        f.logs()
            .system(
                source(web, "web-00003-loop"), LogSeverity.WARNING, "Container called exit(4).");
      }
      clock.advance(LoggingConfig.defaults().maxIngestionDelay().plus(BUFFER));
      await()
          .atMost(PATIENCE)
          .until(() -> f.signals.exitsOf(web, "web-00003-loop", since).size() == 155);
      List<ContainerExit> exits = f.signals.exitsOf(web, "web-00003-loop", since);
      assertThat(exits)
          .extracting(ContainerExit::exitCode)
          .doesNotContain(1)
          .endsWith(4, 4, 4, 4, 4);
      assertThat(exits.get(149).evidence()).containsExactly("attempt 149");
      assertThat(f.rejected("demo")).isZero();
    }
  }

  /**
   * A new revision joining restarts the stream; the stream it replaces still holds, in its buffer
   * window (2 s), the entries that arrived just before, and the new one starts after them: nothing
   * may fall between the two.
   */
  @Test
  void anExitTheReplacedStreamStillHeldIsNotLostWhenARevisionJoins() throws Exception {
    try (LogFeedFixture f = new LogFeedFixture(LoggingConfig.defaults())) {
      ServiceRef api = service("demo", "api");
      Instant since = Instant.now();
      await()
          .atMost(PATIENCE)
          .ignoreExceptionsInstanceOf(SignalsCatchingUpException.class)
          .until(() -> f.signals.exitsOf(api, "api-00008-held", since).isEmpty());
      Thread.sleep(
          6000); // the stream is older than restartEvery (5 s): the next revision restarts it at
      // once
      f.logs()
          .system(
              source(api, "api-00008-held"),
              LogSeverity.WARNING,
              "Container called exit(3).",
              Duration.ZERO);
      assertThatThrownBy(() -> f.signals.exitsOf(api, "api-00009-joins", since))
          .isInstanceOf(SignalsCatchingUpException.class);
      await().atMost(Duration.ofSeconds(5)).until(() -> f.signals.streamedRevisions("demo") == 2);
      await()
          .atMost(PATIENCE)
          .until(() -> f.signals.exitsOf(api, "api-00008-held", since).size() == 1);
      assertThat(f.emulator.stats().of("demo", LogFeedFixture.TAIL).calls())
          .as("the stream was restarted")
          .isEqualTo(2);
    }
  }
}
