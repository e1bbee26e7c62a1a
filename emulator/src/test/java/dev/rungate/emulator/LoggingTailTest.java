package dev.rungate.emulator;

import static dev.rungate.emulator.LoggingApiTest.API;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.gax.rpc.BidiStream;
import com.google.api.gax.rpc.ClientStream;
import com.google.api.gax.rpc.ResourceExhaustedException;
import com.google.api.gax.rpc.ResponseObserver;
import com.google.api.gax.rpc.StreamController;
import com.google.logging.type.LogSeverity;
import com.google.logging.v2.LogEntry;
import com.google.logging.v2.TailLogEntriesRequest;
import com.google.logging.v2.TailLogEntriesResponse;
import com.google.protobuf.Duration;
import dev.rungate.emulator.cli.EmulatorCli;
import dev.rungate.emulator.logging.LogStore;
import dev.rungate.emulator.logging.LoggingConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** TailLogEntries through the real google-cloud-logging client, and the call accounting. */
@Tag("real")
class LoggingTailTest {
  private static TailLogEntriesRequest tail(String project, String filter, long bufferMillis) {
    TailLogEntriesRequest.Builder r =
        TailLogEntriesRequest.newBuilder()
            .addResourceNames("projects/" + project)
            .setFilter(filter);
    if (bufferMillis >= 0) {
      r.setBufferWindow(
          Duration.newBuilder()
              .setSeconds(bufferMillis / 1000)
              .setNanos((int) (bufferMillis % 1000) * 1_000_000));
    }
    return r.build();
  }

  @Test
  void tailStreamsNewEntriesInTimestampOrderWithinTheBufferWindow() throws Exception {
    MutableClock clock = MutableClock.startingNow();
    LoggingApiTest.withLogging(
        LoggingConfig.defaults(),
        clock,
        (server, logging) -> {
          // a ResponseObserver, as the operator uses: gax's BidiStream iterator (a 2-slot queue)
          // lost responses here
          // when several arrived between two next() calls (29 of 30 entries seen), whatever the
          // server
          List<LogEntry> received = new CopyOnWriteArrayList<>();
          List<Integer> batchSizes = new CopyOnWriteArrayList<>();
          ClientStream<TailLogEntriesRequest> stream =
              logging
                  .tailLogEntriesCallable()
                  .splitCall(
                      new ResponseObserver<>() {
                        @Override
                        public void onStart(StreamController controller) {}

                        @Override
                        public void onResponse(TailLogEntriesResponse r) {
                          received.addAll(r.getEntriesList());
                          batchSizes.add(r.getEntriesCount());
                        }

                        @Override
                        public void onError(Throwable t) {}

                        @Override
                        public void onComplete() {}
                      });
          stream.send(
              tail(
                  "demo",
                  "resource.labels.revision_name=\"api-00001-abc\"",
                  -1)); // default window: 2 s
          LoggingTestSupport.awaitTailSessions(server, "demo", 1);
          for (int i = 0; i < 30; i++) {
            server.logs().stdout(API, "line " + i);
          }
          server
              .logs()
              .system(
                  new LogStore.Source("demo", "europe-west1", "web", "web-1"),
                  LogSeverity.WARNING,
                  "Container called exit(1).");
          for (int s = 1;
              s <= 7;
              s++) { // the longest ingestion delay (5 s) plus the window, a second at a time
            clock.advance(java.time.Duration.ofSeconds(1));
          }
          LoggingTestSupport.eventually(
              java.time.Duration.ofSeconds(15), () -> assertThat(received).hasSize(30));
          stream.closeSend();
          assertThat(received)
              .extracting(LogEntry::getTextPayload)
              .as("only the filter's entries, each once")
              .containsExactlyInAnyOrder(
                  IntStream.range(0, 30).mapToObj(i -> "line " + i).toArray(String[]::new));
          assertThat(batchSizes)
              .as("delays of 1-5 s exceed the 2 s window: entries come in more than one batch")
              .hasSizeGreaterThan(1);
          assertThat(
                  server
                      .stats()
                      .of("demo", "google.logging.v2.LoggingServiceV2/TailLogEntries")
                      .calls())
              .isEqualTo(1);
        });
  }

  @Test
  void atMostTenTailSessionsPerProjectAndStatsPrintsThem() throws Exception {
    MutableClock clock = MutableClock.startingNow();
    LoggingApiTest.withLogging(
        LoggingConfig.defaults(),
        clock,
        (server, logging) -> {
          List<BidiStream<TailLogEntriesRequest, TailLogEntriesResponse>> open = new ArrayList<>();
          for (int i = 0; i < 10; i++) {
            BidiStream<TailLogEntriesRequest, TailLogEntriesResponse> s =
                logging.tailLogEntriesCallable().call();
            s.send(tail("demo", "", 0));
            open.add(s);
          }
          LoggingTestSupport.awaitTailSessions(server, "demo", 10);
          server
              .logs()
              .stdout(
                  API,
                  "all ten are open"); // each receives it: all ten sessions are open before the
          // 11th
          clock.advance(java.time.Duration.ofSeconds(5)); // the longest ingestion delay
          List<Iterator<TailLogEntriesResponse>> received =
              open.stream().map(BidiStream::iterator).toList();
          for (Iterator<TailLogEntriesResponse> r : received) {
            assertThat(r.next().getEntries(0).getTextPayload()).isEqualTo("all ten are open");
          }
          BidiStream<TailLogEntriesRequest, TailLogEntriesResponse> eleventh =
              logging.tailLogEntriesCallable().call();
          eleventh.send(tail("demo", "", 0));
          assertThatThrownBy(() -> eleventh.iterator().hasNext())
              .isInstanceOf(ResourceExhaustedException.class)
              .hasMessageContaining("at most 10");
          open.get(0).closeSend();
          received.get(0).forEachRemaining(r -> {});
          BidiStream<TailLogEntriesRequest, TailLogEntriesResponse> again =
              logging.tailLogEntriesCallable().call();
          again.send(tail("demo", "", 0));
          LoggingTestSupport.awaitTailSessions(server, "demo", 10);
          server.logs().stdout(API, "after a session closed");
          clock.advance(java.time.Duration.ofSeconds(5));
          assertThat(again.iterator().next().getEntries(0).getTextPayload())
              .isEqualTo("after a session closed");
          open.forEach(BidiStream::cancel);
          again.cancel();

          String json = stats(server.endpoint(), "demo");
          assertThat(json)
              .contains(
                  "\"google.logging.v2.LoggingServiceV2/TailLogEntries\": {\"calls\": 12, \"rejected\": 1}");
          assertThat(stats(server.endpoint(), "nobody")).isEqualTo("{}\n");
        });
  }

  private static String stats(String endpoint, String project) {
    StringWriter captured = new StringWriter();
    int code =
        new CommandLine(new EmulatorCli())
            .setOut(new PrintWriter(captured, true))
            .execute("stats", "--endpoint", endpoint, "--project", project);
    assertThat(code).isZero();
    return captured.toString();
  }
}
