package dev.rungate.emulator.cli;

import com.google.logging.v2.ListLogEntriesRequest;
import com.google.logging.v2.ListLogEntriesResponse;
import com.google.logging.v2.LogEntry;
import com.google.logging.v2.LoggingServiceV2Grpc;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.rungate.emulator.EmulatorClients;
import dev.rungate.emulator.logging.LogFilter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "logs", description = "Print the log entries of a revision, oldest first.")
final class LogsCommand implements Callable<Integer> {
  /**
   * Prints through its command line's out and err (System.out and System.err unless a caller in
   * process sets them).
   */
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ClientOptions client;

  @Option(names = "--revision", required = true)
  String revision;

  @Option(names = "--filter", description = "Extra filter clauses, joined with AND.")
  String filter;

  @Override
  public Integer call() {
    String query =
        "resource.type=\"cloud_run_revision\" AND resource.labels.revision_name=\""
            + revision
            + "\""
            + (filter == null ? "" : " AND " + filter);
    try (EmulatorClients clients = new EmulatorClients(client.endpoint)) {
      LoggingServiceV2Grpc.LoggingServiceV2BlockingStub logging =
          LoggingServiceV2Grpc.newBlockingStub(clients.channel());
      String token = "";
      do {
        ListLogEntriesResponse page =
            logging.listLogEntries(
                ListLogEntriesRequest.newBuilder()
                    .addResourceNames("projects/" + client.project)
                    .setFilter(query)
                    .setPageToken(token)
                    .setPageSize(500)
                    .build());
        for (LogEntry e : page.getEntriesList()) {
          spec.commandLine()
              .getOut()
              .println(
                  LogFilter.toInstant(e.getTimestamp())
                      + " "
                      + e.getSeverity()
                      + " "
                      + e.getLogName().substring(e.getLogName().lastIndexOf('/') + 1)
                      + " "
                      + payload(e));
        }
        token = page.getNextPageToken();
      } while (!token.isEmpty());
    }
    return 0;
  }

  /** The text, or a structured entry's JSON on one line. */
  private static String payload(LogEntry e) {
    if (!e.hasJsonPayload()) {
      return e.getTextPayload();
    }
    try {
      return JsonFormat.printer().omittingInsignificantWhitespace().print(e.getJsonPayload());
    } catch (InvalidProtocolBufferException impossible) {
      return e.getJsonPayload().toString();
    }
  }
}
