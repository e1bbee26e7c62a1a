package dev.rungate.emulator.cli;

import com.google.protobuf.util.JsonFormat;
import dev.rungate.emulator.EmulatorClients;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "describe",
    description = "Print a service (or with --revision, a revision) as JSON.")
final class DescribeCommand implements Callable<Integer> {
  /**
   * Prints through its command line's out and err (System.out and System.err unless a caller in
   * process sets them).
   */
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ClientOptions client;

  @Option(names = "--service", required = true)
  String service;

  @Option(names = "--revision")
  String revision;

  @Override
  public Integer call() throws Exception {
    try (EmulatorClients clients = new EmulatorClients(client.endpoint)) {
      spec.commandLine()
          .getOut()
          .println(
              JsonFormat.printer()
                  .print(
                      revision == null
                          ? clients.services().getService(client.service(service))
                          : clients.revisions().getRevision(client.revision(service, revision))));
    }
    return 0;
  }
}
