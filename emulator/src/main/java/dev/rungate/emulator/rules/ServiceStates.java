package dev.rungate.emulator.rules;

import com.google.cloud.run.v2.Condition;
import com.google.cloud.run.v2.Condition.CommonReason;
import com.google.cloud.run.v2.Condition.State;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.TrafficTargetStatus;
import com.google.protobuf.FieldMask;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.FieldMaskUtil;
import io.grpc.Status;
import java.time.Instant;
import java.util.List;

/**
 * The status a Cloud Run service reports at each point of an update (platform-facts.md, "UpdateService is
 * a long-running operation"): reconciling with its previous traffic_statuses; settled with the new ones and
 * observed_generation == generation; or failed inside the operation, keeping the last serving state.
 */
public final class ServiceStates {
  private ServiceStates() {}

  public static Service reconciling(Service service, String message) {
    return service.toBuilder().setReconciling(true).setTerminalCondition(condition("Ready", State.CONDITION_RECONCILING)
        .toBuilder().setMessage(message)).build();
  }

  /** The update is done: the service serves (and reports) these targets. */
  public static Service settled(Service service, List<TrafficTargetStatus> statuses, String latestReadyRevision) {
    return service.toBuilder().setReconciling(false).setObservedGeneration(service.getGeneration())
        .setLatestReadyRevision(latestReadyRevision)
        .clearTrafficStatuses().addAllTrafficStatuses(statuses)
        .setTerminalCondition(condition("Ready", State.CONDITION_SUCCEEDED))
        .clearConditions()
        .addConditions(condition("RoutesReady", State.CONDITION_SUCCEEDED))
        .addConditions(condition("ConfigurationsReady", State.CONDITION_SUCCEEDED)).build();
  }

  /** An error inside the operation: traffic_statuses, observed_generation and latest_ready_revision stay. */
  public static Service failedRouting(Service service, String message) {
    return service.toBuilder().setReconciling(false)
        .setTerminalCondition(failed("Ready", CommonReason.INTERNAL, message))
        .clearConditions()
        .addConditions(failed("RoutesReady", CommonReason.INTERNAL, message))
        .addConditions(condition("ConfigurationsReady", State.CONDITION_SUCCEEDED)).build();
  }

  /** The revision the update needed failed to start. */
  public static Service failedRevision(Service service, String message) {
    return service.toBuilder().setReconciling(false)
        .setTerminalCondition(failed("Ready", CommonReason.REVISION_FAILED, message))
        .clearConditions()
        .addConditions(condition("RoutesReady", State.CONDITION_SUCCEEDED))
        .addConditions(failed("ConfigurationsReady", CommonReason.REVISION_FAILED, message)).build();
  }

  /** The current service with only the fields the update_mask names taken from the request (and its etag). */
  public static Service masked(Service current, Service requested, FieldMask mask) {
    if (!FieldMaskUtil.isValid(Service.class, mask)) {
      throw Status.INVALID_ARGUMENT.withDescription("update_mask names a field Service does not have: "
          + mask.getPathsList()).asRuntimeException();
    }
    Service.Builder merged = current.toBuilder();
    FieldMaskUtil.merge(mask, requested, merged,
        new FieldMaskUtil.MergeOptions().setReplaceRepeatedFields(true).setReplaceMessageFields(true));
    return merged.setEtag(requested.getEtag()).build();
  }

  /** Output-only fields are the server's: a new spec keeps the status it had. */
  public static void copyStatus(Service from, Service.Builder to) {
    to.setName(from.getName()).setUid(from.getUid()).setCreateTime(from.getCreateTime())
        .setCreator(from.getCreator()).setUri(from.getUri()).clearUrls().addAllUrls(from.getUrlsList())
        .setObservedGeneration(from.getObservedGeneration())
        .setLatestReadyRevision(from.getLatestReadyRevision())
        .setLatestCreatedRevision(from.getLatestCreatedRevision())
        .clearTrafficStatuses().addAllTrafficStatuses(from.getTrafficStatusesList())
        .setTerminalCondition(from.getTerminalCondition())
        .clearConditions().addAllConditions(from.getConditionsList())
        .setReconciling(from.getReconciling()).setEtag(from.getEtag());
  }

  private static Condition condition(String type, State state) {
    Instant now = Instant.now();
    return Condition.newBuilder().setType(type).setState(state)
        .setLastTransitionTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano())).build();
  }

  private static Condition failed(String type, CommonReason reason, String message) {
    return condition(type, State.CONDITION_FAILED).toBuilder().setReason(reason).setMessage(message)
        .setSeverity(Condition.Severity.ERROR).build();
  }
}
