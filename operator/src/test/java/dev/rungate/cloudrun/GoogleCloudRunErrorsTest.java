package dev.rungate.cloudrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.google.api.core.ApiFutures;
import com.google.api.gax.grpc.GrpcStatusCode;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.ApiExceptionFactory;
import com.google.api.gax.rpc.UnaryCallable;
import com.google.cloud.logging.v2.LoggingClient;
import com.google.cloud.run.v2.RevisionsClient;
import com.google.cloud.run.v2.ServicesClient;
import com.google.cloud.run.v2.UpdateServiceRequest;
import com.google.longrunning.Operation;
import dev.rungate.api.spec.ServiceRef;
import dev.rungate.api.status.TrafficEntry;
import io.grpc.Status;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mockito.ArgumentCaptor;

/**
 * Unit test of the adapter over a mocked gax client: every status code maps, and the update's
 * shape.
 */
class GoogleCloudRunErrorsTest {
  private static final ServiceRef REF = new ServiceRef("p", "europe-west1", "shop");
  private final ServicesClient services = mock(ServicesClient.class);

  @SuppressWarnings("unchecked")
  private final UnaryCallable<UpdateServiceRequest, Operation> update = mock(UnaryCallable.class);

  private final GoogleCloudRun cloudRun =
      new GoogleCloudRun(
          GoogleClients.of(services, mock(RevisionsClient.class), mock(LoggingClient.class)));

  private static ApiException apiException(Status.Code code, String description) {
    return ApiExceptionFactory.createException(
        Status.fromCode(code).withDescription(description).asRuntimeException(),
        GrpcStatusCode.of(code),
        false);
  }

  @ParameterizedTest
  @EnumSource(value = Status.Code.class, names = "OK", mode = EnumSource.Mode.EXCLUDE)
  void everyGaxStatusCodeBecomesTheSameCodeWithCloudRunsMessage(Status.Code code) {
    when(services.getService(anyString())).thenThrow(apiException(code, "what Cloud Run said"));

    assertThatThrownBy(() -> cloudRun.getService(REF))
        .isInstanceOfSatisfying(
            CloudRunException.class,
            e -> {
              assertThat(e.code()).isEqualTo(code.name());
              assertThat(e.getMessage()).isEqualTo(code.name() + ": what Cloud Run said");
            });
  }

  @Test
  void updateFailuresMapToo() {
    when(services.updateServiceCallable()).thenReturn(update);
    when(update.futureCall(any()))
        .thenReturn(
            ApiFutures.immediateFailedFuture(
                apiException(
                    Status.Code.RESOURCE_EXHAUSTED,
                    "Quota exceeded for quota metric 'Write requests'")));

    assertThatThrownBy(
            () ->
                cloudRun.updateTraffic(
                    REF, List.of(new TrafficEntry("shop-1", 100, null)), "\"e\""))
        .isInstanceOfSatisfying(
            CloudRunException.class, e -> assertThat(e.code()).isEqualTo("RESOURCE_EXHAUSTED"));
  }

  @Test
  void actAsRefusalNamesTheRoleToGrant() {
    when(services.updateServiceCallable()).thenReturn(update);
    when(update.futureCall(any()))
        .thenReturn(
            ApiFutures.immediateFailedFuture(
                apiException(
                    Status.Code.PERMISSION_DENIED,
                    "Permission 'iam.serviceaccounts.actAs' denied on service account x")));

    assertThatThrownBy(
            () -> cloudRun.updateTraffic(REF, List.of(new TrafficEntry("shop-1", 100, null)), null))
        .isInstanceOfSatisfying(
            CloudRunException.class,
            e -> {
              assertThat(e.code()).isEqualTo("PERMISSION_DENIED");
              assertThat(e.getMessage()).contains("roles/iam.serviceAccountUser");
            });
  }

  @Test
  void trafficUpdateCarriesOnlyNameTrafficAndEtagUnderUpdateMaskTraffic() {
    when(services.updateServiceCallable()).thenReturn(update);
    when(update.futureCall(any()))
        .thenReturn(
            ApiFutures.immediateFuture(
                Operation.newBuilder()
                    .setName("projects/p/locations/europe-west1/operations/1")
                    .build()));

    cloudRun.updateTraffic(
        REF,
        List.of(new TrafficEntry("shop-1", 90, null), new TrafficEntry("shop-2", 10, "candidate")),
        "\"etag-7\"");

    ArgumentCaptor<UpdateServiceRequest> sent = ArgumentCaptor.forClass(UpdateServiceRequest.class);
    verify(update).futureCall(sent.capture());
    assertThat(sent.getValue().getUpdateMask().getPathsList()).containsExactly("traffic");
    assertThat(sent.getValue().getService().getName()).isEqualTo(REF.resourceName());
    assertThat(sent.getValue().getService().getEtag()).isEqualTo("\"etag-7\"");
    assertThat(sent.getValue().getService().hasTemplate()).isFalse();
    assertThat(sent.getValue().getService().getTrafficList())
        .extracting(t -> t.getRevision() + "=" + t.getPercent() + "/" + t.getTag())
        .containsExactly("shop-1=90/", "shop-2=10/candidate");
  }
}
