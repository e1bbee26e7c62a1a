package dev.rungate.signals;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.ClientStream;
import com.google.api.gax.rpc.ResponseObserver;
import com.google.api.gax.rpc.StatusCode;
import com.google.api.gax.rpc.StreamController;
import com.google.cloud.logging.v2.LoggingClient;
import com.google.logging.v2.ListLogEntriesRequest;
import com.google.logging.v2.ListLogEntriesResponse;
import com.google.logging.v2.LogEntry;
import com.google.logging.v2.TailLogEntriesRequest;
import com.google.logging.v2.TailLogEntriesResponse;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * One project's Cloud Logging feed: ONE TailLogEntries stream whose query covers every revision asked
 * about, restarted (at most once per {@code restartEvery}) when new revisions join; and a ListLogEntries
 * backfill, batched for all newly joined revisions and rate limited, for what they logged before.
 */
final class ProjectLogFeed {
  private final String project;
  private final LoggingClient logging;
  private final LoggingExitSignals.Settings settings;
  /** A stream that lived this long and then ended with a transient error is reconnected without an alarm. */
  private static final long LONG_LIVED_MILLIS = 60_000;
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

  private record Backfill(Set<String> revisions, Instant from, String pageToken) {}

  private Stream stream;
  private int failures;
  private long nextStreamAttemptMillis;
  private long lastBackfillMillis;
  private final Deque<Backfill> backfills = new ArrayDeque<>();
  /** What a lost stream may have missed: backfilled once the next stream is up (so nothing falls between). */
  private Instant gapFrom;
  private final Set<String> gapRevisions = new TreeSet<>();
  private volatile String streamProblem;
  private volatile String backfillProblem;

  ProjectLogFeed(String project, LoggingClient logging, LoggingExitSignals.Settings settings) {
    this.project = project;
    this.logging = logging;
    this.settings = settings;
  }

  /** Non-blocking: what has arrived for the revision; throws while the feed is unhealthy. */
  List<ContainerExit> exitsOf(String service, String revision, Instant since) {
    RevisionLog log = revisions.computeIfAbsent(revision, r -> new RevisionLog(service, r));
    log.want(since);
    String problem = streamProblem != null ? streamProblem : backfillProblem;
    if (problem != null) {
      throw new SignalsUnavailableException(problem);
    }
    return log.exitsSince(since);
  }

  /** Called by the single worker thread: keeps the stream covering every revision, runs one backfill page. */
  synchronized void tick() {
    long now = System.currentTimeMillis();
    revisions.values().removeIf(r -> now - r.lastAskedMillis > settings.forgetAfter().toMillis());
    Set<String> wanted = new TreeSet<>(revisions.keySet());
    if (wanted.isEmpty()) {
      stopStream();
      return;
    }
    boolean grow = stream != null && !stream.covers.containsAll(wanted)
        && now - stream.startedMillis >= settings.restartEvery().toMillis();
    if ((stream == null || grow) && now >= nextStreamAttemptMillis) {
      startStream(wanted);
    }
    if (stream != null && now - stream.startedMillis >= 3000 && failures > 0) {
      failures = 0;
      streamProblem = null;
    }
    if (stream != null && now - stream.startedMillis >= 1000) {
      if (gapFrom != null) {
        gapRevisions.retainAll(revisions.keySet());
        if (!gapRevisions.isEmpty()) {
          backfills.addLast(new Backfill(Set.copyOf(gapRevisions), gapFrom, ""));
        }
        gapRevisions.clear();
        gapFrom = null;
      }
      queueBackfill(stream.covers);
    }
    if (!backfills.isEmpty() && now - lastBackfillMillis >= 60_000 / Math.max(1, settings.backfillCallsPerMinute())) {
      lastBackfillMillis = now;
      backfillPage(backfills.peekFirst());
    }
  }

  private void startStream(Set<String> covers) {
    Stream next = new Stream(Set.copyOf(covers));
    Stream previous = stream;
    stream = next;
    try {
      next.requests = logging.tailLogEntriesCallable().splitCall(next);
      next.requests.send(TailLogEntriesRequest.newBuilder().addResourceNames("projects/" + project)
          .setFilter(filter(covers, null)).build());
    } catch (RuntimeException e) {
      lost(next, e);
    }
    if (previous != null) { // the new stream overlaps the old one; entries are kept once by position
      previous.cancel();
    }
  }

  private void stopStream() {
    if (stream != null) {
      Stream s = stream;
      stream = null;
      s.cancel();
    }
  }

  /** A stream ended: reconnect (after a backoff if it failed); the gap is backfilled once the next one is up. */
  private synchronized void lost(Stream s, Throwable t) {
    if (s != stream) {
      return;
    }
    stream = null;
    long now = System.currentTimeMillis();
    boolean longLived = now - s.startedMillis >= LONG_LIVED_MILLIS;
    if (t != null && failures == 0 && (sessionOver(t) || longLived && transientEnd(t))) {
      t = null; // the session reached its maximum duration, or ran a while and the server ended it: reconnect now
    }
    if (t != null) {
      failures++;
      streamProblem = LoggingExitSignals.describe(project, t);
      long backoff = Math.min(settings.maxBackoff().toMillis(), 1000L << Math.min(10, failures - 1));
      nextStreamAttemptMillis = now + backoff;
    }
    Instant from = Instant.ofEpochMilli(now).minus(settings.gapLookback());
    gapFrom = gapFrom == null || from.isBefore(gapFrom) ? from : gapFrom;
    gapRevisions.addAll(s.covers);
  }

  /** Cloud Logging ends a tail session at its maximum duration with OUT_OF_RANGE (gcloud: "may be repeated"). */
  private static boolean sessionOver(Throwable t) {
    return t instanceof ApiException api && api.getStatusCode().getCode() == StatusCode.Code.OUT_OF_RANGE;
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

  private void queueBackfill(Set<String> covered) {
    Set<String> fresh = new TreeSet<>();
    Instant from = null;
    for (String name : covered) {
      RevisionLog log = revisions.get(name);
      Instant uncovered = log == null ? null : log.uncoveredFrom();
      if (uncovered != null && backfills.stream().noneMatch(b -> b.revisions().contains(name) && !b.from().isAfter(uncovered))) {
        fresh.add(name);
        from = from == null || uncovered.isBefore(from) ? uncovered : from;
      }
    }
    if (!fresh.isEmpty()) {
      backfills.addLast(new Backfill(fresh, from, ""));
    }
  }

  private void backfillPage(Backfill job) {
    ListLogEntriesResponse page;
    try {
      page = logging.listLogEntriesCallable().call(ListLogEntriesRequest.newBuilder()
          .addResourceNames("projects/" + project).setFilter(filter(job.revisions(), job.from()))
          .setOrderBy("timestamp asc").setPageSize(1000).setPageToken(job.pageToken()).build());
    } catch (ApiException e) {
      backfillProblem = LoggingExitSignals.describe(project, e);
      return; // the same page is tried again at the next allowed call
    }
    backfillProblem = null;
    for (LogEntry e : page.getEntriesList()) {
      RevisionLog log = revisions.get(e.getResource().getLabelsOrDefault("revision_name", ""));
      if (log != null) {
        log.add(e);
      }
    }
    backfills.pollFirst();
    if (!page.getNextPageToken().isEmpty()) {
      backfills.addFirst(new Backfill(job.revisions(), job.from(), page.getNextPageToken()));
    } else {
      for (String name : job.revisions()) {
        RevisionLog log = revisions.get(name);
        if (log != null) {
          log.covered(job.from());
        }
      }
    }
  }

  private static String filter(Set<String> revisions, Instant from) {
    String names = revisions.stream().map(r -> "resource.labels.revision_name=\"" + r + "\"")
        .collect(Collectors.joining(" OR ", "(", ")"));
    return "resource.type=\"cloud_run_revision\" AND " + names + (from == null ? "" : " AND timestamp>=\"" + from + "\"");
  }

  synchronized void close() {
    stopStream();
    backfills.clear();
  }

  /** For tests: how many revisions the open stream covers (0 when none is open). */
  synchronized int streamed() {
    return stream == null ? 0 : stream.covers.size();
  }
}
