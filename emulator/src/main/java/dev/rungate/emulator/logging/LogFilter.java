package dev.rungate.emulator.logging;

import com.google.logging.v2.LogEntry;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * A Cloud Logging query: comparisons (=, !=, <, <=, >, >=, : has, =~ and !~ regular expressions) on
 * timestamp, receiveTimestamp, severity, logName, resource.type, resource.labels.K, labels.K,
 * textPayload, jsonPayload.PATH and insertId, joined by AND, OR, NOT (or -), parentheses and
 * juxtaposition (implicit AND). As in Cloud Logging, OR binds tighter than AND. What is not
 * supported (free-text search, value lists, functions, other fields) is refused with
 * INVALID_ARGUMENT naming it.
 */
public final class LogFilter implements Predicate<LogEntry> {
  private final Predicate<LogEntry> root;

  private LogFilter(Predicate<LogEntry> root) {
    this.root = root;
  }

  /** Parses a filter; throws INVALID_ARGUMENT naming the construct it does not support. */
  public static LogFilter parse(String filter) {
    return new LogFilter(new LogQueryParser(filter == null ? "" : filter).parse());
  }

  @Override
  public boolean test(LogEntry entry) {
    return root.test(entry);
  }

  public static Instant toInstant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  static RuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }
}
