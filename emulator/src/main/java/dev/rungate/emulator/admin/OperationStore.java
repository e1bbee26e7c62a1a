package dev.rungate.emulator.admin;

import com.google.longrunning.Operation;
import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.rpc.Status;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** google.longrunning operations: created pending or done, finished later by the service store. */
public final class OperationStore {
  private final Map<String, Operation> operations = new ConcurrentHashMap<>();
  private final Map<String, Long> created = new ConcurrentHashMap<>();

  /**
   * A finished operation whose response and metadata are the resource (as Cloud Run's client
   * expects).
   */
  Operation done(String parent, Message resource) {
    return save(
        Operation.newBuilder()
            .setName(newName(parent))
            .setDone(true)
            .setMetadata(Any.pack(resource))
            .setResponse(Any.pack(resource))
            .build());
  }

  Operation pending(String parent, Message resource) {
    return save(
        Operation.newBuilder().setName(newName(parent)).setMetadata(Any.pack(resource)).build());
  }

  void succeed(String name, Message resource) {
    finish(
        name,
        Operation.newBuilder()
            .setName(name)
            .setDone(true)
            .setMetadata(Any.pack(resource))
            .setResponse(Any.pack(resource))
            .build());
  }

  void fail(String name, Message resource, io.grpc.Status.Code code, String message) {
    finish(
        name,
        Operation.newBuilder()
            .setName(name)
            .setDone(true)
            .setMetadata(Any.pack(resource))
            .setError(Status.newBuilder().setCode(code.value()).setMessage(message))
            .build());
  }

  /**
   * Operations under a location (projects/P/locations/L), oldest first, as ListOperations returns
   * them.
   */
  List<Operation> list(String location) {
    return operations.values().stream()
        .filter(op -> op.getName().startsWith(location + "/operations/"))
        .sorted(Comparator.comparing(op -> created.getOrDefault(op.getName(), 0L)))
        .toList();
  }

  /** DeleteOperation: forgets it; the work it stands for goes on. */
  boolean delete(String name) {
    created.remove(name);
    return operations.remove(name) != null;
  }

  Optional<Operation> get(String name) {
    return Optional.ofNullable(operations.get(name));
  }

  /**
   * Waits until the operation is done or the timeout passes; returns its latest state. The timeout
   * is real time (a caller waiting for revisions, which are real processes), not the emulator's
   * clock.
   */
  public Optional<Operation> await(String name, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      Operation op = operations.get(name);
      while (op != null && !op.getDone()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        wait(Math.max(1, left / 1_000_000));
        op = operations.get(name);
      }
      return Optional.ofNullable(op);
    }
  }

  private synchronized void finish(String name, Operation done) {
    if (operations.containsKey(name)) {
      operations.put(name, done);
      notifyAll();
    }
  }

  /** {@code created} orders ListOperations only, so a monotonic real counter does. */
  private Operation save(Operation op) {
    created.put(op.getName(), System.nanoTime());
    operations.put(op.getName(), op);
    return op;
  }

  private static String newName(String parent) {
    return parent + "/operations/" + UUID.randomUUID();
  }
}
