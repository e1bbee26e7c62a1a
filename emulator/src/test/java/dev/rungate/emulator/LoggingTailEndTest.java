package dev.rungate.emulator;

import static dev.rungate.emulator.LoggingApiTest.API;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.ClientStream;
import com.google.api.gax.rpc.OutOfRangeException;
import com.google.api.gax.rpc.ResponseObserver;
import com.google.api.gax.rpc.StreamController;
import com.google.api.gax.rpc.UnavailableException;
import com.google.cloud.logging.v2.LoggingClient;
import com.google.logging.v2.LogEntry;
import com.google.logging.v2.TailLogEntriesRequest;
import com.google.logging.v2.TailLogEntriesResponse;
import dev.rungate.emulator.logging.LoggingConfig;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How open TailLogEntries sessions end, through the real google-cloud-logging client: a Logging
 * outage (a fault armed on TailLogEntries) ends them at once with its code, and a session ends with
 * OUT_OF_RANGE at its maximum duration (gcloud's tail: "The maximum duration for tail has been
 * met").
 */
@Tag("real")
class LoggingTailEndTest {
  private static final String TAIL = "google.logging.v2.LoggingServiceV2/TailLogEntries";
  private static final String LIST = "google.logging.v2.LoggingServiceV2/ListLogEntries";

  /**
   * One tail session on project demo: what it received and how it ended (null while open, OK for
   * completed).
   */
  private static final class Session implements ResponseObserver<TailLogEntriesResponse> {
    final List<String> texts = new CopyOnWriteArrayList<>();
    final CompletableFuture<Throwable> ended = new CompletableFuture<>();
    final ClientStream<TailLogEntriesRequest> requests;

    Session(LoggingClient logging) {
      requests = logging.tailLogEntriesCallable().splitCall(this);
      requests.send(
          TailLogEntriesRequest.newBuilder()
              .addResourceNames("projects/demo")
              .setBufferWindow(com.google.protobuf.Duration.getDefaultInstance())
              .build());
    }

    @Override
    public void onStart(StreamController controller) {}

    @Override
    public void onResponse(TailLogEntriesResponse response) {
      response.getEntriesList().stream().map(LogEntry::getTextPayload).forEach(texts::add);
    }

    @Override
    public void onError(Throwable t) {
      ended.complete(t);
    }

    @Override
    public void onComplete() {
      ended.complete(null);
    }

    /**
     * Writes a line until the session receives it (the session is open then), and forgets what it
     * received.
     */
    void awaitOpen(EmulatorServer server) throws InterruptedException {
      for (int i = 0; texts.isEmpty(); i++) {
        if (i % 5 == 0) {
          server.logs().stdout(API, "opening");
        }
        assertThat(i).as("the session opened within 20 s").isLessThan(200);
        Thread.sleep(100);
      }
      texts.clear();
    }

    Throwable awaitEnd() throws Exception {
      return ended.get(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void aTailFaultEndsOpenSessionsWithItsCodeAndRefusesNewOnesUntilCleared() throws Exception {
    LoggingApiTest.withLogging(
        LoggingConfig.immediate(),
        (server, logging) -> {
          Session first = new Session(logging);
          Session second = new Session(logging);
          first.awaitOpen(server);
          second.awaitOpen(server);
          server.logs().stdout(API, "before the outage");
          LoggingTestSupport.eventually(
              Duration.ofSeconds(10),
              () -> {
                assertThat(first.texts).containsExactly("before the outage");
                assertThat(second.texts).containsExactly("before the outage");
              });
          server
              .faults()
              .inject(new FaultInjector.Fault(LIST, Status.Code.UNAVAILABLE, 5, Duration.ZERO));
          server
              .faults()
              .inject(new FaultInjector.Fault(TAIL, Status.Code.OK, 5, Duration.ofMillis(1)));
          Thread.sleep(500);
          assertThat(first.ended)
              .as("a fault on ListLogEntries, or a delay, leaves open tails alone")
              .isNotDone();

          server
              .faults()
              .inject(new FaultInjector.Fault(TAIL, Status.Code.UNAVAILABLE, 1000, Duration.ZERO));
          assertThat(first.awaitEnd()).isInstanceOf(UnavailableException.class);
          assertThat(second.awaitEnd())
              .isInstanceOf(UnavailableException.class)
              .hasMessageContaining("fault injected by rungate-emulator");
          server.faults().clear(); // the delay-only fault went with it
          Session after = new Session(logging);
          after.awaitOpen(server);
          server.logs().stdout(API, "after the outage");
          LoggingTestSupport.eventually(
              Duration.ofSeconds(10),
              () -> assertThat(after.texts).containsExactly("after the outage"));
          after.requests.closeSend();
          assertThat(after.awaitEnd()).as("a session the client closes completes").isNull();
        });
  }

  @Test
  void aServiceWideFaultEndsTailsTooAndNewSessionsAreRefusedWhileItLasts() throws Exception {
    LoggingApiTest.withLogging(
        LoggingConfig.immediate(),
        (server, logging) -> {
          Session open = new Session(logging);
          open.awaitOpen(server);
          server
              .faults()
              .inject(
                  new FaultInjector.Fault(
                      "google.logging.v2.LoggingServiceV2/*",
                      Status.Code.PERMISSION_DENIED,
                      1000,
                      Duration.ZERO));
          assertThat(open.awaitEnd())
              .isInstanceOf(ApiException.class)
              .extracting(t -> ((ApiException) t).getStatusCode().getCode().name())
              .isEqualTo("PERMISSION_DENIED");
          Throwable refused = new Session(logging).awaitEnd();
          assertThat(refused)
              .isInstanceOf(ApiException.class)
              .extracting(t -> ((ApiException) t).getStatusCode().getCode().name())
              .isEqualTo("PERMISSION_DENIED");
        });
  }

  @Test
  void aSessionEndsWithOutOfRangeAtItsMaximumDuration() throws Exception {
    MutableClock clock = MutableClock.startingNow();
    LoggingApiTest.withLogging(
        LoggingConfig.immediate().withTailMaxDuration(Duration.ofSeconds(3)),
        clock,
        (server, logging) -> {
          Session session = new Session(logging);
          LoggingTestSupport.awaitTailSessions(server, "demo", 1);
          server.logs().stdout(API, "within the session");
          clock.advance(Duration.ofMillis(2999));
          assertThat(server.tailSessions("demo"))
              .as("open until its maximum duration")
              .isEqualTo(1);
          LoggingTestSupport.eventually(
              Duration.ofSeconds(10),
              () -> assertThat(session.texts).containsExactly("within the session"));
          assertThat(session.ended).isNotDone();
          clock.advance(Duration.ofMillis(1));
          assertThat(server.tailSessions("demo")).as("ended at its maximum duration").isZero();
          assertThat(session.awaitEnd())
              .isInstanceOf(OutOfRangeException.class)
              .hasMessageContaining("maximum duration");
          assertThat(session.texts).containsExactly("within the session");
        });
  }
}
