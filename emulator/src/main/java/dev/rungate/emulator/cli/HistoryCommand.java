package dev.rungate.emulator.cli;

import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import dev.rungate.emulator.EmulatorClients;
import dev.rungate.emulator.admin.AdminService;
import io.grpc.CallOptions;
import io.grpc.stub.ClientCalls;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "history",
    description = "Print every Create/UpdateService call of a service and the traffic it set.")
final class HistoryCommand implements Callable<Integer> {
  /**
   * Prints through its command line's out and err (System.out and System.err unless a caller in
   * process sets them).
   */
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ClientOptions client;

  @Option(names = "--service", required = true)
  String service;

  @Override
  public Integer call() throws Exception {
    try (EmulatorClients clients = new EmulatorClients(client.endpoint)) {
      Struct reply =
          ClientCalls.blockingUnaryCall(
              clients.channel(),
              AdminService.HISTORY,
              CallOptions.DEFAULT,
              Struct.newBuilder()
                  .putFields("service", AdminService.str(client.service(service)))
                  .build());
      spec.commandLine().getOut().println(JsonFormat.printer().print(reply));
    }
    return 0;
  }
}
