package dev.rungate.emulator.cli;

import com.google.protobuf.Struct;
import dev.rungate.emulator.EmulatorClients;
import dev.rungate.emulator.admin.AdminService;
import io.grpc.CallOptions;
import io.grpc.stub.ClientCalls;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "fault",
    description =
        "Make the next calls of a gRPC method fail and/or wait, e.g. "
            + "--method google.cloud.run.v2.Services/UpdateService --code UNAVAILABLE --times 2 --delay 3s. A failing fault "
            + "on google.logging.v2.LoggingServiceV2/TailLogEntries (or LoggingServiceV2/*) also ends the open tail "
            + "streams with its code at once.")
final class FaultCommand implements Callable<Integer> {
  /**
   * Prints through its command line's out and err (System.out and System.err unless a caller in
   * process sets them).
   */
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ClientOptions client;

  @Option(
      names = "--method",
      description = "Full gRPC method name, or SERVICE/* for every method of a service.")
  String method;

  @Option(
      names = "--code",
      defaultValue = "UNAVAILABLE",
      description = "gRPC status code; OK for delay only.")
  String code;

  @Option(names = "--times", defaultValue = "1")
  int times;

  @Option(names = "--delay", defaultValue = "0s", description = "e.g. 500ms, 3s.")
  String delay;

  @Option(names = "--clear", description = "Remove every armed fault.")
  boolean clear;

  @Override
  public Integer call() {
    try (EmulatorClients clients = new EmulatorClients(client.endpoint)) {
      if (clear) {
        ClientCalls.blockingUnaryCall(
            clients.channel(),
            AdminService.CLEAR_FAULTS,
            CallOptions.DEFAULT,
            Struct.getDefaultInstance());
        return 0;
      }
      if (method == null) {
        throw new IllegalArgumentException("--method is required");
      }
      ClientCalls.blockingUnaryCall(
          clients.channel(),
          AdminService.INJECT_FAULT,
          CallOptions.DEFAULT,
          Struct.newBuilder()
              .putFields("method", AdminService.str(method))
              .putFields("code", AdminService.str(code))
              .putFields("times", AdminService.num(times))
              .putFields("delayMillis", AdminService.num(parse(delay).toMillis()))
              .build());
      spec.commandLine()
          .getOut()
          .println(
              "armed: "
                  + method
                  + " -> "
                  + code
                  + " x"
                  + times
                  + (delay.equals("0s") ? "" : " after " + delay));
    }
    return 0;
  }

  static Duration parse(String text) {
    if (text.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
    }
    if (text.endsWith("s")) {
      return Duration.ofMillis(
          (long) (Double.parseDouble(text.substring(0, text.length() - 1)) * 1000));
    }
    return Duration.ofSeconds(Long.parseLong(text));
  }
}
