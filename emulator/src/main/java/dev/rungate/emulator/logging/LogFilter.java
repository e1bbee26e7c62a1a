package dev.rungate.emulator.logging;

import com.google.logging.type.LogSeverity;
import com.google.logging.v2.LogEntry;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The subset of the Cloud Logging query language a deploy gate uses: comparisons on
 * resource.type, resource.labels.*, logName, severity, timestamp and textPayload, joined by AND.
 */
public final class LogFilter implements Predicate<LogEntry> {
  private static final Pattern CLAUSE =
      Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_.]*)\\s*(>=|<=|!=|=|>|<|:)\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|\\S+)\\s*");

  private record Clause(String field, String op, String value) {}

  private final List<Clause> clauses;

  private LogFilter(List<Clause> clauses) {
    this.clauses = clauses;
  }

  /** Parses a filter; throws INVALID_ARGUMENT for anything outside the supported subset. */
  static LogFilter parse(String filter) {
    List<Clause> clauses = new ArrayList<>();
    if (filter != null && !filter.isBlank()) {
      for (String part : filter.trim().split("\\s+AND\\s+|\\n+")) {
        if (part.isBlank()) {
          continue;
        }
        Matcher m = CLAUSE.matcher(part);
        if (!m.matches()) {
          throw invalid("unsupported filter expression: " + part);
        }
        Clause clause = new Clause(m.group(1), m.group(2), unquote(m.group(3)));
        check(clause);
        clauses.add(clause);
      }
    }
    return new LogFilter(List.copyOf(clauses));
  }

  private static void check(Clause clause) {
    String f = clause.field();
    boolean known = f.equals("resource.type") || f.startsWith("resource.labels.") || f.equals("logName")
        || f.equals("severity") || f.equals("timestamp") || f.equals("textPayload") || f.equals("insertId");
    if (!known) {
      throw invalid("unsupported filter field: " + f);
    }
    if (f.equals("severity")) {
      severity(clause.value());
    } else if (f.equals("timestamp")) {
      instant(clause.value());
    }
  }

  @Override
  public boolean test(LogEntry entry) {
    return clauses.stream().allMatch(c -> matches(c, entry));
  }

  private static boolean matches(Clause c, LogEntry entry) {
    switch (c.field()) {
      case "severity":
        return compare(entry.getSeverityValue(), severity(c.value()).getNumber(), c.op());
      case "timestamp":
        return compare(toInstant(entry.getTimestamp()).compareTo(instant(c.value())), 0, c.op());
      default:
        return compareText(text(c.field(), entry), c.value(), c.op());
    }
  }

  private static String text(String field, LogEntry entry) {
    if (field.equals("resource.type")) {
      return entry.getResource().getType();
    } else if (field.startsWith("resource.labels.")) {
      return entry.getResource().getLabelsOrDefault(field.substring("resource.labels.".length()), "");
    } else if (field.equals("logName")) {
      return entry.getLogName();
    } else if (field.equals("insertId")) {
      return entry.getInsertId();
    }
    return entry.getTextPayload();
  }

  private static boolean compareText(String actual, String wanted, String op) {
    switch (op) {
      case ":":
        return actual.toLowerCase(Locale.ROOT).contains(wanted.toLowerCase(Locale.ROOT));
      case "=":
        return actual.equals(wanted);
      case "!=":
        return !actual.equals(wanted);
      default:
        return compare(actual.compareTo(wanted), 0, op);
    }
  }

  private static boolean compare(long left, long right, String op) {
    switch (op) {
      case ">=": return left >= right;
      case "<=": return left <= right;
      case ">": return left > right;
      case "<": return left < right;
      case "!=": return left != right;
      default: return left == right;
    }
  }

  private static LogSeverity severity(String value) {
    try {
      return LogSeverity.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw invalid("unknown severity: " + value);
    }
  }

  private static Instant instant(String value) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (RuntimeException e) {
      throw invalid("timestamp must be RFC 3339, got: " + value);
    }
  }

  public static Instant toInstant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  private static String unquote(String value) {
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      return value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
    }
    return value;
  }

  private static RuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }
}
