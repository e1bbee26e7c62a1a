package dev.rungate.emulator.admin;

import com.google.cloud.run.v2.TrafficTarget;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.rungate.emulator.CallStats;
import dev.rungate.emulator.FaultInjector;
import dev.rungate.emulator.Rpc;
import dev.rungate.emulator.UpdateHistory;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import java.time.Duration;

/**
 * The emulator's own admin RPCs on the same port (service rungate.emulator.v1.Admin, messages are
 * google.protobuf.Struct): InjectFault, ClearFaults, History and Stats.
 */
public final class AdminService {
  static final String SERVICE = "rungate.emulator.v1.Admin";
  public static final MethodDescriptor<Struct, Struct> INJECT_FAULT = method("InjectFault");
  public static final MethodDescriptor<Struct, Struct> CLEAR_FAULTS = method("ClearFaults");
  public static final MethodDescriptor<Struct, Struct> HISTORY = method("History");
  public static final MethodDescriptor<Struct, Struct> STATS = method("Stats");

  private AdminService() {}

  private static MethodDescriptor<Struct, Struct> method(String name) {
    return MethodDescriptor.<Struct, Struct>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
        .setRequestMarshaller(ProtoUtils.marshaller(Struct.getDefaultInstance()))
        .setResponseMarshaller(ProtoUtils.marshaller(Struct.getDefaultInstance()))
        .build();
  }

  public static ServerServiceDefinition definition(FaultInjector faults, UpdateHistory history) {
    return definition(faults, history, new CallStats());
  }

  public static ServerServiceDefinition definition(
      FaultInjector faults, UpdateHistory history, CallStats stats) {
    return ServerServiceDefinition.builder(SERVICE)
        .addMethod(
            STATS,
            ServerCalls.asyncUnaryCall(
                (request, observer) ->
                    Rpc.unary(observer, () -> statsOf(stats, text(request, "project", "")))))
        .addMethod(
            INJECT_FAULT,
            ServerCalls.asyncUnaryCall(
                (request, observer) ->
                    Rpc.unary(
                        observer,
                        () -> {
                          faults.inject(parseFault(request));
                          return Struct.getDefaultInstance();
                        })))
        .addMethod(
            CLEAR_FAULTS,
            ServerCalls.asyncUnaryCall(
                (request, observer) ->
                    Rpc.unary(
                        observer,
                        () -> {
                          faults.clear();
                          return Struct.getDefaultInstance();
                        })))
        .addMethod(
            HISTORY,
            ServerCalls.asyncUnaryCall(
                (request, observer) ->
                    Rpc.unary(observer, () -> historyOf(history, text(request, "service", "")))))
        .build();
  }

  static FaultInjector.Fault parseFault(Struct request) {
    try {
      return new FaultInjector.Fault(
          text(request, "method", ""),
          Status.Code.valueOf(text(request, "code", "UNAVAILABLE")),
          (int)
              request
                  .getFieldsOrDefault("times", Value.newBuilder().setNumberValue(1).build())
                  .getNumberValue(),
          Duration.ofMillis(
              (long)
                  request
                      .getFieldsOrDefault("delayMillis", Value.getDefaultInstance())
                      .getNumberValue()));
    } catch (IllegalArgumentException e) {
      throw Status.INVALID_ARGUMENT
          .withDescription("bad fault: " + e.getMessage())
          .asRuntimeException();
    }
  }

  static Struct historyOf(UpdateHistory history, String service) {
    ListValue.Builder changes = ListValue.newBuilder();
    for (UpdateHistory.Change c : history.of(service)) {
      ListValue.Builder traffic = ListValue.newBuilder();
      for (TrafficTarget t : c.traffic()) {
        traffic.addValues(
            Value.newBuilder()
                .setStructValue(
                    Struct.newBuilder()
                        .putFields("type", str(t.getType().name()))
                        .putFields("revision", str(t.getRevision()))
                        .putFields("percent", num(t.getPercent()))
                        .putFields("tag", str(t.getTag()))));
      }
      changes.addValues(
          Value.newBuilder()
              .setStructValue(
                  Struct.newBuilder()
                      .putFields("service", str(c.service()))
                      .putFields("at", str(c.at().toString()))
                      .putFields("method", str(c.method()))
                      .putFields("generation", num(c.generation()))
                      .putFields("outcome", str(c.outcome()))
                      .putFields("traffic", Value.newBuilder().setListValue(traffic).build())));
    }
    return Struct.newBuilder()
        .putFields("changes", Value.newBuilder().setListValue(changes).build())
        .build();
  }

  static Struct statsOf(CallStats stats, String project) {
    Struct.Builder out = Struct.newBuilder();
    stats
        .of(project)
        .forEach(
            (method, c) ->
                out.putFields(
                    method,
                    Value.newBuilder()
                        .setStructValue(
                            Struct.newBuilder()
                                .putFields("calls", num(c.calls()))
                                .putFields("rejected", num(c.rejected())))
                        .build()));
    return out.build();
  }

  static String text(Struct s, String key, String fallback) {
    Value v = s.getFieldsOrDefault(key, null);
    return v == null || v.getStringValue().isEmpty() ? fallback : v.getStringValue();
  }

  public static Value str(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }

  public static Value num(double d) {
    return Value.newBuilder().setNumberValue(d).build();
  }
}
