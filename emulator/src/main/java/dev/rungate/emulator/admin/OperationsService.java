package dev.rungate.emulator.admin;

import dev.rungate.emulator.Rpc;

import com.google.longrunning.GetOperationRequest;
import com.google.longrunning.Operation;
import com.google.longrunning.OperationsGrpc;
import com.google.longrunning.WaitOperationRequest;
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
    Rpc.unary(observer, () -> operations.get(request.getName()).orElseThrow(() -> notFound(request.getName())));
  }

  @Override
  public void waitOperation(WaitOperationRequest request, StreamObserver<Operation> observer) {
    Duration timeout = request.hasTimeout()
        ? Duration.ofSeconds(request.getTimeout().getSeconds(), request.getTimeout().getNanos()) : DEFAULT_WAIT;
    Rpc.unary(observer, () -> operations.await(request.getName(), timeout)
        .orElseThrow(() -> notFound(request.getName())));
  }

  private static RuntimeException notFound(String name) {
    return Status.NOT_FOUND.withDescription("operation " + name + " does not exist").asRuntimeException();
  }
}
