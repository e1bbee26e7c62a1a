package dev.rungate.emulator.redis;

import com.google.cloud.redis.v1.CloudRedisGrpc;
import com.google.cloud.redis.v1.GetInstanceAuthStringRequest;
import com.google.cloud.redis.v1.GetInstanceRequest;
import com.google.cloud.redis.v1.Instance;
import com.google.cloud.redis.v1.InstanceAuthString;
import com.google.cloud.redis.v1.ListInstancesRequest;
import com.google.cloud.redis.v1.ListInstancesResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.function.Supplier;

/**
 * google.cloud.redis.v1.CloudRedis: GetInstance, ListInstances (paged), GetInstanceAuthString. The
 * other methods answer UNIMPLEMENTED (instances are managed with `rungate-emulator redis`).
 */
public final class CloudRedisService extends CloudRedisGrpc.CloudRedisImplBase {
  private static final int DEFAULT_PAGE = 1000;
  private final RedisInstanceStore store;

  public CloudRedisService(RedisInstanceStore store) {
    this.store = store;
  }

  @Override
  public void getInstance(GetInstanceRequest request, StreamObserver<Instance> out) {
    unary(
        out,
        () ->
            store
                .get(request.getName())
                .orElseThrow(
                    () ->
                        Status.NOT_FOUND
                            .withDescription("Resource '" + request.getName() + "' was not found")
                            .asRuntimeException()));
  }

  @Override
  public void listInstances(
      ListInstancesRequest request, StreamObserver<ListInstancesResponse> out) {
    unary(
        out,
        () -> {
          List<Instance> all = store.list(request.getParent());
          int size =
              request.getPageSize() <= 0
                  ? DEFAULT_PAGE
                  : Math.min(request.getPageSize(), DEFAULT_PAGE);
          int from;
          try {
            from = request.getPageToken().isEmpty() ? 0 : Integer.parseInt(request.getPageToken());
          } catch (NumberFormatException e) {
            throw Status.INVALID_ARGUMENT
                .withDescription("invalid page_token")
                .asRuntimeException();
          }
          int to = Math.min(all.size(), from + size);
          return ListInstancesResponse.newBuilder()
              .addAllInstances(all.subList(Math.min(from, to), to))
              .setNextPageToken(to < all.size() ? Integer.toString(to) : "")
              .build();
        });
  }

  @Override
  public void getInstanceAuthString(
      GetInstanceAuthStringRequest request, StreamObserver<InstanceAuthString> out) {
    unary(
        out,
        () ->
            InstanceAuthString.newBuilder()
                .setAuthString(store.authString(request.getName()))
                .build());
  }

  private static <T> void unary(StreamObserver<T> out, Supplier<T> call) {
    T result;
    try {
      result = call.get();
    } catch (StatusRuntimeException e) {
      out.onError(e);
      return;
    } catch (RuntimeException e) {
      out.onError(
          Status.INTERNAL.withDescription(e.getClass().getSimpleName()).asRuntimeException());
      return;
    }
    out.onNext(result);
    out.onCompleted();
  }
}
