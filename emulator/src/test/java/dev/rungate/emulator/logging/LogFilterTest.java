package dev.rungate.emulator.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.MonitoredResource;
import com.google.logging.type.LogSeverity;
import com.google.logging.v2.LogEntry;
import com.google.protobuf.Timestamp;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

class LogFilterTest {
  private final LogEntry exit = LogEntry.newBuilder()
      .setLogName("projects/p/logs/run.googleapis.com%2Fvarlog%2Fsystem")
      .setResource(MonitoredResource.newBuilder().setType("cloud_run_revision")
          .putLabels("service_name", "api").putLabels("revision_name", "api-00002-xyz"))
      .setSeverity(LogSeverity.WARNING).setTextPayload("Container called exit(3).")
      .setTimestamp(Timestamp.newBuilder().setSeconds(1_757_400_000L)).build();

  @Test
  void matchesTheClausesAGateUses() {
    assertThat(LogFilter.parse("resource.type=\"cloud_run_revision\" AND resource.labels.revision_name=\"api-00002-xyz\""
        + " AND textPayload:\"called exit\" AND severity>=WARNING AND timestamp>=\"2025-09-09T06:00:00Z\"")
        .test(exit)).isTrue();
    assertThat(LogFilter.parse("logName=\"projects/p/logs/run.googleapis.com%2Fvarlog%2Fsystem\"").test(exit)).isTrue();
    assertThat(LogFilter.parse("").test(exit)).isTrue();
  }

  @Test
  void rejectsEntriesFailingAnyClause() {
    assertThat(LogFilter.parse("severity>=ERROR").test(exit)).isFalse();
    assertThat(LogFilter.parse("resource.labels.revision_name=\"api-00001-abc\"").test(exit)).isFalse();
    assertThat(LogFilter.parse("timestamp>=\"2025-09-10T00:00:00Z\"").test(exit)).isFalse();
    assertThat(LogFilter.parse("textPayload:\"exit(4)\"").test(exit)).isFalse();
  }

  @Test
  void unsupportedSyntaxIsAnInvalidArgument() {
    assertThatThrownBy(() -> LogFilter.parse("jsonPayload.message:\"x\"")).isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("INVALID_ARGUMENT");
    assertThatThrownBy(() -> LogFilter.parse("severity>=LOUD")).hasMessageContaining("unknown severity");
    assertThatThrownBy(() -> LogFilter.parse("a OR b")).hasMessageContaining("unsupported");
  }
}
