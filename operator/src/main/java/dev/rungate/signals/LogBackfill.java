package dev.rungate.signals;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.logging.v2.LoggingClient;
import com.google.logging.v2.ListLogEntriesRequest;
import com.google.logging.v2.ListLogEntriesResponse;
import com.google.logging.v2.LogEntry;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ListLogEntries side of one project's feed: what no stream delivered, read in timestamp order,
 * page by page, batched for many revisions, within a {@link ListCallBudget}. Two kinds of jobs:
 * what a revision logged before its stream opened, and a hole a lost stream left. A job spans
 * [from, to], {@code to} being a time the stream that took over was already delivering, so it ends;
 * once its last page is read its revisions are told ({@link RevisionLog#read}), never before.
 */
final class LogBackfill {
  private record Job(Set<String> revisions, Instant from, Instant to, String pageToken) {}

  private final String project;
  private final LoggingClient logging;
  private final Map<String, RevisionLog> revisions;
  private final ListCallBudget budget;
  private final Deque<Job> jobs = new ArrayDeque<>();
  private volatile String problem;

  LogBackfill(
      String project,
      LoggingClient logging,
      Map<String, RevisionLog> revisions,
      ListCallBudget budget) {
    this.project = project;
    this.logging = logging;
    this.revisions = revisions;
    this.budget = budget;
  }

  /** Why the last call failed, or null when it succeeded. */
  String problem() {
    return problem;
  }

  /**
   * What the revisions the stream covers logged before it, where not read or queued yet; up to
   * {@code to}.
   */
  synchronized void history(Set<String> covered, Instant to) {
    Set<String> fresh = new TreeSet<>();
    Instant from = null;
    for (String name : covered) {
      RevisionLog log = revisions.get(name);
      Instant uncovered = log == null ? null : log.uncoveredFrom();
      if (uncovered != null
          && jobs.stream()
              .noneMatch(j -> j.revisions().contains(name) && !j.from().isAfter(uncovered))) {
        fresh.add(name);
        from = from == null || uncovered.isBefore(from) ? uncovered : from;
      }
    }
    if (!fresh.isEmpty()) {
      jobs.addLast(new Job(fresh, from, to, ""));
    }
  }

  /** The hole a lost stream left for these revisions. */
  synchronized void hole(Set<String> names, Instant from, Instant to) {
    jobs.addLast(new Job(Set.copyOf(names), from, to, ""));
  }

  /**
   * Reads one page if a job waits and the budget allows a call now ({@code now}: monotonic
   * milliseconds).
   */
  synchronized void tick(long now) {
    if (!jobs.isEmpty() && budget.take(now)) {
      page(jobs.peekFirst(), now);
    }
  }

  private void page(Job job, long now) {
    ListLogEntriesResponse page;
    try {
      page =
          logging
              .listLogEntriesCallable()
              .call(
                  ListLogEntriesRequest.newBuilder()
                      .addResourceNames("projects/" + project)
                      .setFilter(LogQueries.between(project, job.revisions(), job.from(), job.to()))
                      .setOrderBy("timestamp asc")
                      .setPageSize(1000)
                      .setPageToken(job.pageToken())
                      .build());
    } catch (ApiException e) {
      problem = LoggingExitSignals.describe(project, e);
      budget.failed(now);
      return; // the same page is tried again at the next allowed call
    }
    problem = null;
    for (LogEntry e : page.getEntriesList()) {
      RevisionLog log = revisions.get(e.getResource().getLabelsOrDefault("revision_name", ""));
      if (log != null) {
        log.add(e);
      }
    }
    jobs.pollFirst();
    if (!page.getNextPageToken()
        .isEmpty()) { // possibly after an empty page: Cloud Logging's per-call time budget
      jobs.addFirst(new Job(job.revisions(), job.from(), job.to(), page.getNextPageToken()));
      return;
    }
    for (String name : job.revisions()) {
      RevisionLog log = revisions.get(name);
      if (log != null) {
        log.read(job.from(), job.to());
      }
    }
  }

  synchronized void clear() {
    jobs.clear();
  }
}
