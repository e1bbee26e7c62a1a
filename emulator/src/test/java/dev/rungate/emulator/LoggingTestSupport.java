package dev.rungate.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.logging.v2.LoggingClient;
import com.google.cloud.logging.v2.LoggingSettings;
import com.google.logging.v2.ListLogEntriesRequest;
import com.google.logging.v2.LogEntry;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The real google-cloud-logging client on the emulator's channel, and patience for ingestion delay.
 */
final class LoggingTestSupport {
  private LoggingTestSupport() {}

  static LoggingClient client(ManagedChannel channel) {
    try {
      return LoggingClient.create(
          LoggingSettings.newBuilder()
              .setTransportChannelProvider(
                  FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
              .setCredentialsProvider(NoCredentialsProvider.create())
              .build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every page of a query, oldest first. */
  static List<LogEntry> list(LoggingClient logging, String project, String filter) {
    List<LogEntry> entries = new ArrayList<>();
    logging
        .listLogEntries(
            ListLogEntriesRequest.newBuilder()
                .addResourceNames("projects/" + project)
                .setFilter(filter)
                .setOrderBy("timestamp asc")
                .build())
        .iterateAll()
        .forEach(entries::add);
    return entries;
  }

  /**
   * Retries the assertion every 100 ms until it holds or {@code within} has passed (then its error
   * is thrown). For what takes real time (a stream to deliver, a process to start), not for the
   * emulator's windows: those pass when a test advances its clock.
   */
  /**
   * Waits (real time, at most 20 s) until the emulator has this many tail sessions open on the
   * project.
   */
  static void awaitTailSessions(EmulatorServer server, String project, int open)
      throws InterruptedException {
    eventually(
        Duration.ofSeconds(20),
        () ->
            assertThat(server.tailSessions(project))
                .as("tail sessions open on " + project)
                .isEqualTo(open));
  }

  static void eventually(Duration within, Runnable assertion) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      try {
        assertion.run();
        return;
      } catch (AssertionError e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }
}
