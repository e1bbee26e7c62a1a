package dev.rungate.emulator;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.Callable;

/** Small helpers shared by the gRPC services. */
public final class Rpc {
  private Rpc() {}

  /** Answers a unary call with the value, or with the call's gRPC status when it throws. */
  public static <T> void unary(StreamObserver<T> observer, Callable<T> call) {
    T value;
    try {
      value = call.call();
    } catch (StatusRuntimeException e) {
      observer.onError(e);
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      observer.onError(Status.CANCELLED.withDescription("interrupted").asRuntimeException());
      return;
    } catch (Exception e) {
      observer.onError(
          Status.INTERNAL.withDescription(e.toString()).withCause(e).asRuntimeException());
      return;
    }
    observer.onNext(value);
    observer.onCompleted();
  }

  /** One page of a list: page_token is the offset as text. */
  public record Page<T>(List<T> items, String nextPageToken) {}

  public static <T> Page<T> page(List<T> all, int pageSize, String pageToken, int defaultSize) {
    int size = pageSize > 0 ? Math.min(pageSize, 1000) : defaultSize;
    int from;
    try {
      from = pageToken.isEmpty() ? 0 : Integer.parseInt(pageToken);
    } catch (NumberFormatException e) {
      throw Status.INVALID_ARGUMENT
          .withDescription("bad page_token: " + pageToken)
          .asRuntimeException();
    }
    from = Math.min(Math.max(0, from), all.size());
    int to = Math.min(all.size(), from + size);
    return new Page<>(all.subList(from, to), to < all.size() ? Integer.toString(to) : "");
  }
}
