package dev.rungate.emulator.logging;

import com.google.logging.type.LogSeverity;
import com.google.logging.v2.LogEntry;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One comparison "field op value". A field the entry does not have makes the comparison false (so
 * {@code NOT f="x"} matches entries without f); {@code f:*} tests presence.
 */
final class LogComparison {
  private static final String FIELDS =
      "timestamp, receiveTimestamp, severity, logName, resource.type, "
          + "resource.labels.K, labels.K, textPayload, jsonPayload.PATH, insertId";

  private LogComparison() {}

  static Predicate<LogEntry> of(String field, String op, String value, boolean quoted) {
    checkField(field);
    if (op.equals(":") && value.equals("*") && !quoted) {
      return entry -> resolve(field, entry) != null;
    }
    if (op.equals("=~") || op.equals("!~")) {
      Pattern regex;
      try {
        regex = Pattern.compile(value);
      } catch (PatternSyntaxException e) {
        throw LogFilter.invalid(
            "bad regular expression for " + field + op + ": " + e.getDescription());
      }
      boolean wanted = op.equals("=~");
      return entry -> {
        Object actual = resolve(field, entry);
        return actual != null && regex.matcher(text(actual)).find() == wanted;
      };
    }
    Object literal = literal(field, value);
    return entry -> {
      Object actual = resolve(field, entry);
      return actual != null && compare(actual, op, literal);
    };
  }

  private static void checkField(String field) {
    boolean known =
        switch (field) {
          case "timestamp",
              "receiveTimestamp",
              "severity",
              "logName",
              "resource.type",
              "textPayload",
              "insertId" ->
              true;
          default ->
              (field.startsWith("resource.labels.")
                      || field.startsWith("labels.")
                      || field.startsWith("jsonPayload."))
                  && !field.endsWith(".");
        };
    if (!known) {
      throw LogFilter.invalid(
          "unsupported filter field: " + field + " (supported: " + FIELDS + ")");
    }
  }

  /**
   * The literal as the field's type: an Instant for timestamps, a severity number, else the text.
   */
  private static Object literal(String field, String value) {
    if (field.equals("timestamp") || field.equals("receiveTimestamp")) {
      try {
        return OffsetDateTime.parse(value).toInstant();
      } catch (RuntimeException e) {
        throw LogFilter.invalid("timestamp must be RFC 3339, got: " + value);
      }
    }
    if (field.equals("severity")) {
      return (long) severity(value).getNumber();
    }
    return value;
  }

  private static LogSeverity severity(String value) {
    try {
      if (!value.isEmpty() && Character.isDigit(value.charAt(0))) {
        LogSeverity s = LogSeverity.forNumber(Integer.parseInt(value));
        if (s != null) {
          return s;
        }
      }
      return LogSeverity.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw LogFilter.invalid("unknown severity: " + value);
    }
  }

  /** The entry's value: String, Double, Boolean, Instant, Long (severity), or null when absent. */
  static Object resolve(String field, LogEntry e) {
    switch (field) {
      case "timestamp":
        return e.hasTimestamp() ? LogFilter.toInstant(e.getTimestamp()) : null;
      case "receiveTimestamp":
        return e.hasReceiveTimestamp() ? LogFilter.toInstant(e.getReceiveTimestamp()) : null;
      case "severity":
        return (long) e.getSeverityValue();
      case "logName":
        return e.getLogName();
      case "insertId":
        return e.getInsertId();
      case "resource.type":
        return e.getResource().getType();
      case "textPayload":
        return e.hasTextPayload() ? e.getTextPayload() : null;
      default:
        break;
    }
    if (field.startsWith("resource.labels.")) {
      return e.getResource().getLabelsMap().get(field.substring("resource.labels.".length()));
    }
    if (field.startsWith("labels.")) {
      return e.getLabelsMap().get(field.substring("labels.".length()));
    }
    return e.hasJsonPayload()
        ? json(e.getJsonPayload(), field.substring("jsonPayload.".length()).split("\\."))
        : null;
  }

  private static Object json(Struct struct, String[] path) {
    Value v = null;
    Struct current = struct;
    for (String key : path) {
      if (current == null || !current.containsFields(key)) {
        return null;
      }
      v = current.getFieldsOrThrow(key);
      current = v.hasStructValue() ? v.getStructValue() : null;
    }
    switch (v.getKindCase()) {
      case STRING_VALUE:
        return v.getStringValue();
      case NUMBER_VALUE:
        return v.getNumberValue();
      case BOOL_VALUE:
        return v.getBoolValue();
      case NULL_VALUE:
        return null;
      default:
        try {
          return JsonFormat.printer().omittingInsignificantWhitespace().print(v);
        } catch (InvalidProtocolBufferException impossible) {
          return v.toString();
        }
    }
  }

  private static boolean compare(Object actual, String op, Object literal) {
    if (op.equals(":")) {
      return text(actual).toLowerCase(Locale.ROOT).contains(text(literal).toLowerCase(Locale.ROOT));
    }
    int c;
    if (actual instanceof Instant a && literal instanceof Instant b) {
      c = a.compareTo(b);
    } else if (actual instanceof Long a && literal instanceof Long b) {
      c = Long.compare(a, b);
    } else if (actual instanceof Double a && isNumber(text(literal))) {
      c = Double.compare(a, Double.parseDouble(text(literal)));
    } else {
      c = text(actual).compareTo(text(literal));
    }
    switch (op) {
      case "=":
        return c == 0;
      case "!=":
        return c != 0;
      case "<":
        return c < 0;
      case "<=":
        return c <= 0;
      case ">":
        return c > 0;
      default:
        return c >= 0;
    }
  }

  private static boolean isNumber(String s) {
    try {
      Double.parseDouble(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String text(Object o) {
    if (o instanceof Long severity) {
      LogSeverity s = LogSeverity.forNumber(severity.intValue());
      return s == null ? severity.toString() : s.name();
    }
    if (o instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
      return Long.toString(d.longValue());
    }
    return o.toString();
  }
}
