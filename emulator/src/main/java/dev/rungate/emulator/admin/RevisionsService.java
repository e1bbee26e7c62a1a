package dev.rungate.emulator.admin;

import com.google.cloud.run.v2.DeleteRevisionRequest;
import com.google.cloud.run.v2.GetRevisionRequest;
import com.google.cloud.run.v2.ListRevisionsRequest;
import com.google.cloud.run.v2.ListRevisionsResponse;
import com.google.cloud.run.v2.Revision;
import com.google.cloud.run.v2.RevisionsGrpc;
import com.google.longrunning.Operation;
import dev.rungate.emulator.Names;
import dev.rungate.emulator.Rpc;
import dev.rungate.emulator.runtime.Housekeeping;
import io.grpc.stub.StreamObserver;

/** google.cloud.run.v2.Revisions: read and delete the revisions the store runs. */
public final class RevisionsService extends RevisionsGrpc.RevisionsImplBase {
  private final Housekeeping housekeeping;
  private final OperationStore operations;

  public RevisionsService(Housekeeping housekeeping, OperationStore operations) {
    this.housekeeping = housekeeping;
    this.operations = operations;
  }

  @Override
  public void getRevision(GetRevisionRequest request, StreamObserver<Revision> observer) {
    Rpc.unary(observer, () -> housekeeping.getRevision(request.getName()));
  }

  @Override
  public void listRevisions(
      ListRevisionsRequest request, StreamObserver<ListRevisionsResponse> observer) {
    Rpc.unary(
        observer,
        () -> {
          Rpc.Page<Revision> page =
              Rpc.page(
                  housekeeping.listRevisions(request.getParent()),
                  request.getPageSize(),
                  request.getPageToken(),
                  100);
          return ListRevisionsResponse.newBuilder()
              .addAllRevisions(page.items())
              .setNextPageToken(page.nextPageToken())
              .build();
        });
  }

  @Override
  public void deleteRevision(DeleteRevisionRequest request, StreamObserver<Operation> observer) {
    Rpc.unary(
        observer,
        () -> {
          Revision deleted =
              request.getValidateOnly()
                  ? housekeeping.getRevision(request.getName())
                  : housekeeping.deleteRevision(request.getName());
          return operations.done(Names.parentOf(Names.serviceOf(request.getName())), deleted);
        });
  }
}
