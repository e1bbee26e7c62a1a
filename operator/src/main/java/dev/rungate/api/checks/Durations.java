package dev.rungate.api.checks;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Kubernetes-style durations: 90s, 2m, 1h30m, 250ms. */
public final class Durations {
  public static final String PATTERN = "^([0-9]+(ms|s|m|h))+$";
  public static final String NAME_PATTERN = "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$";
  private static final Pattern WHOLE = Pattern.compile(PATTERN);
  private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h)");

  private Durations() {}

  /**
   * Parses a duration; null or blank gives the fallback. Throws IllegalArgumentException when
   * malformed.
   */
  public static Duration parse(String text, Duration fallback) {
    if (text == null || text.isBlank()) {
      return fallback;
    }
    if (!WHOLE.matcher(text).matches()) { // compiled once: every round parses durations
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration such as 500ms, 30s, 2m or 1h");
    }
    Duration total = Duration.ZERO;
    Matcher m = PART.matcher(text);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
              });
    }
    return total;
  }

  /** Formats for humans and for status messages: 1m30s, 250ms. */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.toMillis() < 1000) {
      return d.toMillis() + "ms";
    }
    StringBuilder sb = new StringBuilder();
    long s = d.getSeconds();
    if (s >= 3600) {
      sb.append(s / 3600).append('h');
      s %= 3600;
    }
    if (s >= 60) {
      sb.append(s / 60).append('m');
      s %= 60;
    }
    if (s > 0 || sb.length() == 0) {
      sb.append(s).append('s');
    }
    return sb.toString();
  }
}
