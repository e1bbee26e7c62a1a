package dev.rungate.emulator.logging;

import com.google.logging.v2.LogEntry;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;

/**
 * Where an entry sits in timestamp order: (timestamp, insertId). Page tokens carry the last
 * position a page looked at, so they stay correct while new entries arrive (no offsets).
 */
record LogPosition(long nanos, String insertId) implements Comparable<LogPosition> {
  private static final Comparator<LogPosition> ORDER =
      Comparator.comparingLong(LogPosition::nanos).thenComparing(LogPosition::insertId);

  static LogPosition of(LogEntry e) {
    return new LogPosition(
        e.getTimestamp().getSeconds() * 1_000_000_000L + e.getTimestamp().getNanos(),
        e.getInsertId());
  }

  @Override
  public int compareTo(LogPosition o) {
    return ORDER.compare(this, o);
  }

  /**
   * An opaque page token: the order, and the position of the last entry the previous page looked
   * at.
   */
  String token(boolean descending) {
    String raw = (descending ? "d" : "a") + ":" + nanos + ":" + insertId;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The position in a token made by {@link #token}; INVALID_ARGUMENT if it is not one or was made
   * for another order.
   */
  static LogPosition fromToken(String token, boolean descending) {
    try {
      String[] parts =
          new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(":", 3);
      if (parts.length == 3 && parts[0].equals(descending ? "d" : "a")) {
        return new LogPosition(Long.parseLong(parts[1]), parts[2]);
      }
    } catch (IllegalArgumentException e) {
      // falls through to the refusal
    }
    throw Status.INVALID_ARGUMENT
        .withDescription("page_token is not one this query returned: " + token)
        .asRuntimeException();
  }
}
