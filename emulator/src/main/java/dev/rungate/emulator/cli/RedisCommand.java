package dev.rungate.emulator.cli;

import com.google.cloud.redis.v1.CloudRedisGrpc;
import com.google.cloud.redis.v1.GetInstanceRequest;
import com.google.cloud.redis.v1.Instance;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.rungate.emulator.redis.RedisAdminService;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * rungate-emulator redis create|update|describe: Memorystore instances describing local
 * redis-server processes.
 */
@Command(
    name = "redis",
    description =
        "Memorystore for Redis instances of the emulator (Admin API v1 on its gRPC port).",
    subcommands = {
      RedisCommand.Create.class,
      RedisCommand.Update.class,
      RedisCommand.Describe.class
    })
public final class RedisCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  abstract static class Base implements Callable<Integer> {
    @Mixin EndpointOption endpoint;

    @Option(names = "--name", required = true, description = "projects/P/locations/R/instances/I")
    String name;

    /**
     * Prints through its command line's out and err (System.out and System.err unless a caller in
     * process sets them).
     */
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      ManagedChannel channel =
          ManagedChannelBuilder.forTarget(endpoint.endpoint).usePlaintext().build();
      try {
        spec.commandLine().getOut().println(run(channel));
        return 0;
      } catch (StatusRuntimeException e) {
        spec.commandLine()
            .getErr()
            .println(
                "rungate-emulator redis: "
                    + e.getStatus().getCode()
                    + ": "
                    + e.getStatus().getDescription());
        return 1;
      } finally {
        channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
      }
    }

    abstract String run(ManagedChannel channel) throws Exception;
  }

  abstract static class Change extends Base {
    @Option(
        names = "--host",
        description = "Address of the local redis-server (default 127.0.0.1).")
    String host;

    @Option(names = "--port", description = "Its port (default 6379, 6378 with --tls).")
    Integer port;

    @Option(
        names = "--tls",
        description = "In-transit encryption (SERVER_AUTHENTICATION); only at create.")
    Boolean tls;

    @Option(
        names = "--ca-file",
        description = "PEM bundle of the redis-server's CA(s), published as server_ca_certs.")
    Path caFile;

    @Option(
        names = "--auth",
        description = "The redis-server's requirepass: AUTH enabled with this string; '' disables.")
    String auth;

    @Option(
        names = "--state",
        description =
            "READY, CREATING, UPDATING, DELETING, REPAIRING, MAINTENANCE, IMPORTING, FAILING_OVER.")
    String state;

    @Option(
        names = "--maintenance-start",
        description =
            "Next scheduled maintenance: an instant (2026-01-02T03:04:05Z) or an offset from now (+10m, -5m).")
    String maintenanceStart;

    @Option(
        names = "--maintenance-end",
        description = "Its end, same forms (default: one hour after the start).")
    String maintenanceEnd;

    @Option(
        names = "--network",
        description = "authorized_network (default projects/P/global/networks/default).")
    String network;

    Struct request() throws IOException {
      Struct.Builder s = Struct.newBuilder();
      put(s, "name", name);
      put(s, "host", host);
      put(s, "port", port == null ? null : port.toString());
      put(s, "tls", tls == null ? null : tls.toString());
      put(s, "caPem", caFile == null ? null : Files.readString(caFile));
      put(s, "auth", auth);
      put(s, "state", state == null ? null : state.toUpperCase());
      put(s, "maintenanceStart", when(maintenanceStart));
      put(s, "maintenanceEnd", when(maintenanceEnd));
      put(s, "network", network);
      return s.build();
    }

    String summary(Struct reply) throws Exception {
      var b = Instance.newBuilder();
      JsonFormat.parser().merge(reply.getFieldsOrThrow("instance").getStringValue(), b);
      return b.getName()
          + " "
          + b.getState()
          + " "
          + b.getHost()
          + ":"
          + b.getPort()
          + (b.getServerCaCertsCount() > 0 ? " TLS" : "")
          + (b.getAuthEnabled() ? " AUTH" : "")
          + (b.hasMaintenanceSchedule()
              ? " maintenance "
                  + JsonFormat.printer().print(b.getMaintenanceSchedule()).replaceAll("\\s+", " ")
              : "");
    }

    private static void put(Struct.Builder s, String key, String value) {
      if (value != null) {
        s.putFields(key, Value.newBuilder().setStringValue(value).build());
      }
    }

    static String when(String text) {
      if (text == null) {
        return null;
      }
      if (text.startsWith("+") || text.startsWith("-")) {
        Duration d = Duration.parse("PT" + text.substring(1).toUpperCase());
        return (text.startsWith("+") ? Instant.now().plus(d) : Instant.now().minus(d)).toString();
      }
      return Instant.parse(text).toString();
    }
  }

  @Command(name = "create", description = "Create an instance describing a local redis-server.")
  static final class Create extends Change {
    @Override
    String run(ManagedChannel channel) throws Exception {
      return summary(
          ClientCalls.blockingUnaryCall(
              channel, RedisAdminService.CREATE, CallOptions.DEFAULT, request()));
    }
  }

  @Command(name = "update", description = "Change an instance: only the options given change.")
  static final class Update extends Change {
    @Override
    String run(ManagedChannel channel) throws Exception {
      return summary(
          ClientCalls.blockingUnaryCall(
              channel, RedisAdminService.UPDATE, CallOptions.DEFAULT, request()));
    }
  }

  @Command(
      name = "describe",
      description = "Print the instance as GetInstance returns it (JSON; never the AUTH string).")
  static final class Describe extends Base {
    @Override
    String run(ManagedChannel channel) throws Exception {
      return JsonFormat.printer()
          .print(
              CloudRedisGrpc.newBlockingStub(channel)
                  .getInstance(GetInstanceRequest.newBuilder().setName(name).build()));
    }
  }
}
