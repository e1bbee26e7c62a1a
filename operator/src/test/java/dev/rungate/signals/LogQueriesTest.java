package dev.rungate.signals;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.MonitoredResource;
import com.google.logging.type.HttpRequest;
import com.google.logging.v2.LogEntry;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import dev.rungate.emulator.logging.LogFilter;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The feed's query, run by the emulator's implementation of the Logging query language: it keeps
 * every entry that can be an exit or the evidence before one, and leaves out Cloud Run's request
 * log and its other system entries.
 */
class LogQueriesTest {
  private static final Instant AT = Instant.parse("2026-12-03T10:00:00Z");

  private static LogEntry.Builder entry(String revision, String log, Instant at) {
    return LogEntry.newBuilder()
        .setLogName("projects/demo/logs/" + log)
        .setResource(
            MonitoredResource.newBuilder()
                .setType("cloud_run_revision")
                .putLabels("project_id", "demo")
                .putLabels("service_name", "pay")
                .putLabels("revision_name", revision))
        .setTimestamp(
            Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()));
  }

  private static LogEntry text(String log, String text) {
    return entry("pay-00002-a", log, AT).setTextPayload(text).build();
  }

  private static boolean kept(LogEntry e) {
    return LogFilter.parse(LogQueries.tail("demo", Set.of("pay-00002-a", "pay-00003-b"))).test(e);
  }

  @Test
  void keepsExitsAndEveryLineThatCanBeEvidence() {
    assertThat(kept(text(RevisionLog.SYSTEM_LOG, "Container called exit(3)."))).isTrue();
    assertThat(kept(text("run.googleapis.com%2Fstdout", "Reason: Worker failed to boot.")))
        .isTrue();
    assertThat(kept(text("run.googleapis.com%2Fstderr", "Application startup failed. Exiting.")))
        .isTrue();
    assertThat(kept(text("run.googleapis.com%2Fstdout", "GET /checkout HTTP/1.1 200")))
        .as(
            "an access log the app "
                + "prints is a line like any other: it can be the last before an exit")
        .isTrue();
    assertThat(
            kept(
                entry("pay-00002-a", "run.googleapis.com%2Fstdout", AT)
                    .setJsonPayload(
                        Struct.newBuilder()
                            .putFields(
                                "message",
                                Value.newBuilder().setStringValue("redis refused").build()))
                    .build()))
        .isTrue();
    assertThat(kept(text("my-app", "written with the Cloud Logging client library"))).isTrue();
    assertThat(
            kept(
                entry("pay-00003-b", RevisionLog.SYSTEM_LOG, AT)
                    .setTextPayload("Container called exit(4).")
                    .build()))
        .as("any revision asked about")
        .isTrue();
  }

  @Test
  void leavesOutTheRequestLogTheOtherSystemEntriesAndOtherRevisions() {
    assertThat(
            kept(
                entry("pay-00002-a", LogQueries.REQUEST_LOG, AT)
                    .setHttpRequest(
                        HttpRequest.newBuilder()
                            .setRequestMethod("GET")
                            .setRequestUrl("https://pay.example/checkout")
                            .setStatus(200))
                    .build()))
        .as("Cloud Run's request log: no text, never an exit nor evidence")
        .isFalse();
    assertThat(kept(text(RevisionLog.SYSTEM_LOG, "Starting new instance. Reason: AUTOSCALING")))
        .isFalse();
    assertThat(
            kept(
                text(
                    RevisionLog.SYSTEM_LOG,
                    "Default STARTUP TCP probe failed 1 time consecutively for "
                        + "container \"pay\" on port 8080. The instance was not started.")))
        .isFalse();
    assertThat(
            kept(
                entry("pay-00009-z", RevisionLog.SYSTEM_LOG, AT)
                    .setTextPayload("Container called exit(3).")
                    .build()))
        .isFalse();
  }

  @Test
  void theBackfillReadsTheSameEntriesWithinItsSpan() {
    LogFilter between =
        LogFilter.parse(LogQueries.between("demo", Set.of("pay-00002-a"), AT, AT.plusSeconds(60)));
    assertThat(
            between.test(
                entry("pay-00002-a", "run.googleapis.com%2Fstdout", AT)
                    .setTextPayload("first")
                    .build()))
        .isTrue();
    assertThat(
            between.test(
                entry("pay-00002-a", "run.googleapis.com%2Fstdout", AT.plusSeconds(60))
                    .setTextPayload("last")
                    .build()))
        .isTrue();
    assertThat(
            between.test(
                entry("pay-00002-a", "run.googleapis.com%2Fstdout", AT.minusMillis(1))
                    .setTextPayload("before")
                    .build()))
        .isFalse();
    assertThat(
            between.test(
                entry("pay-00002-a", "run.googleapis.com%2Fstdout", AT.plusSeconds(61))
                    .setTextPayload("after: the stream's")
                    .build()))
        .isFalse();
    assertThat(
            between.test(entry("pay-00002-a", LogQueries.REQUEST_LOG, AT.plusSeconds(1)).build()))
        .isFalse();
  }
}
