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
import java.util.List;

/**
 * The status a Cloud Run service reports at each point of an update (platform-facts.md,
 * "UpdateService is a long-running operation"): reconciling with its previous traffic_statuses;
 * settled with the new ones and observed_generation == generation; or failed inside the operation,
 * keeping the last serving state. Conditions change at {@code now} (the emulator's clock).
 */
public final class ServiceStates {
  private ServiceStates() {}

  public static Service reconciling(Service service, String message, Timestamp now) {
    return service.toBuilder()
        .setReconciling(true)
        .setTerminalCondition(
            condition("Ready", State.CONDITION_RECONCILING, now).toBuilder().setMessage(message))
        .build();
  }

  /** The update is done: the service serves (and reports) these targets. */
  public static Service settled(
      Service service,
      List<TrafficTargetStatus> statuses,
      String latestReadyRevision,
      Timestamp now) {
    return service.toBuilder()
        .setReconciling(false)
        .setObservedGeneration(service.getGeneration())
        .setLatestReadyRevision(latestReadyRevision)
        .clearTrafficStatuses()
        .addAllTrafficStatuses(statuses)
        .setTerminalCondition(condition("Ready", State.CONDITION_SUCCEEDED, now))
        .clearConditions()
        .addConditions(condition("RoutesReady", State.CONDITION_SUCCEEDED, now))
        .addConditions(condition("ConfigurationsReady", State.CONDITION_SUCCEEDED, now))
        .build();
  }

  /**
   * An error inside the operation: traffic_statuses, observed_generation and latest_ready_revision
   * stay.
   */
  public static Service failedRouting(Service service, String message, Timestamp now) {
    return service.toBuilder()
        .setReconciling(false)
        .setTerminalCondition(failed("Ready", CommonReason.INTERNAL, message, now))
        .clearConditions()
        .addConditions(failed("RoutesReady", CommonReason.INTERNAL, message, now))
        .addConditions(condition("ConfigurationsReady", State.CONDITION_SUCCEEDED, now))
        .build();
  }

  /** The revision the update needed failed to start. */
  public static Service failedRevision(Service service, String message, Timestamp now) {
    return service.toBuilder()
        .setReconciling(false)
        .setTerminalCondition(failed("Ready", CommonReason.REVISION_FAILED, message, now))
        .clearConditions()
        .addConditions(condition("RoutesReady", State.CONDITION_SUCCEEDED, now))
        .addConditions(failed("ConfigurationsReady", CommonReason.REVISION_FAILED, message, now))
        .build();
  }

  /**
   * The current service with only the fields the update_mask names taken from the request (and its
   * etag).
   */
  public static Service masked(Service current, Service requested, FieldMask mask) {
    if (!FieldMaskUtil.isValid(Service.class, mask)) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              "update_mask names a field Service does not have: " + mask.getPathsList())
          .asRuntimeException();
    }
    Service.Builder merged = current.toBuilder();
    FieldMaskUtil.merge(
        mask,
        requested,
        merged,
        new FieldMaskUtil.MergeOptions()
            .setReplaceRepeatedFields(true)
            .setReplaceMessageFields(true));
    return merged.setEtag(requested.getEtag()).build();
  }

  /**
   * Whether two services ask for the same thing: equal once their output-only fields are cleared.
   */
  public static boolean sameSpec(Service a, Service b) {
    return desired(a).equals(desired(b));
  }

  private static Service desired(Service s) {
    return s.toBuilder()
        .clearUid()
        .clearGeneration()
        .clearCreateTime()
        .clearUpdateTime()
        .clearDeleteTime()
        .clearExpireTime()
        .clearCreator()
        .clearLastModifier()
        .clearObservedGeneration()
        .clearTerminalCondition()
        .clearConditions()
        .clearLatestReadyRevision()
        .clearLatestCreatedRevision()
        .clearTrafficStatuses()
        .clearUri()
        .clearUrls()
        .clearReconciling()
        .clearEtag()
        .build();
  }

  /** Output-only fields are the server's: a new spec keeps the status it had. */
  public static void copyStatus(Service from, Service.Builder to) {
    to.setName(from.getName())
        .setUid(from.getUid())
        .setCreateTime(from.getCreateTime())
        .setCreator(from.getCreator())
        .setUri(from.getUri())
        .clearUrls()
        .addAllUrls(from.getUrlsList())
        .setObservedGeneration(from.getObservedGeneration())
        .setLatestReadyRevision(from.getLatestReadyRevision())
        .setLatestCreatedRevision(from.getLatestCreatedRevision())
        .clearTrafficStatuses()
        .addAllTrafficStatuses(from.getTrafficStatusesList())
        .setTerminalCondition(from.getTerminalCondition())
        .clearConditions()
        .addAllConditions(from.getConditionsList())
        .setReconciling(from.getReconciling())
        .setEtag(from.getEtag());
  }

  private static Condition condition(String type, State state, Timestamp now) {
    return Condition.newBuilder().setType(type).setState(state).setLastTransitionTime(now).build();
  }

  private static Condition failed(String type, CommonReason reason, String message, Timestamp now) {
    return condition(type, State.CONDITION_FAILED, now).toBuilder()
        .setReason(reason)
        .setMessage(message)
        .setSeverity(Condition.Severity.ERROR)
        .build();
  }
}
