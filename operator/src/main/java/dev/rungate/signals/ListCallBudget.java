package dev.rungate.signals;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * When one project's backfill may call ListLogEntries: at most {@code perMinute} calls in any 60 s
 * (Cloud Logging allows 60 a minute per project, shared with everyone reading the project's logs),
 * at least {@code spacingMillis} apart, so a catch-up reads its pages one a second rather than one
 * per 60/perMinute seconds; after a refused call, not again for {@link #RETRY_MILLIS}. Times are
 * monotonic milliseconds.
 */
final class ListCallBudget {
  static final long WINDOW_MILLIS = 60_000;
  static final long RETRY_MILLIS = 5_000;
  private final int perMinute;
  private final long spacingMillis;
  private final Deque<Long> calls = new ArrayDeque<>();
  private long notBefore = Long.MIN_VALUE;

  ListCallBudget(int perMinute, long spacingMillis) {
    if (perMinute < 1 || perMinute > 60) {
      throw new IllegalArgumentException(
          "ListLogEntries calls per minute must be 1 to 60 (Cloud Logging's quota), got "
              + perMinute);
    }
    this.perMinute = perMinute;
    this.spacingMillis = spacingMillis;
  }

  /** Takes a call if one is allowed now. */
  synchronized boolean take(long now) {
    while (!calls.isEmpty() && calls.peekFirst() <= now - WINDOW_MILLIS) {
      calls.pollFirst();
    }
    if (now < notBefore || calls.size() >= perMinute) {
      return false;
    }
    calls.addLast(now);
    notBefore = now + spacingMillis;
    return true;
  }

  /** The call taken last was refused or failed: wait before the next one. */
  synchronized void failed(long now) {
    notBefore = Math.max(notBefore, now + RETRY_MILLIS);
  }
}
