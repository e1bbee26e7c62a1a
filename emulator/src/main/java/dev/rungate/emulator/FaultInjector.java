package dev.rungate.emulator;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Chaos for tests: makes the next N calls of a gRPC method (e.g.
 * google.cloud.run.v2.Services/UpdateService, or every method of a service with SERVICE/*) wait a
 * delay and/or fail with a status code. Listeners hear of each fault as it is armed, so calls
 * already open (a TailLogEntries stream) can be ended too.
 */
public final class FaultInjector implements ServerInterceptor {
  /** A fault: {@code code} OK means delay only. */
  public record Fault(String method, Status.Code code, int times, Duration delay) {}

  private static final class Armed {
    final Fault fault;
    int left;

    Armed(Fault fault) {
      this.fault = fault;
      this.left = fault.times();
    }
  }

  private final List<Armed> armed = new ArrayList<>();
  private final List<Consumer<Fault>> listeners = new CopyOnWriteArrayList<>();

  public void inject(Fault fault) {
    if (fault.times() <= 0) {
      return;
    }
    synchronized (this) {
      armed.add(new Armed(fault));
    }
    listeners.forEach(l -> l.accept(fault));
  }

  /** Called with each fault once it is armed. */
  public void onArmed(Consumer<Fault> listener) {
    listeners.add(listener);
  }

  /** Whether the fault applies to this full method name (exactly, or as SERVICE/*). */
  public static boolean covers(Fault fault, String method) {
    String m = fault.method();
    return m.equals(method)
        || m.endsWith("/*") && method.startsWith(m.substring(0, m.length() - 1));
  }

  public synchronized void clear() {
    armed.clear();
  }

  private synchronized Fault take(String method) {
    for (Iterator<Armed> it = armed.iterator(); it.hasNext(); ) {
      Armed a = it.next();
      if (covers(a.fault, method)) {
        if (--a.left <= 0) {
          it.remove();
        }
        return a.fault;
      }
    }
    return null;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Fault fault = take(call.getMethodDescriptor().getFullMethodName());
    if (fault != null) {
      if (!fault.delay().isZero()) {
        try {
          Thread.sleep(fault.delay().toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (fault.code() != Status.Code.OK) {
        call.close(
            Status.fromCode(fault.code()).withDescription("fault injected by rungate-emulator"),
            new Metadata());
        return new ServerCall.Listener<>() {};
      }
    }
    return next.startCall(call, headers);
  }
}
