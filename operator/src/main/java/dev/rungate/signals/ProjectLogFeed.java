package dev.rungate.signals;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.ClientStream;
import com.google.api.gax.rpc.ResponseObserver;
import com.google.api.gax.rpc.StatusCode;
import com.google.api.gax.rpc.StreamController;
import com.google.cloud.logging.v2.LoggingClient;
import com.google.logging.v2.LogEntry;
import com.google.logging.v2.TailLogEntriesRequest;
import com.google.logging.v2.TailLogEntriesResponse;
import dev.rungate.domain.ContainerExit;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One project's Cloud Logging feed: ONE TailLogEntries stream whose query covers every revision
 * asked about, restarted (at most once per {@code restartEvery}) when new revisions join; and a
 * ListLogEntries backfill ({@link LogBackfill}) for what they logged before and for what a lost
 * stream missed. A revision is answered only while everything it logged since the time asked about
 * has been read or is on the open stream; otherwise its exits are unknown ({@link
 * SignalsUnavailableException}), never "none".
 */
final class ProjectLogFeed {
  private final String project;
  private final LoggingClient logging;
  private final LoggingExitSignals.Settings settings;

  /**
   * A stream that lived this long and then ended with a transient error is reconnected without an
   * alarm.
   */
  private static final long LONG_LIVED_MILLIS = 60_000;

  /**
   * A stream replaced by a wider one is cancelled this long later: it still holds, in its buffer
   * window (2 s by default), entries that arrived before the new one opened, which the new one
   * never sends.
   */
  static final long RETIRE_AFTER_MILLIS = 5_000;

  private final Map<String, RevisionLog> revisions = new ConcurrentHashMap<>();

  /** One open stream; callbacks of a replaced stream are ignored. */
  private final class Stream implements ResponseObserver<TailLogEntriesResponse> {
    final Set<String> covers;
    final long startedMillis = System.currentTimeMillis();
    volatile StreamController controller;
    ClientStream<TailLogEntriesRequest> requests;

    Stream(Set<String> covers) {
      this.covers = covers;
    }

    @Override
    public void onStart(StreamController c) {
      controller = c;
    }

    @Override
    public void onResponse(TailLogEntriesResponse response) {
      for (LogEntry e : response.getEntriesList()) {
        RevisionLog log = revisions.get(e.getResource().getLabelsOrDefault("revision_name", ""));
        if (log != null) {
          log.add(e);
        }
      }
    }

    @Override
    public void onError(Throwable t) {
      lost(this, t);
    }

    @Override
    public void onComplete() {
      lost(this, null);
    }

    void cancel() {
      StreamController c = controller;
      if (c != null) {
        c.cancel();
      }
    }
  }

  private Stream stream;
  private final Map<Stream, Long> retiring = new LinkedHashMap<>();
  private int failures;
  private long nextStreamAttemptMillis;
  private final LogBackfill backfill;
  private volatile String streamProblem;

  ProjectLogFeed(String project, LoggingClient logging, LoggingExitSignals.Settings settings) {
    this.project = project;
    this.logging = logging;
    this.settings = settings;
    this.backfill =
        new LogBackfill(
            project,
            logging,
            revisions,
            new ListCallBudget(
                settings.backfillCallsPerMinute(), settings.backfillSpacing().toMillis()));
  }

  /**
   * Non-blocking: what has arrived for the revision. Throws while the stream is failing, and while
   * any of the revision's entries since {@code since} is neither read nor on the open stream (its
   * history before it was first asked about, a lost stream's hole): exits not read are unknown, not
   * absent.
   */
  List<ContainerExit> exitsOf(String service, String revision, Instant since) {
    RevisionLog log = revisions.computeIfAbsent(revision, r -> new RevisionLog(service, r));
    log.want(since);
    if (streamProblem != null) {
      throw new SignalsUnavailableException(streamProblem);
    }
    String unread = log.unread(since);
    if (unread != null) {
      String problem = backfill.problem();
      throw problem != null
          ? new SignalsUnavailableException(problem + "; " + unread)
          : new SignalsCatchingUpException(unread);
    }
    return log.exitsSince(since);
  }

  /**
   * Called by the single worker thread: keeps the stream covering every revision, runs one backfill
   * page.
   */
  synchronized void tick() {
    long now = System.currentTimeMillis();
    revisions.values().removeIf(r -> now - r.lastAskedMillis > settings.forgetAfter().toMillis());
    Set<String> wanted = new TreeSet<>(revisions.keySet());
    retiring
        .entrySet()
        .removeIf(
            r -> {
              if (now >= r.getValue()) {
                r.getKey().cancel();
                return true;
              }
              return false;
            });
    if (wanted.isEmpty()) {
      stopStream();
      return;
    }
    boolean grow =
        stream != null
            && !stream.covers.containsAll(wanted)
            && now - stream.startedMillis >= settings.restartEvery().toMillis();
    if ((stream == null || grow) && now >= nextStreamAttemptMillis) {
      startStream(wanted);
    }
    if (stream != null && now - stream.startedMillis >= 3000 && failures > 0) {
      failures = 0;
      streamProblem = null;
    }
    if (stream != null
        && now - stream.startedMillis
            >= 1000) { // delivering by now: what came before is backfilled
      Instant to = Instant.ofEpochMilli(now);
      Set<String> holed = new TreeSet<>();
      Instant from = null;
      for (String name : stream.covers) {
        RevisionLog log = revisions.get(name);
        Instant began = log == null ? null : log.bound(to);
        if (began != null) {
          holed.add(name);
          from = from == null || began.isBefore(from) ? began : from;
        }
      }
      if (!holed.isEmpty()) {
        backfill.hole(holed, from, to);
      }
      backfill.history(stream.covers, to);
    }
    backfill.tick(System.nanoTime() / 1_000_000);
  }

  private void startStream(Set<String> covers) {
    Stream next = new Stream(Set.copyOf(covers));
    Stream previous = stream;
    stream = next;
    try {
      next.requests = logging.tailLogEntriesCallable().splitCall(next);
      next.requests.send(
          TailLogEntriesRequest.newBuilder()
              .addResourceNames("projects/" + project)
              .setFilter(LogQueries.tail(project, covers))
              .build());
    } catch (RuntimeException e) {
      lost(next, e);
    }
    if (previous
        != null) { // the two overlap until the old one has sent what it holds; entries are kept
      // once
      retiring.put(previous, System.currentTimeMillis() + RETIRE_AFTER_MILLIS);
    }
  }

  private void stopStream() {
    retiring.keySet().forEach(Stream::cancel);
    retiring.clear();
    if (stream != null) {
      Stream s = stream;
      stream = null;
      s.cancel();
    }
  }

  /**
   * A stream ended: reconnect (after a backoff if it failed); its hole is backfilled once the next
   * one is up.
   */
  private synchronized void lost(Stream s, Throwable t) {
    if (s != stream) {
      return;
    }
    stream = null;
    long now = System.currentTimeMillis();
    boolean longLived = now - s.startedMillis >= LONG_LIVED_MILLIS;
    if (t != null && failures == 0 && (sessionOver(t) || longLived && transientEnd(t))) {
      t = null; // the session reached its maximum duration, or ran a while and the server ended it:
      // reconnect now
    }
    if (t != null) {
      failures++;
      streamProblem = LoggingExitSignals.describe(project, t);
      long backoff =
          Math.min(settings.maxBackoff().toMillis(), 1000L << Math.min(10, failures - 1));
      nextStreamAttemptMillis = now + backoff;
    }
    Instant from = Instant.ofEpochMilli(now).minus(settings.gapLookback());
    for (String name : s.covers) {
      RevisionLog log = revisions.get(name);
      if (log != null) {
        log.lost(from, t != null);
      }
    }
  }

  /**
   * Cloud Logging ends a tail session at its maximum duration with OUT_OF_RANGE (gcloud: "may be
   * repeated").
   */
  private static boolean sessionOver(Throwable t) {
    return t instanceof ApiException api
        && api.getStatusCode().getCode() == StatusCode.Code.OUT_OF_RANGE;
  }

  private static boolean transientEnd(Throwable t) {
    if (!(t instanceof ApiException api)) {
      return false;
    }
    return switch (api.getStatusCode().getCode()) {
      case UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED, CANCELLED, INTERNAL -> true;
      default -> false;
    };
  }

  synchronized void close() {
    stopStream();
    backfill.clear();
  }

  /** For tests: how many revisions the open stream covers (0 when none is open). */
  synchronized int streamed() {
    return stream == null ? 0 : stream.covers.size();
  }
}
