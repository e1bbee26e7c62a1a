package dev.rungate.signals;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes container log lines safe to show as evidence: secrets after key=/key: and URL user-info
 * removed, length capped.
 */
public final class Redaction {
  public static final int MAX_LINE = 200;
  static final String MASK = "[REDACTED]";

  private static final Pattern SECRET_VALUE =
      Pattern.compile(
          "(?i)([A-Za-z0-9_.-]*(?:password|passwd|pwd|token|secret|auth|api[_-]?key)[A-Za-z0-9_.-]*\"?\\s*[=:]\\s*)"
              + "(\"[^\"]*\"|'[^']*'|[^\\s,;&\"']+)");
  private static final Pattern URL_USER_INFO =
      Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^/\\s@]+@");

  private Redaction() {}

  /** Redacts, then cuts to {@link #MAX_LINE} characters. */
  public static String line(String text) {
    if (text == null) {
      return "";
    }
    String redacted = URL_USER_INFO.matcher(text).replaceAll("$1" + MASK + "@");
    redacted =
        SECRET_VALUE.matcher(redacted).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
    return redacted.length() <= MAX_LINE ? redacted : redacted.substring(0, MAX_LINE - 1) + "…";
  }
}
