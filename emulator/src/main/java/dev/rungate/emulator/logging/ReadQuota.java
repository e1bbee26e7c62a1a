package dev.rungate.emulator.logging;

import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * entries.list's "Read requests per minute" per project: a sliding window (a minute, as Cloud
 * Logging's) on the emulator's clock; refused calls use none.
 */
final class ReadQuota {
  private final int perWindow;
  private final Duration window;
  private final Clock clock;
  private final Map<String, Deque<Long>> calls = new HashMap<>();

  ReadQuota(int perWindow, Duration window, Clock clock) {
    this.perWindow = perWindow;
    this.window = window;
    this.clock = clock;
  }

  /**
   * Takes one request for the project, or throws RESOURCE_EXHAUSTED worded as Cloud Logging words
   * it.
   */
  synchronized void acquire(String project) {
    if (perWindow <= 0) {
      return;
    }
    long now = clock.millis();
    Deque<Long> calls = this.calls.computeIfAbsent(project, p -> new ArrayDeque<>());
    while (!calls.isEmpty() && calls.peekFirst() <= now - window.toMillis()) {
      calls.pollFirst();
    }
    if (calls.size() >= perWindow) {
      String per = window.equals(LoggingConfig.QUOTA_WINDOW) ? "minute" : window.toString();
      throw Status.RESOURCE_EXHAUSTED
          .withDescription(
              "Quota exceeded for quota metric 'Read requests' and limit "
                  + "'Read requests per minute' of service 'logging.googleapis.com' for consumer 'project:"
                  + project
                  + "' ("
                  + perWindow
                  + " per "
                  + per
                  + ").")
          .asRuntimeException();
    }
    calls.addLast(now);
  }
}
