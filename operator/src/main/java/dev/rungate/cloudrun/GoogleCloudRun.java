package dev.rungate.cloudrun;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.NotFoundException;
import com.google.cloud.run.v2.Condition;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.TrafficTarget;
import com.google.cloud.run.v2.TrafficTargetAllocationType;
import com.google.cloud.run.v2.TrafficTargetStatus;
import com.google.cloud.run.v2.UpdateServiceRequest;
import com.google.longrunning.Operation;
import com.google.protobuf.FieldMask;
import dev.rungate.api.spec.ServiceRef;
import dev.rungate.api.status.TrafficEntry;
import dev.rungate.domain.RevisionSnapshot;
import dev.rungate.domain.ServiceSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * {@link CloudRun} over the Cloud Run Admin API v2 (google-cloud-run). Never waits for an update to
 * finish: a traffic update is sent with {@code update_mask=traffic} (name, traffic and etag only,
 * so the template is never resent), and its long-running operation is remembered per service and
 * looked at on the next read, which reports whether the service has settled and any error that
 * arrived inside the operation.
 */
public final class GoogleCloudRun implements CloudRun {
  private static final long ACCEPT_TIMEOUT_SECONDS = 30;

  /** How long a revision whose Ready condition has ended is not read again (see RevisionReads). */
  static final Duration SETTLED_REVISION_AGE = Duration.ofSeconds(60);

  private static final FieldMask TRAFFIC_ONLY = FieldMask.newBuilder().addPaths("traffic").build();
  private final GoogleClients clients;

  /**
   * Service resource name to the name of its traffic update's operation, while that is not known to
   * be done.
   */
  private final Map<String, String> operations = new ConcurrentHashMap<>();

  /** Service resource name to the error its last traffic update's operation ended with. */
  private final Map<String, String> errors = new ConcurrentHashMap<>();

  private final ServiceListings listings;
  private final RevisionReads revisions;

  public GoogleCloudRun(GoogleClients clients) {
    this(clients, Clock.systemUTC());
  }

  GoogleCloudRun(GoogleClients clients, Clock clock) {
    this.clients = clients;
    this.listings =
        new ServiceListings(
            parent ->
                call(
                    () -> {
                      List<Service> all = new ArrayList<>();
                      clients.services().listServices(parent).iterateAll().forEach(all::add);
                      return all;
                    }),
            clock);
    this.revisions = new RevisionReads(this::readRevision, clock, SETTLED_REVISION_AGE);
  }

  @Override
  public ServiceSnapshot getService(ServiceRef ref) {
    return snapshot(ref, call(() -> clients.services().getService(ref.resourceName())));
  }

  /**
   * From the project and region's shared listing; a service the listing does not have is read on
   * its own.
   */
  @Override
  public ServiceSnapshot getService(ServiceRef ref, Duration maxAge) {
    return listings.find(ref, maxAge).map(s -> snapshot(ref, s)).orElseGet(() -> getService(ref));
  }

  private ServiceSnapshot snapshot(ServiceRef ref, Service service) {
    if (followOperation(ref.resourceName())
        && (service.getReconciling()
            || service.getObservedGeneration() != service.getGeneration())) {
      // the update's operation finished after this copy was read: read the settled service now
      // rather than a
      // round later, and let no older listing answer for it again
      listings.updated(ref);
      service = call(() -> clients.services().getService(ref.resourceName()));
    }
    String updateError = errors.get(ref.resourceName());
    List<TrafficEntry> traffic = new ArrayList<>();
    Map<String, String> tagUrls = new HashMap<>();
    for (TrafficTargetStatus s : service.getTrafficStatusesList()) {
      String tag = s.getTag().isEmpty() ? null : s.getTag();
      traffic.add(new TrafficEntry(s.getRevision(), s.getPercent(), tag));
      if (tag != null && !s.getUri().isEmpty()) {
        tagUrls.put(tag, s.getUri());
      }
    }
    boolean failed = service.getTerminalCondition().getState() == Condition.State.CONDITION_FAILED;
    boolean settled =
        !service.getReconciling()
            && !operations.containsKey(ref.resourceName())
            && (service.getObservedGeneration() == service.getGeneration() && !failed
                || CloudRunResources.onlyARevisionFailed(service));
    return new ServiceSnapshot(
        service.getEtag(),
        traffic,
        tagUrls,
        CloudRunResources.shortName(service.getLatestCreatedRevision()),
        CloudRunResources.shortName(service.getLatestReadyRevision()),
        service.getReconciling(),
        service.getUri(),
        settled,
        updateError,
        CloudRunResources.desired(service));
  }

  /**
   * Looks at the remembered operation once and remembers its error if it failed; true when it was
   * found finished now (or gone), so that a copy of the service read before may predate the
   * outcome.
   */
  private boolean followOperation(String serviceName) {
    String name = operations.get(serviceName);
    if (name == null) {
      return false;
    }
    try {
      Operation op = clients.services().getOperationsClient().getOperation(name);
      if (!op.getDone()) {
        return false;
      }
      operations.remove(serviceName, name);
      if (op.hasError()) {
        errors.put(serviceName, op.getError().getMessage());
      }
      return true;
    } catch (NotFoundException gone) {
      operations.remove(
          serviceName, name); // deleted or expired: the service's own fields tell the rest
      return true;
    } catch (ApiException e) {
      throw mapped(e);
    }
  }

  @Override
  public Optional<RevisionSnapshot> getRevision(ServiceRef ref, String revision) {
    return revisions.get(ref.resourceName() + "/revisions/" + revision);
  }

  private Optional<RevisionSnapshot> readRevision(String name) {
    try {
      return Optional.of(CloudRunResources.snapshot(clients.revisions().getRevision(name)));
    } catch (NotFoundException missing) {
      return Optional.empty();
    } catch (ApiException e) {
      throw mapped(e);
    }
  }

  /** Sent at once whatever the service is doing: Cloud Run accepts updates while it reconciles. */
  @Override
  public void updateTraffic(ServiceRef ref, List<TrafficEntry> targets, String etag) {
    Service.Builder wanted =
        Service.newBuilder().setName(ref.resourceName()).setEtag(etag == null ? "" : etag);
    for (TrafficEntry t : targets) {
      wanted.addTraffic(
          TrafficTarget.newBuilder()
              .setType(TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION)
              .setRevision(t.revision)
              .setPercent(t.percent == null ? 0 : t.percent)
              .setTag(t.tag == null ? "" : t.tag));
    }
    Operation accepted;
    try {
      accepted =
          clients
              .services()
              .updateServiceCallable()
              .futureCall(
                  UpdateServiceRequest.newBuilder()
                      .setService(wanted)
                      .setUpdateMask(TRAFFIC_ONLY)
                      .build())
              .get(ACCEPT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof ApiException api
          ? mapped(api)
          : new CloudRunException("UNKNOWN", String.valueOf(e.getCause()), e.getCause());
    } catch (TimeoutException e) {
      throw new CloudRunException("DEADLINE_EXCEEDED", "UpdateService was not accepted in time", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CloudRunException("CANCELLED", "interrupted", e);
    } finally {
      listings.updated(ref); // accepted or not, no older listing answers for this service again
    }
    errors.remove(ref.resourceName());
    if (!accepted.getDone()) {
      operations.put(ref.resourceName(), accepted.getName());
    } else {
      operations.remove(ref.resourceName());
      if (accepted.hasError()) {
        com.google.rpc.Status error = accepted.getError();
        errors.put(ref.resourceName(), error.getMessage());
        throw new CloudRunException(
            io.grpc.Status.fromCodeValue(error.getCode()).getCode().name(),
            error.getMessage(),
            null);
      }
    }
  }

  private static <T> T call(Supplier<T> rpc) {
    try {
      return rpc.get();
    } catch (ApiException e) {
      throw mapped(e);
    }
  }

  /**
   * Any gax ApiException as a CloudRunException with the gRPC code's name (ABORTED,
   * RESOURCE_EXHAUSTED, PERMISSION_DENIED, UNAVAILABLE, DEADLINE_EXCEEDED, NOT_FOUND, ...) and
   * Cloud Run's own message.
   */
  static CloudRunException mapped(ApiException e) {
    String code = e.getStatusCode().getCode().name();
    String description = io.grpc.Status.fromThrowable(e).getDescription();
    String message =
        description != null
            ? description
            : String.valueOf(e.getMessage())
                .replaceFirst("^io\\.grpc\\.StatusRuntimeException: [A-Z_]+: ", "");
    if (code.equals("PERMISSION_DENIED") && message.toLowerCase(Locale.ROOT).contains("actas")) {
      message +=
          " (grant the operator's Google service account roles/iam.serviceAccountUser on the service's"
              + " runtime service account)";
    }
    return new CloudRunException(code, message, e);
  }
}
