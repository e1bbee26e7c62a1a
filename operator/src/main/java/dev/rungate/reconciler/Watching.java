package dev.rungate.reconciler;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Since when this process has looked at each policy without a gap: rounds come at least every
 * minute (the idle requeue), so a longer silence means the operator was down, starved or its clock
 * jumped, and the time before it was not watched. The progress deadline counts only watched time,
 * so the operator's absence is never blamed on a candidate.
 */
final class Watching {
  /** Longer than the idle requeue (60 s) plus room for a busy work queue. */
  static final Duration GAP = Duration.ofMinutes(2);

  private record Span(Instant since, Instant last) {}

  private final Map<String, Span> spans = new ConcurrentHashMap<>();

  Instant since(String uid, Instant now) {
    Span span =
        spans.compute(
            uid,
            (k, old) ->
                old == null
                        || now.isBefore(old.last())
                        || Duration.between(old.last(), now).compareTo(GAP) > 0
                    ? new Span(now, now)
                    : new Span(old.since(), now));
    return span.since();
  }

  void forget(String uid) {
    spans.remove(uid);
  }
}
