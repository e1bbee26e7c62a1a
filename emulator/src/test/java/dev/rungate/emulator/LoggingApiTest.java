package dev.rungate.emulator;

import static dev.rungate.emulator.LoggingTestSupport.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.gax.rpc.InvalidArgumentException;
import com.google.api.gax.rpc.ResourceExhaustedException;
import com.google.cloud.logging.v2.LoggingClient;
import com.google.logging.type.LogSeverity;
import com.google.logging.v2.ListLogEntriesRequest;
import com.google.logging.v2.ListLogEntriesResponse;
import com.google.logging.v2.LogEntry;
import com.google.protobuf.Timestamp;
import dev.rungate.emulator.logging.LogStore;
import dev.rungate.emulator.logging.LoggingConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The emulated Cloud Logging v2 read API, through the real google-cloud-logging client. */
@Tag("real")
class LoggingApiTest {
  static final LogStore.Source API =
      new LogStore.Source("demo", "europe-west1", "api", "api-00001-abc");
  static final String LIST = "google.logging.v2.LoggingServiceV2/ListLogEntries";

  /** Runs the body with an emulator using the given Logging settings and the real client on it. */
  static void withLogging(LoggingConfig config, Consumer2 body) throws Exception {
    withLogging(config, Clock.systemUTC(), body);
  }

  /**
   * As above, on this clock: with a {@link MutableClock} the emulator's windows pass when the test
   * advances it.
   */
  static void withLogging(LoggingConfig config, Clock clock, Consumer2 body) throws Exception {
    try (EmulatorServer server =
            EmulatorServer.start(0, EmulatorConfig.defaults().withClock(clock), config);
        EmulatorClients clients = new EmulatorClients(server.endpoint());
        LoggingClient logging = LoggingTestSupport.client(clients.channel())) {
      body.accept(server, logging);
    }
  }

  interface Consumer2 {
    void accept(EmulatorServer server, LoggingClient logging) throws Exception;
  }

  private static ListLogEntriesResponse page(
      LoggingClient logging, String project, String filter, String order, int size, String token) {
    return logging
        .listLogEntriesCallable()
        .call(
            ListLogEntriesRequest.newBuilder()
                .addResourceNames("projects/" + project)
                .setFilter(filter)
                .setOrderBy(order)
                .setPageSize(size)
                .setPageToken(token)
                .build());
  }

  @Test
  void listIsLimitedTo60CallsPerMinutePerProjectAndCounted() throws Exception {
    MutableClock clock = MutableClock.startingNow();
    withLogging(
        LoggingConfig.defaults(),
        clock,
        (server, logging) -> {
          for (int i = 0; i < 60; i++) {
            page(logging, "demo", "severity>=ERROR", "", 10, "");
          }
          assertThatThrownBy(() -> page(logging, "demo", "severity>=ERROR", "", 10, ""))
              .isInstanceOf(ResourceExhaustedException.class)
              .hasMessageContaining("Read requests per minute")
              .hasMessageContaining("(60 per minute)");
          assertThat(page(logging, "other", "", "", 10, "").getEntriesList())
              .as("another project has its own quota")
              .isEmpty();
          assertThat(server.stats().of("demo", LIST)).isEqualTo(new CallStats.Counts(61, 1));
          assertThat(server.stats().of("other", LIST)).isEqualTo(new CallStats.Counts(1, 0));

          clock.advance(Duration.ofMillis(59_999));
          assertThatThrownBy(() -> page(logging, "demo", "", "", 10, ""))
              .as("the 60 calls are still inside the minute")
              .isInstanceOf(ResourceExhaustedException.class);
          clock.advance(Duration.ofMillis(1));
          assertThat(page(logging, "demo", "", "", 10, "").getEntriesList())
              .as("a minute after them the quota is back")
              .isEmpty();
          assertThat(server.stats().of("demo", LIST)).isEqualTo(new CallStats.Counts(63, 2));
        });
  }

  @Test
  void theQuotaWindowIsASetting() throws Exception {
    MutableClock clock = MutableClock.startingNow();
    LoggingConfig tenPerTenSeconds =
        LoggingConfig.defaults()
            .withListQuotaPerMinute(10)
            .withListQuotaWindow(Duration.ofSeconds(10));
    withLogging(
        tenPerTenSeconds,
        clock,
        (server, logging) -> {
          for (int i = 0; i < 10; i++) {
            page(logging, "demo", "", "", 10, "");
            clock.advance(Duration.ofMillis(500));
          }
          assertThatThrownBy(() -> page(logging, "demo", "", "", 10, ""))
              .isInstanceOf(ResourceExhaustedException.class)
              .hasMessageContaining("(10 per PT10S)");
          clock.advance(Duration.ofMillis(5_000));
          assertThat(page(logging, "demo", "", "", 10, "").getEntriesList())
              .as("the first call left the window")
              .isEmpty();
          assertThatThrownBy(() -> page(logging, "demo", "", "", 10, ""))
              .as("the second has not (a sliding window)")
              .isInstanceOf(ResourceExhaustedException.class);
        });
  }

  @Test
  void entriesBecomeVisibleAfterTheirIngestionDelayInAnyOrder() throws Exception {
    MutableClock clock = MutableClock.startingNow();
    withLogging(
        LoggingConfig.defaults().withListQuotaPerMinute(0),
        clock,
        (server, logging) -> {
          for (int i = 0; i < 40; i++) {
            server.logs().stdout(API, "line " + i);
          }
          assertThat(list(logging, "demo", "")).as("nothing is visible at once").isEmpty();
          clock.advance(Duration.ofMillis(999));
          assertThat(list(logging, "demo", "")).as("nor before the shortest delay (1 s)").isEmpty();
          clock.advance(Duration.ofMillis(1));
          int atOneSecond = list(logging, "demo", "").size();
          clock.advance(Duration.ofSeconds(4));
          List<LogEntry> entries = list(logging, "demo", "");
          assertThat(entries).as("every entry by the longest delay (5 s)").hasSize(40);
          assertThat(atOneSecond).as("delays are drawn per entry in 1-5 s").isLessThan(40);
          assertThat(entries)
              .extracting(LogEntry::getTextPayload)
              .as("timestamp order, the order of writing")
              .containsExactly(
                  IntStream.range(0, 40).mapToObj(i -> "line " + i).toArray(String[]::new));
          List<LogEntry> byArrival = new ArrayList<>(entries);
          byArrival.sort(Comparator.comparing(e -> LogFilterInstant.of(e.getReceiveTimestamp())));
          assertThat(byArrival).as("received out of order").isNotEqualTo(entries);
          assertThat(entries)
              .allSatisfy(
                  e ->
                      assertThat(LogFilterInstant.of(e.getReceiveTimestamp()))
                          .isAfterOrEqualTo(LogFilterInstant.of(e.getTimestamp()).plusMillis(999)));
        });
  }

  @Test
  void pageTokensStayCorrectWhileEntriesArrive() throws Exception {
    withLogging(
        LoggingConfig.immediate(),
        (server, logging) -> {
          for (int i = 0; i < 25; i++) {
            server.logs().stdout(API, "old " + i);
          }
          ListLogEntriesResponse first = page(logging, "demo", "", "timestamp desc", 10, "");
          for (int i = 0; i < 5; i++) {
            server.logs().stdout(API, "new " + i);
          }
          List<String> seen =
              new ArrayList<>(
                  first.getEntriesList().stream().map(LogEntry::getTextPayload).toList());
          String token = first.getNextPageToken();
          while (!token.isEmpty()) {
            ListLogEntriesResponse next = page(logging, "demo", "", "timestamp desc", 10, token);
            next.getEntriesList().forEach(e -> seen.add(e.getTextPayload()));
            token = next.getNextPageToken();
          }
          assertThat(seen)
              .as("each old entry once, newest first, none of the newer ones shifting the pages")
              .containsExactly(
                  IntStream.range(0, 25)
                      .map(i -> 24 - i)
                      .mapToObj(i -> "old " + i)
                      .toArray(String[]::new));
          assertThatThrownBy(
                  () -> page(logging, "demo", "", "timestamp asc", 10, first.getNextPageToken()))
              .as("a desc token is refused in an asc query")
              .isInstanceOf(InvalidArgumentException.class);
        });
  }

  @Test
  void aSelectiveQueryGetsEmptyPagesThatStillCarryAToken() throws Exception {
    withLogging(
        LoggingConfig.immediate().withListScanBudget(5),
        (server, logging) -> {
          for (int i = 0; i < 12; i++) {
            server.logs().stdout(API, "noise " + i);
          }
          server.logs().system(API, LogSeverity.WARNING, "Container called exit(3).");
          ListLogEntriesResponse first =
              page(logging, "demo", "textPayload:\"exit(3)\"", "", 100, "");
          assertThat(first.getEntriesList()).isEmpty();
          assertThat(first.getNextPageToken()).isNotEmpty();
          assertThat(list(logging, "demo", "textPayload:\"exit(3)\""))
              .extracting(LogEntry::getTextPayload)
              .as("the client's iterateAll follows the tokens")
              .containsExactly("Container called exit(3).");
        });
  }

  @Test
  void jsonLinesBecomeJsonPayloadEntriesWithTheirSeverity() throws Exception {
    withLogging(
        LoggingConfig.immediate(),
        (server, logging) -> {
          server
              .logs()
              .stdout(
                  API,
                  "{\"severity\":\"ERROR\",\"message\":\"Redis AND websocket: AUTH failed\",\"attempt\":3}");
          server.logs().stdout(API, "plain {not json}");
          List<LogEntry> json =
              list(
                  logging,
                  "demo",
                  "jsonPayload.message:\"AND websocket\" AND jsonPayload.attempt=3");
          assertThat(json)
              .singleElement()
              .satisfies(
                  e -> {
                    assertThat(e.getSeverity()).isEqualTo(LogSeverity.ERROR);
                    assertThat(e.getJsonPayload().getFieldsMap())
                        .containsKeys("message", "attempt")
                        .doesNotContainKey("severity");
                    assertThat(e.hasTextPayload()).isFalse();
                  });
          assertThat(list(logging, "demo", "textPayload:*"))
              .extracting(LogEntry::getTextPayload)
              .containsExactly("plain {not json}");
        });
  }

  @Test
  void theQueryLanguageRealClientsSendAndClearRefusals() throws Exception {
    withLogging(
        LoggingConfig.immediate(),
        (server, logging) -> {
          LogStore.Source web = new LogStore.Source("demo", "europe-west1", "web", "web-00001-xyz");
          server.logs().system(API, LogSeverity.WARNING, "Container called exit(3).");
          server.logs().system(web, LogSeverity.WARNING, "Container called exit(1).");
          server.logs().stdout(web, "ready");
          assertThat(
                  list(
                      logging,
                      "demo",
                      "(resource.labels.revision_name=\"api-00001-abc\" OR "
                          + "resource.labels.revision_name=\"web-00001-xyz\") textPayload=~\"exit\\\\([13]\\\\)\" NOT severity<WARNING"))
              .extracting(LogEntry::getTextPayload)
              .containsExactly("Container called exit(3).", "Container called exit(1).");
          assertThatThrownBy(
                  () -> list(logging, "demo", "resource.labels.revision_name=(\"a\" OR \"b\")"))
              .isInstanceOf(InvalidArgumentException.class)
              .hasMessageContaining("value lists");
          assertThatThrownBy(() -> list(logging, "demo", "operation.id=\"x\""))
              .isInstanceOf(InvalidArgumentException.class)
              .hasMessageContaining("unsupported filter field: operation.id");
        });
  }

  /** Instants of protobuf timestamps. */
  static final class LogFilterInstant {
    static Instant of(Timestamp t) {
      return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }
  }
}
