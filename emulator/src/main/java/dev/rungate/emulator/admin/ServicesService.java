package dev.rungate.emulator.admin;

import com.google.cloud.run.v2.CreateServiceRequest;
import com.google.cloud.run.v2.DeleteServiceRequest;
import com.google.cloud.run.v2.GetServiceRequest;
import com.google.cloud.run.v2.ListServicesRequest;
import com.google.cloud.run.v2.ListServicesResponse;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.ServicesGrpc;
import com.google.cloud.run.v2.UpdateServiceRequest;
import com.google.iam.v1.GetIamPolicyRequest;
import com.google.iam.v1.Policy;
import com.google.iam.v1.SetIamPolicyRequest;
import com.google.longrunning.Operation;
import com.google.protobuf.ByteString;
import dev.rungate.emulator.Names;
import dev.rungate.emulator.Rpc;
import dev.rungate.emulator.runtime.Housekeeping;
import io.grpc.stub.StreamObserver;
import java.util.UUID;

/** google.cloud.run.v2.Services over the emulator's store. */
public final class ServicesService extends ServicesGrpc.ServicesImplBase {
  private final ServiceStore store;
  private final Housekeeping housekeeping;
  private final OperationStore operations;

  public ServicesService(ServiceStore store, Housekeeping housekeeping, OperationStore operations) {
    this.store = store;
    this.housekeeping = housekeeping;
    this.operations = operations;
  }

  @Override
  public void createService(CreateServiceRequest request, StreamObserver<Operation> observer) {
    Rpc.unary(
        observer,
        () ->
            store.create(
                request.getParent(),
                request.getServiceId(),
                request.getService(),
                request.getValidateOnly()));
  }

  @Override
  public void getService(GetServiceRequest request, StreamObserver<Service> observer) {
    Rpc.unary(
        observer,
        () -> {
          synchronized (store) {
            return store.find(request.getName()).service;
          }
        });
  }

  @Override
  public void listServices(
      ListServicesRequest request, StreamObserver<ListServicesResponse> observer) {
    Rpc.unary(
        observer,
        () -> {
          Names.requireParent(request.getParent());
          Rpc.Page<Service> page =
              Rpc.page(
                  store.list(request.getParent()),
                  request.getPageSize(),
                  request.getPageToken(),
                  100);
          return ListServicesResponse.newBuilder()
              .addAllServices(page.items())
              .setNextPageToken(page.nextPageToken())
              .build();
        });
  }

  @Override
  public void updateService(UpdateServiceRequest request, StreamObserver<Operation> observer) {
    Rpc.unary(observer, () -> store.update(request));
  }

  @Override
  public void getIamPolicy(GetIamPolicyRequest request, StreamObserver<Policy> observer) {
    Rpc.unary(
        observer,
        () -> {
          synchronized (store) {
            return store.find(request.getResource()).iamPolicy;
          }
        });
  }

  /**
   * The service's IAM policy; allUsers as roles/run.invoker makes its URLs public
   * (--allow-unauthenticated).
   */
  @Override
  public void setIamPolicy(SetIamPolicyRequest request, StreamObserver<Policy> observer) {
    Rpc.unary(
        observer,
        () -> {
          synchronized (store) {
            ServiceRecord record = store.find(request.getResource());
            record.iamPolicy =
                request.getPolicy().toBuilder()
                    .setEtag(ByteString.copyFromUtf8(UUID.randomUUID().toString()))
                    .build();
            return record.iamPolicy;
          }
        });
  }

  @Override
  public void deleteService(DeleteServiceRequest request, StreamObserver<Operation> observer) {
    Rpc.unary(
        observer,
        () -> {
          Service deleted = housekeeping.deleteService(request.getName());
          return operations.done(Names.parentOf(request.getName()), deleted);
        });
  }
}
