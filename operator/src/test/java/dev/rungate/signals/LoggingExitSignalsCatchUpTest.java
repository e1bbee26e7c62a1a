package dev.rungate.signals;

import static dev.rungate.signals.LogFeedFixture.service;
import static dev.rungate.signals.LogFeedFixture.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.logging.type.LogSeverity;
import dev.rungate.api.spec.ServiceRef;
import dev.rungate.domain.ContainerExit;
import dev.rungate.emulator.FaultInjector;
import dev.rungate.emulator.logging.LoggingConfig;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the gate relies on after Cloud Logging was not read for a while (an outage, or a revision
 * asked about for the first time): until every entry of that time has been read, the revision's
 * exits are unknown (an exception), never "no exits". On the emulator's Logging with its real
 * defaults (quota 60/min, 1-5 s ingestion delay).
 */
@Tag("real")
class LoggingExitSignalsCatchUpTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final int REQUEST_LINES = 2500;

  /**
   * One answer of exitsOf: the exit codes it listed, or the message it threw; at millis since the
   * epoch.
   */
  record Answer(long at, List<Integer> codes, String unknown) {
    boolean hasExit3() {
      return codes != null && codes.contains(3);
    }

    boolean none() {
      return codes != null && !codes.contains(3);
    }
  }

  /**
   * Asks about a revision every 100 ms on its own thread, as a reconciler would (only more often),
   * keeping every answer.
   */
  static final class Asker implements AutoCloseable {
    final List<Answer> answers = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean stop;

    Asker(LogFeedFixture f, ServiceRef service, String revision, Instant since) {
      thread =
          new Thread(
              () -> {
                while (!stop) {
                  long at = System.currentTimeMillis();
                  try {
                    answers.add(
                        new Answer(
                            at,
                            f.signals.exitsOf(service, revision, since).stream()
                                .map(ContainerExit::exitCode)
                                .toList(),
                            null));
                  } catch (SignalsUnavailableException e) {
                    answers.add(new Answer(at, null, e.getMessage()));
                  }
                  try {
                    Thread.sleep(100);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "asker-" + revision);
      thread.setDaemon(true);
      thread.start();
    }

    boolean sawExit3() {
      return answers.stream().anyMatch(Answer::hasExit3);
    }

    @Override
    public void close() throws InterruptedException {
      stop = true;
      thread.join(5000);
    }
  }

  /**
   * Request lines (an access log on stdout), then the exit: all of it ingested before the caller
   * goes on.
   */
  private static void requestLinesThenExit3(LogFeedFixture f, ServiceRef service, String revision)
      throws Exception {
    for (int i = 0; i < REQUEST_LINES; i++) {
      f.logs().stdout(source(service, revision), "GET /checkout HTTP/1.1 200 request " + i);
    }
    f.logs().system(source(service, revision), LogSeverity.WARNING, "Container called exit(3).");
    Thread.sleep(
        6000); // longer than the longest ingestion delay (5 s): only a ListLogEntries can find them
    // now
  }

  private static String summary(List<Answer> answers, long from) {
    List<Answer> none = answers.stream().filter(Answer::none).toList();
    return none.isEmpty()
        ? "no answer of 'no exits'"
        : none.size()
            + " answers of 'no exits' from "
            + (none.get(0).at() - from) / 1000.0
            + " s to "
            + (none.get(none.size() - 1).at() - from) / 1000.0
            + " s";
  }

  @Test
  void afterAnOutageEveryAnswerIsUnknownOrHasTheExitLoggedDuringIt() throws Exception {
    try (LogFeedFixture f = new LogFeedFixture(LoggingConfig.defaults())) {
      ServiceRef pay = service("demo", "pay");
      String revision = "pay-00002-gap";
      Instant since = Instant.now();
      await()
          .atMost(PATIENCE)
          .ignoreExceptionsInstanceOf(SignalsUnavailableException.class)
          .until(
              () ->
                  f.signals.exitsOf(pay, revision, since).isEmpty()
                      && f.signals.streamedRevisions("demo") == 1
                      && f.emulator.stats().of("demo", LogFeedFixture.LIST).calls() >= 1);

      try (Asker asker = new Asker(f, pay, revision, since)) {
        long injected = System.currentTimeMillis();
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
            .until(
                () ->
                    asker.answers.stream()
                        .anyMatch(a -> a.at() >= injected && a.unknown() != null));
        // the outage begins for the reader when its stream ends (an answer racing the end may still
        // say "none":
        // nothing has been logged since); everything below is logged after that
        long outage =
            asker.answers.stream()
                .filter(a -> a.at() >= injected && a.unknown() != null)
                .findFirst()
                .orElseThrow()
                .at();
        requestLinesThenExit3(f, pay, revision);
        long listsBefore = f.emulator.stats().of("demo", LogFeedFixture.LIST).calls();
        long recovered = System.currentTimeMillis();
        f.emulator.faults().clear();
        await().atMost(PATIENCE).until(asker::sawExit3);
        asker.close();

        List<Answer> answers = asker.answers.stream().filter(a -> a.at() >= outage).toList();
        Answer first = answers.stream().filter(Answer::hasExit3).findFirst().orElseThrow();
        List<Answer> untilExit = answers.stream().filter(a -> a.at() <= first.at()).toList();
        long lists = f.emulator.stats().of("demo", LogFeedFixture.LIST).calls() - listsBefore;
        System.out.printf(
            "outage catch-up: exit returned %.1f s after Logging recovered; %d answers from the outage's "
                + "start to the exit: %d unknown, %s; %d ListLogEntries after recovery%n",
            (first.at() - recovered) / 1000.0,
            untilExit.size(),
            untilExit.stream().filter(a -> a.unknown() != null).count(),
            summary(untilExit, recovered),
            lists);
        assertThat(untilExit)
            .as(
                "from the outage's start until the exit is returned, every answer is unknown or "
                    + "has the exit; seen: "
                    + summary(untilExit, recovered)
                    + " after recovery")
            .noneMatch(Answer::none);
        assertThat(untilExit)
            .filteredOn(a -> a.unknown() != null)
            .extracting(Answer::unknown)
            .as("each says why: Logging down, or what is not read yet")
            .allMatch(
                m ->
                    m.contains("(UNAVAILABLE)")
                        || m.contains("catching up on Cloud Logging after an outage")
                            && m.contains("not read yet"));
        assertThat(f.signals.exitsOf(pay, revision, since))
            .singleElement()
            .satisfies(
                exit ->
                    assertThat(exit.evidence())
                        .as("the request lines just before the exit are its evidence")
                        .hasSize(LoggingExitSignals.EVIDENCE_LINES)
                        .last()
                        .isEqualTo("GET /checkout HTTP/1.1 200 request " + (REQUEST_LINES - 1)));
        assertThat(f.rejected("demo")).as("within Cloud Logging's read quota").isZero();
      }
    }
  }

  @Test
  void whatARevisionLoggedBeforeItWasFirstAskedAboutIsUnknownUntilReadNotNone() throws Exception {
    try (LogFeedFixture f = new LogFeedFixture(LoggingConfig.defaults())) {
      ServiceRef pay = service("demo", "pay");
      String revision = "pay-00003-old";
      Instant since = Instant.now();
      requestLinesThenExit3(f, pay, revision);
      long asked = System.currentTimeMillis();
      try (Asker asker = new Asker(f, pay, revision, since)) {
        await().atMost(PATIENCE).until(asker::sawExit3);
        asker.close();
        Answer first = asker.answers.stream().filter(Answer::hasExit3).findFirst().orElseThrow();
        List<Answer> untilExit = asker.answers.stream().filter(a -> a.at() <= first.at()).toList();
        System.out.printf(
            "first ask: exit returned %.1f s after it; %d answers before it, %s%n",
            (first.at() - asked) / 1000.0, untilExit.size() - 1, summary(untilExit, asked));
        assertThat(untilExit)
            .as(
                "until what it logged before is read, its exits are unknown; seen: "
                    + summary(untilExit, asked))
            .noneMatch(Answer::none);
        assertThat(untilExit.get(0).unknown()).as("the first answer").contains("not read yet");
      }
    }
  }

  @Test
  void aRevisionWhoseLogIsReadIsAnsweredWhileAnotherOneCatchesUp() throws Exception {
    try (LogFeedFixture f = new LogFeedFixture(LoggingConfig.defaults())) {
      ServiceRef pay = service("demo", "pay");
      Instant since = Instant.now();
      await()
          .atMost(PATIENCE)
          .ignoreExceptionsInstanceOf(SignalsUnavailableException.class)
          .until(() -> f.signals.exitsOf(pay, "pay-00004-read", since).isEmpty());
      requestLinesThenExit3(f, pay, "pay-00005-new");
      try (Asker read = new Asker(f, pay, "pay-00004-read", since);
          Asker catching = new Asker(f, pay, "pay-00005-new", since)) {
        await().atMost(PATIENCE).until(catching::sawExit3);
        catching.close();
        read.close();
        assertThat(catching.answers.get(0).unknown())
            .as("the new revision's first answer")
            .contains("not read yet");
        assertThat(catching.answers).noneMatch(Answer::none);
        assertThat(read.answers)
            .as("the revision whose log is read is answered meanwhile")
            .allSatisfy(a -> assertThat(a.codes()).isEmpty());
      }
    }
  }
}
