package dev.rungate.emulator.cli;

import dev.rungate.emulator.EmulatorClients;

import com.google.protobuf.util.JsonFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "describe", description = "Print a service (or with --revision, a revision) as JSON.")
final class DescribeCommand implements Callable<Integer> {
  @Mixin
  ClientOptions client;

  @Option(names = "--service", required = true)
  String service;

  @Option(names = "--revision")
  String revision;

  @Override
  public Integer call() throws Exception {
    try (EmulatorClients clients = new EmulatorClients(client.endpoint)) {
      System.out.println(JsonFormat.printer().print(revision == null
          ? clients.services().getService(client.service(service))
          : clients.revisions().getRevision(client.revision(service, revision))));
    }
    return 0;
  }
}
