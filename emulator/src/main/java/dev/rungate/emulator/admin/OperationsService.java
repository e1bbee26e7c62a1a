package dev.rungate.emulator.admin;

import com.google.longrunning.DeleteOperationRequest;
import com.google.longrunning.GetOperationRequest;
import com.google.longrunning.ListOperationsRequest;
import com.google.longrunning.ListOperationsResponse;
import com.google.longrunning.Operation;
import com.google.longrunning.OperationsGrpc;
import com.google.longrunning.WaitOperationRequest;
import com.google.protobuf.Empty;
import dev.rungate.emulator.Names;
import dev.rungate.emulator.Rpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;

/** google.longrunning.Operations, so the real client's polling of Create/Update/Delete works. */
public final class OperationsService extends OperationsGrpc.OperationsImplBase {
  private static final Duration DEFAULT_WAIT = Duration.ofSeconds(60);
  private final OperationStore operations;

  public OperationsService(OperationStore operations) {
    this.operations = operations;
  }

  @Override
  public void getOperation(GetOperationRequest request, StreamObserver<Operation> observer) {
    Rpc.unary(
        observer,
        () -> operations.get(request.getName()).orElseThrow(() -> notFound(request.getName())));
  }

  @Override
  public void listOperations(
      ListOperationsRequest request, StreamObserver<ListOperationsResponse> observer) {
    Rpc.unary(
        observer,
        () -> {
          Names.requireParent(request.getName());
          if (!request.getFilter().isEmpty()) {
            throw Status.INVALID_ARGUMENT
                .withDescription(
                    "the emulator does not filter operations; list without a " + "filter")
                .asRuntimeException();
          }
          Rpc.Page<Operation> page =
              Rpc.page(
                  operations.list(request.getName()),
                  request.getPageSize(),
                  request.getPageToken(),
                  100);
          return ListOperationsResponse.newBuilder()
              .addAllOperations(page.items())
              .setNextPageToken(page.nextPageToken())
              .build();
        });
  }

  @Override
  public void deleteOperation(DeleteOperationRequest request, StreamObserver<Empty> observer) {
    Rpc.unary(
        observer,
        () -> {
          if (!operations.delete(request.getName())) {
            throw notFound(request.getName());
          }
          return Empty.getDefaultInstance();
        });
  }

  @Override
  public void waitOperation(WaitOperationRequest request, StreamObserver<Operation> observer) {
    Duration timeout =
        request.hasTimeout()
            ? Duration.ofSeconds(request.getTimeout().getSeconds(), request.getTimeout().getNanos())
            : DEFAULT_WAIT;
    Rpc.unary(
        observer,
        () ->
            operations
                .await(request.getName(), timeout)
                .orElseThrow(() -> notFound(request.getName())));
  }

  private static RuntimeException notFound(String name) {
    return Status.NOT_FOUND
        .withDescription("operation " + name + " does not exist")
        .asRuntimeException();
  }
}
