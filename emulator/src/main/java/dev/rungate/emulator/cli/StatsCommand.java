package dev.rungate.emulator.cli;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.rungate.emulator.EmulatorClients;
import dev.rungate.emulator.admin.AdminService;
import io.grpc.CallOptions;
import io.grpc.stub.ClientCalls;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "stats",
    description =
        "Print, as JSON, the gRPC calls the emulator served for --project since it started: one key per "
            + "method full name, each {\"calls\": N, \"rejected\": M} (rejected = refused for quota or auth).")
final class StatsCommand implements Callable<Integer> {
  /**
   * Prints through its command line's out and err (System.out and System.err unless a caller in
   * process sets them).
   */
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ClientOptions client;

  @Override
  public Integer call() {
    try (EmulatorClients clients = new EmulatorClients(client.endpoint)) {
      Struct reply =
          ClientCalls.blockingUnaryCall(
              clients.channel(),
              AdminService.STATS,
              CallOptions.DEFAULT,
              Struct.newBuilder().putFields("project", AdminService.str(client.project)).build());
      StringJoiner json = new StringJoiner(",\n", "{\n", "\n}");
      for (Map.Entry<String, Value> m : new TreeMap<>(reply.getFieldsMap()).entrySet()) {
        Struct c = m.getValue().getStructValue();
        json.add(
            "  \""
                + m.getKey()
                + "\": {\"calls\": "
                + count(c, "calls")
                + ", \"rejected\": "
                + count(c, "rejected")
                + "}");
      }
      spec.commandLine().getOut().println(reply.getFieldsCount() == 0 ? "{}" : json.toString());
    }
    return 0;
  }

  private static long count(Struct s, String key) {
    return (long) s.getFieldsOrDefault(key, Value.getDefaultInstance()).getNumberValue();
  }
}
