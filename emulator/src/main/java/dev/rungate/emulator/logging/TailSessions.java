package dev.rungate.emulator.logging;

import com.google.logging.v2.LogEntry;
import com.google.logging.v2.TailLogEntriesResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Open TailLogEntries sessions. Each sees the entries that become visible after it opened, holds
 * them for its buffer window and sends them in timestamp order; an entry that arrives after the
 * window has passed its timestamp is sent late, out of order, as Cloud Logging does. A session ends
 * with OUT_OF_RANGE at the configured maximum duration, and every open one ends at once when
 * Logging goes down ({@link #endAll}). The buffer window and the maximum duration are measured on
 * the emulator's clock (the store's); a ticker looks every 200 ms of real time, and {@link
 * #tickAll} at once (after a test's clock moved).
 */
final class TailSessions implements AutoCloseable {
  private static final long TICK_MILLIS = 200;

  final class Session {
    private final List<String> projects;
    private final Predicate<LogEntry> filter;
    private final long bufferNanos;
    private final ServerCallStreamObserver<TailLogEntriesResponse> observer;
    private final List<LogEntry> held = new ArrayList<>();
    private final Instant opened = logs.clock().instant();
    private long cursor;
    private boolean closed;

    private Session(
        List<String> projects,
        Predicate<LogEntry> filter,
        long bufferMillis,
        ServerCallStreamObserver<TailLogEntriesResponse> observer) {
      this.projects = projects;
      this.filter = filter;
      this.bufferNanos = bufferMillis * 1_000_000L;
      this.observer = observer;
      this.cursor = logs.arrivalCursor();
    }

    private synchronized void tick() {
      if (closed) {
        return;
      }
      if (!maxDuration.isZero() && !logs.clock().instant().isBefore(opened.plus(maxDuration))) {
        close(
            Status.OUT_OF_RANGE.withDescription(
                "The maximum duration for a TailLogEntries session has been met; "
                    + "open a new session to continue."));
        return;
      }
      List<LogEntry> arrived = logs.arrivedSince(cursor);
      cursor += arrived.size();
      for (LogEntry e : arrived) {
        if (projects.contains(e.getResource().getLabelsOrDefault("project_id", ""))
            && filter.test(e)) {
          held.add(e);
        }
      }
      long cutoff = logs.clock().millis() * 1_000_000L - bufferNanos;
      List<LogEntry> due = new ArrayList<>();
      held.removeIf(e -> LogPosition.of(e).nanos() <= cutoff && due.add(e));
      if (!due.isEmpty()) {
        due.sort(Comparator.comparing(LogPosition::of));
        observer.onNext(TailLogEntriesResponse.newBuilder().addAllEntries(due).build());
      }
    }

    synchronized void close(Status status) {
      if (closed) {
        return;
      }
      closed = true;
      sessions.remove(this);
      try {
        if (status.isOk()) {
          observer.onCompleted();
        } else {
          observer.onError(status.asRuntimeException());
        }
      } catch (IllegalStateException alreadyCancelled) {
        // the client went away first
      }
    }

    synchronized void cancelled() {
      closed = true;
      sessions.remove(this);
    }
  }

  private final LogStore logs;
  private final int perProject;
  private final Duration maxDuration;
  private final List<Session> sessions = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "rungate-emulator-tail");
            t.setDaemon(true);
            return t;
          });

  TailSessions(LogStore logs, int perProject, Duration maxDuration) {
    this.logs = logs;
    this.perProject = perProject;
    this.maxDuration = maxDuration;
    ticker.scheduleWithFixedDelay(this::tickAll, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Opens a session, or throws RESOURCE_EXHAUSTED when a project already has its maximum. */
  synchronized Session open(
      List<String> projects,
      Predicate<LogEntry> filter,
      long bufferMillis,
      ServerCallStreamObserver<TailLogEntriesResponse> observer) {
    for (String project : projects) {
      long open = sessions.stream().filter(s -> s.projects.contains(project)).count();
      if (perProject > 0 && open >= perProject) {
        throw Status.RESOURCE_EXHAUSTED
            .withDescription(
                "Too many concurrent TailLogEntries sessions for project "
                    + project
                    + ": at most "
                    + perProject
                    + " are allowed.")
            .asRuntimeException();
      }
    }
    Session session = new Session(projects, filter, bufferMillis, observer);
    sessions.add(session);
    return session;
  }

  void tickAll() {
    for (Session s : sessions) {
      try {
        s.tick();
      } catch (RuntimeException e) {
        s.close(Status.INTERNAL.withDescription(e.toString()));
      }
    }
  }

  /** Sessions open now that cover the project. */
  int open(String project) {
    return (int) sessions.stream().filter(s -> s.projects.contains(project)).count();
  }

  /** Ends every open session with this status (an outage); returns how many were open. */
  int endAll(Status status) {
    int ended = 0;
    for (Session s : sessions) {
      s.close(status);
      ended++;
    }
    return ended;
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    endAll(Status.UNAVAILABLE.withDescription("the emulator is shutting down"));
  }
}
