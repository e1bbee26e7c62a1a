package dev.rungate.cloudrun;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.NotFoundException;
import com.google.cloud.run.v2.Condition;
import com.google.cloud.run.v2.Revision;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.TrafficTarget;
import com.google.cloud.run.v2.TrafficTargetAllocationType;
import com.google.cloud.run.v2.TrafficTargetStatus;
import com.google.cloud.run.v2.UpdateServiceRequest;
import com.google.cloud.run.v2.VpcAccess;
import com.google.longrunning.Operation;
import dev.rungate.api.ServiceRef;
import dev.rungate.api.TrafficEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@link CloudRun} over the Cloud Run Admin API v2 (google-cloud-run). Never waits for an update to finish. */
public final class GoogleCloudRun implements CloudRun {
  private static final long ACCEPT_TIMEOUT_SECONDS = 30;
  private final GoogleClients clients;

  public GoogleCloudRun(GoogleClients clients) {
    this.clients = clients;
  }

  @Override
  public ServiceSnapshot getService(ServiceRef ref) {
    Service service = call(() -> clients.services().getService(ref.resourceName()));
    List<TrafficEntry> traffic = new ArrayList<>();
    Map<String, String> tagUrls = new HashMap<>();
    for (TrafficTargetStatus s : service.getTrafficStatusesList()) {
      String tag = s.getTag().isEmpty() ? null : s.getTag();
      traffic.add(new TrafficEntry(s.getRevision(), s.getPercent(), tag));
      if (tag != null && !s.getUri().isEmpty()) {
        tagUrls.put(tag, s.getUri());
      }
    }
    return new ServiceSnapshot(service.getEtag(), traffic, tagUrls, shortName(service.getLatestCreatedRevision()),
        shortName(service.getLatestReadyRevision()), service.getReconciling(), service.getUri());
  }

  @Override
  public Optional<RevisionSnapshot> getRevision(ServiceRef ref, String revision) {
    try {
      return Optional.of(snapshot(clients.revisions().getRevision(ref.resourceName() + "/revisions/" + revision)));
    } catch (NotFoundException missing) {
      return Optional.empty();
    } catch (ApiException e) {
      throw mapped(e);
    }
  }

  @Override
  public void updateTraffic(ServiceRef ref, List<TrafficEntry> targets, String etag) {
    Service current = call(() -> clients.services().getService(ref.resourceName()));
    Service.Builder wanted = current.toBuilder().setEtag(etag == null ? "" : etag).clearTraffic();
    for (TrafficEntry t : targets) {
      wanted.addTraffic(TrafficTarget.newBuilder()
          .setType(TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION)
          .setRevision(t.revision).setPercent(t.percent == null ? 0 : t.percent)
          .setTag(t.tag == null ? "" : t.tag));
    }
    Operation accepted;
    try {
      accepted = clients.services().updateServiceCallable()
          .futureCall(UpdateServiceRequest.newBuilder().setService(wanted).build())
          .get(ACCEPT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof ApiException api ? mapped(api)
          : new CloudRunException("UNKNOWN", String.valueOf(e.getCause()), e.getCause());
    } catch (TimeoutException e) {
      throw new CloudRunException("DEADLINE_EXCEEDED", "UpdateService was not accepted in time", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CloudRunException("CANCELLED", "interrupted", e);
    }
    if (accepted.getDone() && accepted.hasError()) {
      com.google.rpc.Status error = accepted.getError();
      throw new CloudRunException(io.grpc.Status.fromCodeValue(error.getCode()).getCode().name(),
          error.getMessage(), null);
    }
  }

  static RevisionSnapshot snapshot(Revision revision) {
    Condition ready = revision.getConditionsList().stream().filter(c -> c.getType().equals("Ready")).findFirst()
        .orElse(Condition.getDefaultInstance());
    String reason = ready.hasRevisionReason() ? ready.getRevisionReason().name()
        : ready.hasReason() ? ready.getReason().name() : null;
    Instant created = Instant.ofEpochSecond(revision.getCreateTime().getSeconds(), revision.getCreateTime().getNanos());
    return new RevisionSnapshot(shortName(revision.getName()), state(ready.getState()), reason,
        ready.getMessage().isEmpty() ? null : ready.getMessage(), vpc(revision.getVpcAccess()), created, env(revision));
  }

  /** Every container's env vars; a Secret Manager reference maps to null (its value is not in the API). */
  private static Map<String, String> env(Revision revision) {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    revision.getContainersList().forEach(c -> c.getEnvList().forEach(e -> env.put(e.getName(),
        e.hasValueSource() ? null : e.getValue())));
    return env;
  }

  private static RevisionSnapshot.ReadyState state(Condition.State state) {
    switch (state) {
      case CONDITION_SUCCEEDED: return RevisionSnapshot.ReadyState.SUCCEEDED;
      case CONDITION_FAILED: return RevisionSnapshot.ReadyState.FAILED;
      case CONDITION_RECONCILING: return RevisionSnapshot.ReadyState.RECONCILING;
      default: return RevisionSnapshot.ReadyState.PENDING;
    }
  }

  private static VpcSettings vpc(VpcAccess access) {
    if (access.equals(VpcAccess.getDefaultInstance())) {
      return VpcSettings.NONE;
    }
    String egress = access.getEgress() == VpcAccess.VpcEgress.VPC_EGRESS_UNSPECIFIED ? null : access.getEgress().name();
    String network = access.getNetworkInterfacesCount() > 0 ? blankToNull(access.getNetworkInterfaces(0).getNetwork()) : null;
    String subnet = access.getNetworkInterfacesCount() > 0
        ? blankToNull(access.getNetworkInterfaces(0).getSubnetwork()) : null;
    return new VpcSettings(blankToNull(access.getConnector()), network, subnet, egress);
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static String shortName(String name) {
    return name.isEmpty() ? null : name.substring(name.lastIndexOf('/') + 1);
  }

  private static <T> T call(java.util.function.Supplier<T> rpc) {
    try {
      return rpc.get();
    } catch (ApiException e) {
      throw mapped(e);
    }
  }

  static CloudRunException mapped(ApiException e) {
    return new CloudRunException(e.getStatusCode().getCode().name(), e.getMessage(), e);
  }
}
