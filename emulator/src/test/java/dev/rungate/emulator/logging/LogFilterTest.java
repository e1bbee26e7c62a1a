package dev.rungate.emulator.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.MonitoredResource;
import com.google.logging.type.LogSeverity;
import com.google.logging.v2.LogEntry;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

class LogFilterTest {
  private final LogEntry exit =
      LogEntry.newBuilder()
          .setLogName("projects/p/logs/run.googleapis.com%2Fvarlog%2Fsystem")
          .setResource(
              MonitoredResource.newBuilder()
                  .setType("cloud_run_revision")
                  .putLabels("service_name", "api")
                  .putLabels("revision_name", "api-00002-xyz"))
          .setSeverity(LogSeverity.WARNING)
          .setTextPayload("Container called exit(3).")
          .setInsertId("0001")
          .setTimestamp(Timestamp.newBuilder().setSeconds(1_757_400_000L))
          .build();
  private final LogEntry json =
      LogEntry.newBuilder()
          .setLogName("projects/p/logs/run.googleapis.com%2Fstdout")
          .putLabels("team", "pay")
          .setResource(
              MonitoredResource.newBuilder()
                  .setType("cloud_run_revision")
                  .putLabels("service_name", "api")
                  .putLabels("revision_name", "api-00002-xyz"))
          .setSeverity(LogSeverity.ERROR)
          .setJsonPayload(
              Struct.newBuilder()
                  .putFields(
                      "message",
                      Value.newBuilder().setStringValue("Redis AND websocket failed").build())
                  .putFields("attempt", Value.newBuilder().setNumberValue(3).build())
                  .putFields(
                      "ctx",
                      Value.newBuilder()
                          .setStructValue(
                              Struct.newBuilder()
                                  .putFields(
                                      "code", Value.newBuilder().setStringValue("E42").build()))
                          .build()))
          .setTimestamp(Timestamp.newBuilder().setSeconds(1_757_400_001L))
          .build();

  private boolean matches(String filter, LogEntry entry) {
    return LogFilter.parse(filter).test(entry);
  }

  @Test
  void comparisonsOnEveryFieldTheGateUses() {
    assertThat(
            matches(
                "resource.type=\"cloud_run_revision\" AND resource.labels.revision_name=\"api-00002-xyz\""
                    + " AND severity>=WARNING AND timestamp>=\"2025-09-09T00:00:00Z\" AND textPayload:\"exit(3)\"",
                exit))
        .isTrue();
    assertThat(matches("logName=\"projects/p/logs/run.googleapis.com%2Fvarlog%2Fsystem\"", exit))
        .isTrue();
    assertThat(matches("", exit)).isTrue();
    assertThat(matches("severity>=ERROR", exit)).isFalse();
    assertThat(matches("severity<ERROR severity!=INFO severity>300", exit)).isTrue();
    assertThat(matches("timestamp>=\"2025-09-10T00:00:00Z\"", exit)).isFalse();
    assertThat(matches("timestamp<2025-09-10T00:00:00Z", exit)).as("unquoted timestamp").isTrue();
    assertThat(matches("insertId=\"0001\"", exit)).isTrue();
    assertThat(matches("textPayload:\"EXIT(3)\"", exit)).as(": is a case-insensitive has").isTrue();
  }

  @Test
  void booleanOperatorsParenthesesAndImplicitAnd() {
    assertThat(
            matches(
                "resource.labels.revision_name=\"a\" OR resource.labels.revision_name=\"api-00002-xyz\"",
                exit))
        .isTrue();
    assertThat(matches("NOT severity=WARNING", exit)).isFalse();
    assertThat(matches("-severity=WARNING", exit)).isFalse();
    assertThat(matches("(severity=ERROR OR severity=WARNING) textPayload:exit", exit)).isTrue();
    assertThat(matches("severity=ERROR OR severity=WARNING textPayload:nothing", exit)).isFalse();
    // as in Cloud Logging, OR binds tighter than AND: a AND b OR c is a AND (b OR c)
    assertThat(matches("severity=ERROR AND severity=WARNING OR textPayload:exit", exit)).isFalse();
    assertThat(matches("NOT (severity=ERROR OR textPayload:\"nope\")", exit)).isTrue();
  }

  @Test
  void aQuotedValueContainingAndIsOneValue() {
    assertThat(matches("jsonPayload.message=\"Redis AND websocket failed\"", json)).isTrue();
    assertThat(matches("jsonPayload.message:\"AND websocket\"", json)).isTrue();
    assertThat(matches("jsonPayload.message=\"Redis\"", json)).isFalse();
  }

  @Test
  void regularExpressions() {
    assertThat(matches("textPayload=~\"exit\\\\([0-9]+\\\\)\"", exit)).isTrue();
    assertThat(matches("textPayload=~\"^Container called exit\\\\(4\\\\)\"", exit)).isFalse();
    assertThat(matches("textPayload!~\"exit\\\\(4\\\\)\"", exit)).isTrue();
    assertThat(matches("resource.labels.revision_name=~\"^api-0000[0-9]-\"", exit)).isTrue();
  }

  @Test
  void jsonPayloadLabelsAndMissingFields() {
    assertThat(matches("jsonPayload.attempt>=3 jsonPayload.ctx.code=\"E42\" labels.team=pay", json))
        .isTrue();
    assertThat(matches("jsonPayload.attempt<3", json)).isFalse();
    assertThat(matches("jsonPayload.message:*", json)).isTrue();
    assertThat(matches("jsonPayload.message:*", exit))
        .as("a text entry has no jsonPayload")
        .isFalse();
    assertThat(matches("textPayload:*", json)).isFalse();
    assertThat(matches("jsonPayload.missing=\"x\"", json)).isFalse();
    assertThat(matches("NOT jsonPayload.missing=\"x\"", json)).isTrue();
  }

  @Test
  void unsupportedConstructsAreRefusedByName() {
    assertThatThrownBy(() -> LogFilter.parse("httpRequest.status=500"))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("INVALID_ARGUMENT")
        .hasMessageContaining("unsupported filter field: httpRequest.status");
    assertThatThrownBy(() -> LogFilter.parse("severity>=LOUD"))
        .hasMessageContaining("unknown severity: LOUD");
    assertThatThrownBy(() -> LogFilter.parse("severity=(ERROR OR WARNING)"))
        .hasMessageContaining("value lists");
    assertThatThrownBy(() -> LogFilter.parse("\"boom\"")).hasMessageContaining("free-text search");
    assertThatThrownBy(() -> LogFilter.parse("severity=ERROR and textPayload:x"))
        .hasMessageContaining("free-text search");
    assertThatThrownBy(() -> LogFilter.parse("sample(insertId, 0.1)"))
        .hasMessageContaining("function sample()");
    assertThatThrownBy(() -> LogFilter.parse("(severity=ERROR"))
        .hasMessageContaining("missing ')'");
    assertThatThrownBy(() -> LogFilter.parse("textPayload=~\"(\""))
        .hasMessageContaining("bad regular expression");
    assertThatThrownBy(() -> LogFilter.parse("timestamp>=yesterday"))
        .hasMessageContaining("RFC 3339");
  }
}
