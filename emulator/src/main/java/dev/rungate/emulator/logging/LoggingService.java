package dev.rungate.emulator.logging;

import com.google.logging.v2.ListLogEntriesRequest;
import com.google.logging.v2.ListLogEntriesResponse;
import com.google.logging.v2.LogEntry;
import com.google.logging.v2.LoggingServiceV2Grpc;
import com.google.logging.v2.TailLogEntriesRequest;
import com.google.logging.v2.TailLogEntriesResponse;
import dev.rungate.emulator.Rpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * google.logging.v2.LoggingServiceV2: ListLogEntries (read quota per project, pages by position)
 * and TailLogEntries (bidi stream with a buffer window, a session limit per project).
 */
public final class LoggingService extends LoggingServiceV2Grpc.LoggingServiceV2ImplBase
    implements AutoCloseable {
  private static final long DEFAULT_BUFFER_MILLIS = 2000;
  private static final long MAX_BUFFER_MILLIS = 60_000;
  private final LogStore logs;
  private final ReadQuota quota;
  private final TailSessions tails;

  public LoggingService(LogStore logs) {
    this.logs = logs;
    this.quota =
        new ReadQuota(
            logs.config().listQuotaPerMinute(), logs.config().listQuotaWindow(), logs.clock());
    this.tails =
        new TailSessions(
            logs, logs.config().tailSessionsPerProject(), logs.config().tailMaxDuration());
  }

  /**
   * Does now what the tail sessions' ticker would do next: sends what is due by the clock, ends
   * sessions past their maximum duration. (List needs nothing: it makes due entries visible when it
   * reads.)
   */
  public void catchUp() {
    tails.tickAll();
  }

  @Override
  public void listLogEntries(
      ListLogEntriesRequest request, StreamObserver<ListLogEntriesResponse> observer) {
    Rpc.unary(
        observer,
        () -> {
          List<String> projects = projects(request.getResourceNamesList());
          LogFilter filter = LogFilter.parse(request.getFilter());
          String order = request.getOrderBy().trim().toLowerCase(Locale.ROOT);
          boolean descending = order.equals("timestamp desc");
          if (!descending
              && !order.isEmpty()
              && !order.equals("timestamp asc")
              && !order.equals("timestamp")) {
            throw Status.INVALID_ARGUMENT
                .withDescription("order_by must be 'timestamp asc' or 'timestamp desc'")
                .asRuntimeException();
          }
          LogPosition after =
              request.getPageToken().isEmpty()
                  ? null
                  : LogPosition.fromToken(request.getPageToken(), descending);
          for (String project : projects) {
            quota.acquire(project);
          }
          int size = request.getPageSize() > 0 ? Math.min(request.getPageSize(), 1000) : 50;
          LogStore.Scan scan = logs.scan(inProjects(projects, filter), descending, after, size);
          return ListLogEntriesResponse.newBuilder()
              .addAllEntries(scan.entries())
              .setNextPageToken(scan.next() == null ? "" : scan.next().token(descending))
              .build();
        });
  }

  @Override
  public StreamObserver<TailLogEntriesRequest> tailLogEntries(
      StreamObserver<TailLogEntriesResponse> responses) {
    ServerCallStreamObserver<TailLogEntriesResponse> out =
        (ServerCallStreamObserver<TailLogEntriesResponse>) responses;
    AtomicReference<TailSessions.Session> session = new AtomicReference<>();
    out.setOnCancelHandler(
        () -> {
          TailSessions.Session s = session.get();
          if (s != null) {
            s.cancelled();
          }
        });
    return new StreamObserver<>() {
      @Override
      public void onNext(TailLogEntriesRequest request) {
        if (session.get() != null) {
          return; // like Cloud Logging, only the first request's query counts
        }
        try {
          List<String> projects = projects(request.getResourceNamesList());
          LogFilter filter = LogFilter.parse(request.getFilter());
          long buffer =
              request.hasBufferWindow()
                  ? request.getBufferWindow().getSeconds() * 1000
                      + request.getBufferWindow().getNanos() / 1_000_000
                  : DEFAULT_BUFFER_MILLIS;
          if (buffer < 0 || buffer > MAX_BUFFER_MILLIS) {
            throw Status.INVALID_ARGUMENT
                .withDescription("buffer_window must be between 0 and 60 s")
                .asRuntimeException();
          }
          session.set(tails.open(projects, filter, buffer, out));
        } catch (StatusRuntimeException e) {
          out.onError(e);
        }
      }

      @Override
      public void onError(Throwable t) {
        TailSessions.Session s = session.get();
        if (s != null) {
          s.cancelled();
        }
      }

      @Override
      public void onCompleted() {
        TailSessions.Session s = session.get();
        if (s != null) {
          s.close(Status.OK);
        } else {
          out.onCompleted();
        }
      }
    };
  }

  private static List<String> projects(List<String> resourceNames) {
    if (resourceNames.isEmpty()) {
      throw Status.INVALID_ARGUMENT
          .withDescription("resource_names is required, e.g. projects/P")
          .asRuntimeException();
    }
    List<String> projects = new ArrayList<>();
    for (String resource : resourceNames) {
      String[] parts = resource.split("/");
      if (parts.length != 2 || !parts[0].equals("projects") || parts[1].isEmpty()) {
        throw Status.INVALID_ARGUMENT
            .withDescription(
                "the emulator supports resource_names projects/P only, got " + resource)
            .asRuntimeException();
      }
      projects.add(parts[1]);
    }
    return projects;
  }

  private static Predicate<LogEntry> inProjects(List<String> projects, LogFilter filter) {
    return entry ->
        projects.contains(entry.getResource().getLabelsOrDefault("project_id", ""))
            && filter.test(entry);
  }

  /** TailLogEntries sessions open now on the project (each has received its first request). */
  public int tailSessions(String project) {
    return tails.open(project);
  }

  /**
   * Logging went down for tail sessions (a fault armed on TailLogEntries): every open session ends
   * now with this status, as Cloud Logging ends its streams in an outage; new ones are refused by
   * the fault itself.
   */
  public int endTailSessions(Status status) {
    return tails.endAll(status);
  }

  @Override
  public void close() {
    tails.close();
  }
}
