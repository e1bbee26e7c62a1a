package dev.rungate.signals;

import com.google.api.gax.rpc.ClientStream;
import static dev.rungate.signals.LogFeedFixture.service;
import static dev.rungate.signals.LogFeedFixture.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.api.gax.rpc.ResponseObserver;
import com.google.api.gax.rpc.StreamController;
import com.google.logging.type.LogSeverity;
import com.google.logging.v2.ListLogEntriesRequest;
import com.google.logging.v2.TailLogEntriesRequest;
import com.google.logging.v2.TailLogEntriesResponse;
import dev.rungate.api.spec.ServiceRef;
import dev.rungate.domain.ContainerExit;
import dev.rungate.emulator.MutableClock;
import dev.rungate.emulator.logging.LoggingConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * LoggingExitSignals on the emulator's Cloud Logging (real defaults: quota, ingestion delay) with the real client.
 * Where a test waits for Logging's windows (ingestion delay, the quota's minute) the emulator runs on a clock the test
 * advances; the feed itself (its polls, backoff and stream restarts) runs on real time, as in the operator.
 */
@Tag("real")
@org.junit.jupiter.api.Order(3) // the longest classes start first (scripts/test runs several at once)
@org.junit.jupiter.api.parallel.ResourceLock(value = "cpu", mode = org.junit.jupiter.api.parallel.ResourceAccessMode.READ)
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
          .isInstanceOf(SignalsCatchingUpException.class).hasMessageContaining("not read yet");
      await().atMost(PATIENCE).ignoreExceptionsInstanceOf(SignalsCatchingUpException.class)
          .until(() -> f.signals.exitsOf(api, "api-00002-bad", since).isEmpty());
      await().atMost(PATIENCE).until(() -> f.emulator.tailSessions("demo") == 1); // the feed's stream is open
      f.logs().stdout(source(api, "api-00002-bad"), "Booting worker with pid: 7", Duration.ofMillis(1500));
      f.logs().stdout(source(api, "api-00002-bad"),
          "{\"severity\":\"ERROR\",\"message\":\"redis://default:hunter2@10.0.0.3:6379 refused\",\"pid\":7}",
          Duration.ofMillis(1500));
      f.logs().stdout(source(api, "api-00002-bad"), "Worker (pid:7) exited with code 3", Duration.ofSeconds(12));
      f.logs().system(source(api, "api-00002-bad"), LogSeverity.WARNING, "Container called exit(3).",
          Duration.ofMillis(1500));

      clock.advance(Duration.ofMillis(1500).plus(BUFFER));
      await().atMost(PATIENCE).until(() -> !f.signals.exitsOf(api, "api-00002-bad", since).isEmpty());
      ContainerExit early = f.signals.exitsOf(api, "api-00002-bad", since).get(0);
      assertThat(early.exitCode()).isEqualTo(3);
      assertThat(early.evidence()).containsExactly("Booting worker with pid: 7",
          "redis://[REDACTED]@10.0.0.3:6379 refused");
      clock.advance(Duration.ofSeconds(12).minus(Duration.ofMillis(1500)));
      await().atMost(PATIENCE).untilAsserted(() -> assertThat(f.signals.exitsOf(api, "api-00002-bad", since).get(0)
          .evidence()).as("the late line joins in timestamp order").containsExactly("Booting worker with pid: 7",
          "redis://[REDACTED]@10.0.0.3:6379 refused", "Worker (pid:7) exited with code 3"));
      assertThat(f.rejected("demo")).isZero();
    }
  }

  @Test
  void everyExitAtOrAfterSinceIsSeenIncludingThoseBeforeTheRevisionWasWatched() throws Exception {
    MutableClock clock = MutableClock.startingNow();
    try (LogFeedFixture f = new LogFeedFixture(LoggingConfig.defaults(), clock)) {
      ServiceRef web = service("demo", "web");
      f.logs().system(source(web, "web-00003-loop"), LogSeverity.WARNING, "Container called exit(1).");
      clock.advance(Duration.ofMillis(5));
      Instant since = clock.instant();
      for (int i = 0; i < 150; i++) { // a crash loop: more exits than one page of the old poll (100) held
        f.logs().stdout(source(web, "web-00003-loop"), "attempt " + i);
        f.logs().system(source(web, "web-00003-loop"), LogSeverity.WARNING, "Container called exit(3).");
      }
      // all of it ingested before anyone asks: only the backfill can find it
      clock.advance(LoggingConfig.defaults().maxIngestionDelay());
      await().atMost(PATIENCE).ignoreExceptionsInstanceOf(SignalsCatchingUpException.class)
          .until(() -> f.signals.exitsOf(web, "web-00003-loop", since).size() == 150);
      for (int i = 0; i < 5; i++) { // and newer exits keep coming through the stream
        f.logs().system(source(web, "web-00003-loop"), LogSeverity.WARNING, "Container called exit(4).");
      }
      clock.advance(LoggingConfig.defaults().maxIngestionDelay().plus(BUFFER));
      await().atMost(PATIENCE).until(() -> f.signals.exitsOf(web, "web-00003-loop", since).size() == 155);
      List<ContainerExit> exits = f.signals.exitsOf(web, "web-00003-loop", since);
      assertThat(exits).extracting(ContainerExit::exitCode).doesNotContain(1).endsWith(4, 4, 4, 4, 4);
      assertThat(exits.get(149).evidence()).containsExactly("attempt 149");
      assertThat(f.rejected("demo")).isZero();
    }
  }

  /**
   * A new revision joining restarts the stream; the stream it replaces still holds, in its buffer window (2 s), the
   * entries that arrived just before, and the new one starts after them: nothing may fall between the two.
   */
  @Test
  void anExitTheReplacedStreamStillHeldIsNotLostWhenARevisionJoins() throws Exception {
    try (LogFeedFixture f = new LogFeedFixture(LoggingConfig.defaults())) {
      ServiceRef api = service("demo", "api");
      Instant since = Instant.now();
      await().atMost(PATIENCE).ignoreExceptionsInstanceOf(SignalsCatchingUpException.class)
          .until(() -> f.signals.exitsOf(api, "api-00008-held", since).isEmpty());
      Thread.sleep(6000); // the stream is older than restartEvery (5 s): the next revision restarts it at once
      f.logs().system(source(api, "api-00008-held"), LogSeverity.WARNING, "Container called exit(3).", Duration.ZERO);
      assertThatThrownBy(() -> f.signals.exitsOf(api, "api-00009-joins", since))
          .isInstanceOf(SignalsCatchingUpException.class);
      await().atMost(Duration.ofSeconds(5)).until(() -> f.signals.streamedRevisions("demo") == 2);
      await().atMost(PATIENCE).until(() -> f.signals.exitsOf(api, "api-00008-held", since).size() == 1);
      assertThat(f.emulator.stats().of("demo", LogFeedFixture.TAIL).calls()).as("the stream was restarted").isEqualTo(2);
    }
  }

  @Test
  void loggingCallsDoNotGrowWithTheRevisionsWatched() throws Exception {
    try (LogFeedFixture f = new LogFeedFixture(LoggingConfig.defaults())) {
      int[] sizes = {1, 10, 50};
      Instant since = Instant.now();
      long end = System.currentTimeMillis() + 20_000;
      int round = 0;
      while (System.currentTimeMillis() < end) { // the reconciler: every in-flight candidate, every second
        for (int n : sizes) {
          for (int r = 0; r < n; r++) {
            ServiceRef svc = service("p" + n + "-project", "svc" + r);
            if (round % 5 == 0) {
              f.logs().stdout(source(svc, "svc" + r + "-00001-abc"), "tick " + round);
            }
            try {
              f.signals.exitsOf(svc, "svc" + r + "-00001-abc", since);
            } catch (SignalsCatchingUpException notReadYet) {
              // its first answers, until what it logged before is read
            }
          }
        }
        round++;
        Thread.sleep(1000);
      }
      long one = f.loggingCalls("p1-project");
      long ten = f.loggingCalls("p10-project");
      long fifty = f.loggingCalls("p50-project");
      // how many a minute is a figure of scripts/bench-logging; here: each project read, and no more for 50 than for 1
      assertThat(List.of(one, ten, fifty)).as("list + tail calls in 20 s at 1, 10, 50 revisions")
          .allSatisfy(calls -> assertThat(calls).isPositive());
      assertThat(Math.abs(fifty - one)).isLessThanOrEqualTo(1);
      assertThat(f.signals.streamedRevisions("p50-project")).isEqualTo(50);
      assertThat(f.rejected("p1-project") + f.rejected("p10-project") + f.rejected("p50-project")).isZero();
    }
  }

  @Test
  void anExhaustedListQuotaSurfacesAsAnExceptionAndExitsResumeAfterIt() {
    MutableClock clock = MutableClock.startingNow();
    try (LogFeedFixture f = new LogFeedFixture(LoggingConfig.defaults(), clock)) {
      ServiceRef api = service("demo", "api");
      Instant since = clock.instant();
      f.logs().system(source(api, "api-00004-q"), LogSeverity.WARNING, "Container called exit(3).");
      for (int i = 0; i < 60; i++) { // someone else in the project reads logs heavily
        f.clients.logging().listLogEntriesCallable().call(ListLogEntriesRequest.newBuilder()
            .addResourceNames("projects/demo").setFilter("severity>=ERROR").setPageSize(1).build());
      }
      await().atMost(PATIENCE).ignoreExceptionsMatching(e -> false).until(() -> {
        try {
          f.signals.exitsOf(api, "api-00004-q", since);
          return false;
        } catch (SignalsUnavailableException e) {
          if (!e.getMessage().contains("RESOURCE_EXHAUSTED")) {
            return false; // "not read yet" until the backfill's call is refused
          }
          assertThat(e).isNotInstanceOf(SignalsCatchingUpException.class);
          assertThat(e.getMessage()).startsWith("Cloud Logging").doesNotContain("\n").contains("not read yet");
          return true;
        }
      });
      long refused = f.rejected("demo");
      await().atMost(PATIENCE).alias("the feed's next backfill, inside the minute, is refused too")
          .until(() -> f.rejected("demo") > refused);
      assertThatThrownBy(() -> f.signals.exitsOf(api, "api-00004-q", since))
          .isInstanceOf(SignalsUnavailableException.class).hasMessageContaining("RESOURCE_EXHAUSTED");
      clock.advance(LoggingConfig.QUOTA_WINDOW); // the minute of the 60 calls has passed
      await().atMost(PATIENCE).ignoreExceptionsInstanceOf(SignalsUnavailableException.class)
          .until(() -> f.signals.exitsOf(api, "api-00004-q", since).size() == 1);
    }
  }

  @Test
  void aStreamRefusedForSessionsOrPermissionReconnectsWithBackoffAndRecovers() throws Exception {
    try (LogFeedFixture f = new LogFeedFixture(LoggingConfig.defaults())) {
      List<ClientStream<TailLogEntriesRequest>> others = new ArrayList<>();
      List<StreamController> controllers = new ArrayList<>();
      for (int i = 0; i < 10; i++) { // ten other tails hold every session the project has
        ClientStream<TailLogEntriesRequest> s = f.clients.logging().tailLogEntriesCallable().splitCall(
            new ResponseObserver<TailLogEntriesResponse>() {
              public void onStart(StreamController c) {
                synchronized (controllers) {
                  controllers.add(c);
                }
              }

              public void onResponse(TailLogEntriesResponse r) { }

              public void onError(Throwable t) { }

              public void onComplete() { }
            });
        s.send(TailLogEntriesRequest.newBuilder().addResourceNames("projects/demo").build());
        others.add(s);
      }
      await().atMost(PATIENCE).until(() -> f.emulator.tailSessions("demo") == 10);
      ServiceRef api = service("demo", "api");
      Instant since = Instant.now();
      f.logs().system(source(api, "api-00005-s"), LogSeverity.WARNING, "Container called exit(3).");
      await().atMost(PATIENCE).until(() -> {
        try {
          f.signals.exitsOf(api, "api-00005-s", since);
          return false;
        } catch (SignalsUnavailableException e) {
          return e.getMessage().contains("Cloud Logging") && e.getMessage().contains("RESOURCE_EXHAUSTED");
        }
      });
      synchronized (controllers) {
        controllers.forEach(StreamController::cancel);
      }
      await().atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(SignalsUnavailableException.class)
          .until(() -> f.signals.exitsOf(api, "api-00005-s", since).size() == 1);

      f.emulator.faults().inject(new dev.rungate.emulator.FaultInjector.Fault(LogFeedFixture.TAIL,
          io.grpc.Status.Code.PERMISSION_DENIED, 100, Duration.ZERO));
      assertThatThrownBy(() -> f.signals.exitsOf(service("other", "x"), "x-00001-a", since))
          .isInstanceOf(SignalsUnavailableException.class);
      await().atMost(PATIENCE).until(() -> {
        try {
          f.signals.exitsOf(service("other", "x"), "x-00001-a", since);
          return false;
        } catch (SignalsUnavailableException e) {
          return e.getMessage().contains("grant roles/logging.viewer");
        }
      });
      assertThatThrownBy(() -> f.signals.exitsOf(service("other", "x"), "x-00001-a", since))
          .isInstanceOf(SignalsUnavailableException.class).hasMessageStartingWith("Cloud Logging");
      f.emulator.faults().clear();
      await().atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(SignalsUnavailableException.class)
          .until(() -> f.signals.exitsOf(service("other", "x"), "x-00001-a", since).isEmpty());
    }
  }
}
