package dev.rungate.emulator.logging;

import dev.rungate.emulator.Rpc;

import com.google.logging.v2.ListLogEntriesRequest;
import com.google.logging.v2.ListLogEntriesResponse;
import com.google.logging.v2.LogEntry;
import com.google.logging.v2.LoggingServiceV2Grpc;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import io.grpc.stub.StreamObserver;

/** google.logging.v2.LoggingServiceV2 ListLogEntries over the emulator's log store. */
public final class LoggingService extends LoggingServiceV2Grpc.LoggingServiceV2ImplBase {
  private final LogStore logs;

  public LoggingService(LogStore logs) {
    this.logs = logs;
  }

  @Override
  public void listLogEntries(ListLogEntriesRequest request, StreamObserver<ListLogEntriesResponse> observer) {
    Rpc.unary(observer, () -> {
      LogFilter filter = LogFilter.parse(request.getFilter());
      List<String> projects = new ArrayList<>();
      for (String resource : request.getResourceNamesList()) {
        if (!resource.startsWith("projects/")) {
          throw Status.INVALID_ARGUMENT.withDescription("the emulator supports resource_names projects/P only")
              .asRuntimeException();
        }
        projects.add(resource.split("/")[1]);
      }
      List<LogEntry> matching = new ArrayList<>(logs.matching(entry -> filter.test(entry)
          && (projects.isEmpty() || projects.contains(entry.getResource().getLabelsOrDefault("project_id", "")))));
      String order = request.getOrderBy().trim().toLowerCase(java.util.Locale.ROOT);
      if (order.equals("timestamp desc")) {
        Collections.reverse(matching);
      } else if (!order.isEmpty() && !order.equals("timestamp asc") && !order.equals("timestamp")) {
        throw Status.INVALID_ARGUMENT.withDescription("order_by must be 'timestamp asc' or 'timestamp desc'")
            .asRuntimeException();
      }
      Rpc.Page<LogEntry> page = Rpc.page(matching, request.getPageSize(), request.getPageToken(), 50);
      return ListLogEntriesResponse.newBuilder().addAllEntries(page.items())
          .setNextPageToken(page.nextPageToken()).build();
    });
  }
}
