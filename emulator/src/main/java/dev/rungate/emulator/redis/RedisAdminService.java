package dev.rungate.emulator.redis;

import com.google.cloud.redis.v1.Instance;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.function.Supplier;

/**
 * The emulator's own RPCs to create and change Memorystore instances (service
 * rungate.emulator.v1.RedisAdmin, messages google.protobuf.Struct), used by `rungate-emulator
 * redis`. The reply is the instance as GetInstance returns it, as JSON in field "instance".
 */
public final class RedisAdminService {
  static final String SERVICE = "rungate.emulator.v1.RedisAdmin";
  public static final MethodDescriptor<Struct, Struct> CREATE = method("CreateInstance");
  public static final MethodDescriptor<Struct, Struct> UPDATE = method("UpdateInstance");

  private RedisAdminService() {}

  private static MethodDescriptor<Struct, Struct> method(String name) {
    return MethodDescriptor.<Struct, Struct>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
        .setRequestMarshaller(ProtoUtils.marshaller(Struct.getDefaultInstance()))
        .setResponseMarshaller(ProtoUtils.marshaller(Struct.getDefaultInstance()))
        .build();
  }

  public static ServerServiceDefinition definition(RedisInstanceStore store) {
    return ServerServiceDefinition.builder(SERVICE)
        .addMethod(
            CREATE,
            ServerCalls.asyncUnaryCall(
                (request, out) -> answer(out, () -> store.create(change(request)))))
        .addMethod(
            UPDATE,
            ServerCalls.asyncUnaryCall(
                (request, out) -> answer(out, () -> store.update(change(request)))))
        .build();
  }

  private static void answer(StreamObserver<Struct> out, Supplier<Instance> call) {
    try {
      String json = JsonFormat.printer().print(call.get());
      out.onNext(
          Struct.newBuilder()
              .putFields("instance", Value.newBuilder().setStringValue(json).build())
              .build());
      out.onCompleted();
    } catch (StatusRuntimeException e) {
      out.onError(e);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      out.onError(
          Status.INTERNAL.withDescription(e.getClass().getSimpleName()).asRuntimeException());
    }
  }

  static RedisInstanceStore.Change change(Struct s) {
    String port = text(s, "port");
    String tls = text(s, "tls");
    try {
      return new RedisInstanceStore.Change(
          text(s, "name"),
          text(s, "host"),
          port == null ? null : Integer.valueOf(port),
          tls == null ? null : Boolean.valueOf(tls),
          text(s, "caPem"),
          text(s, "auth"),
          text(s, "state"),
          instant(text(s, "maintenanceStart")),
          instant(text(s, "maintenanceEnd")),
          text(s, "network"));
    } catch (NumberFormatException | DateTimeParseException e) {
      throw Status.INVALID_ARGUMENT
          .withDescription("bad argument: " + e.getMessage())
          .asRuntimeException();
    }
  }

  /** A field's text, null when absent (an empty string is a value: e.g. auth "" turns AUTH off). */
  static String text(Struct s, String key) {
    Value v = s.getFieldsOrDefault(key, null);
    return v == null ? null : v.getStringValue();
  }

  private static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
  }
}
