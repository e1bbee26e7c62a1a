package dev.rungate.signals;

import static dev.rungate.signals.LogFeedFixture.service;
import static dev.rungate.signals.LogFeedFixture.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.logging.type.LogSeverity;
import dev.rungate.api.spec.ServiceRef;
import dev.rungate.domain.ContainerExit;
import dev.rungate.emulator.FaultInjector;
import dev.rungate.emulator.logging.LoggingConfig;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * LoggingExitSignals when Cloud Logging ends its open tail stream (the emulator with the real
 * client): an outage that begins while the stream is open is reported for as long as it lasts and
 * the exits logged meanwhile are found after it; a session ended at its maximum duration
 * (OUT_OF_RANGE) is reopened without an alarm.
 */
@Tag("real")
class LoggingExitSignalsOutageTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private static boolean unavailable(
      LogFeedFixture f, ServiceRef service, String revision, Instant since) {
    try {
      f.signals.exitsOf(service, revision, since);
      return false;
    } catch (SignalsUnavailableException e) {
      return true;
    }
  }

  @Test
  void anOutageThatCutsTheOpenStreamIsReportedWhileItLastsAndExitsLoggedMeanwhileAreFoundAfter()
      throws Exception {
    try (LogFeedFixture f = new LogFeedFixture(LoggingConfig.defaults())) {
      ServiceRef api = service("demo", "api");
      Instant since = Instant.now();
      f.logs()
          .system(source(api, "api-00007-out"), LogSeverity.WARNING, "Container called exit(3).");
      await()
          .atMost(PATIENCE)
          .ignoreExceptionsInstanceOf(SignalsCatchingUpException.class)
          .until(() -> f.signals.exitsOf(api, "api-00007-out", since).size() == 1);
      assertThat(f.signals.streamedRevisions("demo")).as("the tail stream is open").isEqualTo(1);

      f.emulator
          .faults()
          .inject(
              new FaultInjector.Fault(
                  LogFeedFixture.TAIL, Status.Code.UNAVAILABLE, 100_000, Duration.ZERO));
      f.emulator
          .faults()
          .inject(
              new FaultInjector.Fault(
                  LogFeedFixture.LIST, Status.Code.UNAVAILABLE, 100_000, Duration.ZERO));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> unavailable(f, api, "api-00007-out", since));
      assertThatThrownBy(() -> f.signals.exitsOf(api, "api-00007-out", since))
          .isInstanceOf(SignalsUnavailableException.class)
          .hasMessageContaining("Cloud Logging")
          .hasMessageContaining("UNAVAILABLE");
      f.logs()
          .system(source(api, "api-00007-out"), LogSeverity.WARNING, "Container called exit(4).");
      long end = System.currentTimeMillis() + 8000;
      while (System.currentTimeMillis() < end) { // reconnects keep failing: reported the whole time
        assertThat(unavailable(f, api, "api-00007-out", since))
            .as("reported while the outage lasts")
            .isTrue();
        Thread.sleep(250);
      }

      f.emulator.faults().clear();
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptionsInstanceOf(SignalsUnavailableException.class)
          .until(() -> f.signals.exitsOf(api, "api-00007-out", since).size() == 2);
      assertThat(f.signals.exitsOf(api, "api-00007-out", since))
          .extracting(ContainerExit::exitCode)
          .containsExactly(3, 4);
    }
  }

  @Test
  void aSessionEndedAtItsMaximumDurationIsReopenedWithoutAnAlarmAndNothingIsLost()
      throws Exception {
    try (LogFeedFixture f =
        new LogFeedFixture(LoggingConfig.defaults().withTailMaxDuration(Duration.ofSeconds(3)))) {
      ServiceRef web = service("demo", "web");
      Instant since = Instant.now();
      long end = System.currentTimeMillis() + 12_000; // four sessions or more
      int written = 0;
      int answered = 0;
      while (System.currentTimeMillis() < end) {
        if (written < 20) {
          f.logs()
              .system(
                  source(web, "web-00002-long"), LogSeverity.WARNING, "Container called exit(1).");
          written++;
        }
        try { // no alarm: never a failure, only "catching up" while what the ended session missed
          // is read
          assertThat(f.signals.exitsOf(web, "web-00002-long", since).size())
              .isLessThanOrEqualTo(written);
          answered++;
        } catch (SignalsCatchingUpException notReadYet) {
          assertThat(notReadYet.getMessage())
              .contains("not read yet")
              .doesNotContain("OUT_OF_RANGE");
        }
        Thread.sleep(500);
      }
      assertThat(answered).as("answered between the session ends").isPositive();
      await()
          .atMost(PATIENCE)
          .ignoreExceptionsInstanceOf(SignalsCatchingUpException.class)
          .until(() -> f.signals.exitsOf(web, "web-00002-long", since).size() == 20);
      assertThat(f.emulator.stats().of("demo", LogFeedFixture.TAIL).calls())
          .as("the stream was reopened")
          .isGreaterThanOrEqualTo(4);
    }
  }
}
