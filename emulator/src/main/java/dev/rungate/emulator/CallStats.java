package dev.rungate.emulator;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts every gRPC call the emulator serves, per project (from the request's resource_names,
 * parent or name) and method full name: calls, and how many were refused for quota or auth (closed
 * with RESOURCE_EXHAUSTED, PERMISSION_DENIED or UNAUTHENTICATED; {@link #reject} counts a refusal
 * made another way).
 */
public final class CallStats implements ServerInterceptor {
  /** The status codes that count as "rejected". */
  public static final Set<Status.Code> REFUSALS =
      Set.of(
          Status.Code.RESOURCE_EXHAUSTED,
          Status.Code.PERMISSION_DENIED,
          Status.Code.UNAUTHENTICATED);

  private static final Pattern PROJECT = Pattern.compile("(?:^|/)projects/([^/]+)");
  private static final String[] NAME_FIELDS = {
    "resource_names", "parent", "name", "log_name", "service"
  };

  /** Calls and refusals of one method in one project. */
  public record Counts(long calls, long rejected) {}

  private record Key(String project, String method) {}

  private static final class Counter {
    final AtomicLong calls = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
  }

  private final Map<Key, Counter> counters = new ConcurrentHashMap<>();

  /** method full name -> counts, for one project, since the emulator started. */
  public Map<String, Counts> of(String project) {
    Map<String, Counts> out = new TreeMap<>();
    counters.forEach(
        (k, c) -> {
          if (k.project().equals(project)) {
            out.put(k.method(), new Counts(c.calls.get(), c.rejected.get()));
          }
        });
    return out;
  }

  /**
   * The counts of one method (full name, e.g. google.logging.v2.LoggingServiceV2/ListLogEntries) in
   * a project.
   */
  public Counts of(String project, String method) {
    Counter c = counters.get(new Key(project, method));
    return c == null ? new Counts(0, 0) : new Counts(c.calls.get(), c.rejected.get());
  }

  /** Counts a refusal that did not end a call with one of {@link #REFUSALS}. */
  public void reject(String project, String method) {
    counter(project, method).rejected.incrementAndGet();
  }

  private Counter counter(String project, String method) {
    return counters.computeIfAbsent(new Key(project, method), k -> new Counter());
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    Object lock = new Object();
    String[] project = {null};
    boolean[] refused = {false};
    ServerCall<Q, R> watched =
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            if (REFUSALS.contains(status.getCode())) {
              synchronized (lock) {
                refused[0] = true;
                if (project[0] != null) {
                  counter(project[0], method).rejected.incrementAndGet();
                }
              }
            }
            super.close(status, trailers);
          }
        };
    return new SimpleForwardingServerCallListener<>(next.startCall(watched, headers)) {
      @Override
      public void onMessage(Q message) {
        synchronized (lock) {
          if (project[0] == null) {
            project[0] = projectOf(message);
            if (project[0] != null) {
              Counter c = counter(project[0], method);
              c.calls.incrementAndGet();
              if (refused[0]) {
                c.rejected.incrementAndGet();
              }
            } else {
              project[0] = "";
            }
          }
        }
        super.onMessage(message);
      }
    };
  }

  /** The project named in the request's resource_names, parent, name (or service.name), or null. */
  static String projectOf(Object request) {
    if (!(request instanceof Message message)) {
      return null;
    }
    for (String field : NAME_FIELDS) {
      FieldDescriptor f = message.getDescriptorForType().findFieldByName(field);
      if (f == null) {
        continue;
      }
      Object value =
          f.isRepeated()
              ? (message.getRepeatedFieldCount(f) > 0 ? message.getRepeatedField(f, 0) : null)
              : message.getField(f);
      String found =
          value instanceof Message nested
              ? projectOf(nested)
              : value == null ? null : match(value.toString());
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  private static String match(String name) {
    Matcher m = PROJECT.matcher(name);
    return m.find() ? m.group(1) : null;
  }
}
