package dev.rungate.emulator.logging;

import com.google.logging.v2.LogEntry;
import java.util.function.Predicate;

/**
 * Recursive descent over the Logging query language: query = and; and = or {[AND] or}; or = not {OR
 * not}; not = (NOT | -) not | primary; primary = ( and ) | field op value.
 */
final class LogQueryParser {
  private static final String[] OPERATORS = {"=~", "!~", ">=", "<=", "!=", "=", ">", "<", ":"};

  private final String text;
  private int pos;

  LogQueryParser(String text) {
    this.text = text;
  }

  Predicate<LogEntry> parse() {
    skipSpace();
    if (atEnd()) {
      return entry -> true;
    }
    Predicate<LogEntry> query = conjunction();
    skipSpace();
    if (!atEnd()) {
      throw LogFilter.invalid(
          "unexpected '" + text.charAt(pos) + "' at position " + pos + " of the filter");
    }
    return query;
  }

  private Predicate<LogEntry> conjunction() {
    Predicate<LogEntry> left = disjunction();
    while (true) {
      skipSpace();
      if (atEnd() || peek() == ')') {
        return left;
      }
      keyword("AND"); // optional: juxtaposition is an implicit AND
      left = left.and(disjunction());
    }
  }

  private Predicate<LogEntry> disjunction() {
    Predicate<LogEntry> left = negation();
    while (true) {
      skipSpace();
      if (!keyword("OR")) {
        return left;
      }
      left = left.or(negation());
    }
  }

  private Predicate<LogEntry> negation() {
    skipSpace();
    if (keyword("NOT")) {
      return negation().negate();
    }
    if (peek() == '-' && pos + 1 < text.length() && Character.isLetter(text.charAt(pos + 1))) {
      pos++;
      return negation().negate();
    }
    return primary();
  }

  private Predicate<LogEntry> primary() {
    skipSpace();
    if (atEnd()) {
      throw LogFilter.invalid("the filter ends where a comparison was expected");
    }
    if (peek() == '(') {
      pos++;
      Predicate<LogEntry> inner = conjunction();
      skipSpace();
      if (atEnd() || peek() != ')') {
        throw LogFilter.invalid("missing ')' at position " + pos + " of the filter");
      }
      pos++;
      return inner;
    }
    if (peek() == '"') {
      throw LogFilter.invalid(
          "free-text search ("
              + readQuoted()
              + ") is not supported; name a field, "
              + "e.g. textPayload:\"...\"");
    }
    int start = pos;
    String field = fieldPath();
    if (field.isEmpty()) {
      throw LogFilter.invalid("unexpected '" + peek() + "' at position " + pos + " of the filter");
    }
    if (!atEnd() && peek() == '(') {
      throw LogFilter.invalid("function " + field + "() is not supported");
    }
    skipSpace();
    String op = operator();
    if (op == null) {
      throw LogFilter.invalid(
          "free-text search ("
              + text.substring(start, pos).trim()
              + ") is not supported; "
              + "compare a field, e.g. textPayload:\"...\" (AND, OR, NOT must be upper case)");
    }
    skipSpace();
    if (atEnd()) {
      throw LogFilter.invalid("missing value after " + field + op);
    }
    if (peek() == '(') {
      throw LogFilter.invalid(
          "value lists ("
              + field
              + op
              + "(...)) are not supported; write "
              + "("
              + field
              + op
              + "A OR "
              + field
              + op
              + "B)");
    }
    boolean quoted = peek() == '"';
    String value = quoted ? readQuoted() : readBare();
    return LogComparison.of(field, op, value, quoted);
  }

  /** Dotted identifiers; a segment may be quoted (labels."k8s-pod/app"). */
  private String fieldPath() {
    StringBuilder path = new StringBuilder();
    while (!atEnd()) {
      if (peek() == '"' && (path.length() == 0 || path.charAt(path.length() - 1) == '.')) {
        if (path.length() == 0) {
          break;
        }
        path.append(readQuoted());
      } else if (Character.isLetterOrDigit(peek())
          || peek() == '_'
          || (peek() == '.' && path.length() > 0)) {
        path.append(text.charAt(pos++));
      } else {
        break;
      }
    }
    return path.toString();
  }

  private String operator() {
    for (String op : OPERATORS) {
      if (text.startsWith(op, pos)) {
        pos += op.length();
        return op;
      }
    }
    return null;
  }

  private String readQuoted() {
    StringBuilder value = new StringBuilder();
    pos++; // opening quote
    while (!atEnd() && peek() != '"') {
      char c = text.charAt(pos++);
      if (c == '\\' && !atEnd()) {
        char escaped = text.charAt(pos++);
        value.append(escaped == 'n' ? '\n' : escaped == 't' ? '\t' : escaped);
      } else {
        value.append(c);
      }
    }
    if (atEnd()) {
      throw LogFilter.invalid("unterminated quoted string in the filter");
    }
    pos++; // closing quote
    return value.toString();
  }

  private String readBare() {
    int start = pos;
    while (!atEnd() && !Character.isWhitespace(peek()) && peek() != ')' && peek() != '(') {
      pos++;
    }
    return text.substring(start, pos);
  }

  /** Consumes an upper-case keyword followed by a space, '(' or the end. */
  private boolean keyword(String word) {
    int end = pos + word.length();
    if (text.startsWith(word, pos)
        && (end == text.length()
            || Character.isWhitespace(text.charAt(end))
            || text.charAt(end) == '('
            || (word.equals("NOT") && text.charAt(end) == '-'))) {
      pos = end;
      return true;
    }
    return false;
  }

  private void skipSpace() {
    while (!atEnd() && Character.isWhitespace(peek())) {
      pos++;
    }
  }

  private boolean atEnd() {
    return pos >= text.length();
  }

  private char peek() {
    return atEnd() ? '\0' : text.charAt(pos);
  }
}
