package dev.rungate.emulator.logging;

import io.grpc.Status;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/** entries.list's "Read requests per minute" per project: a sliding 60 s window on the emulator's clock; refused calls use none. */
final class ReadQuota {
  private static final long WINDOW_MILLIS = 60_000;
  private final int perMinute;
  private final Clock clock;
  private final Map<String, Deque<Long>> calls = new HashMap<>();

  ReadQuota(int perMinute, Clock clock) {
    this.perMinute = perMinute;
    this.clock = clock;
  }

  /** Takes one request for the project, or throws RESOURCE_EXHAUSTED worded as Cloud Logging words it. */
  synchronized void acquire(String project) {
    if (perMinute <= 0) {
      return;
    }
    long now = clock.millis();
    Deque<Long> window = calls.computeIfAbsent(project, p -> new ArrayDeque<>());
    while (!window.isEmpty() && window.peekFirst() <= now - WINDOW_MILLIS) {
      window.pollFirst();
    }
    if (window.size() >= perMinute) {
      throw Status.RESOURCE_EXHAUSTED.withDescription("Quota exceeded for quota metric 'Read requests' and limit "
          + "'Read requests per minute' of service 'logging.googleapis.com' for consumer 'project:" + project + "' ("
          + perMinute + " per minute).").asRuntimeException();
    }
    window.addLast(now);
  }
}
