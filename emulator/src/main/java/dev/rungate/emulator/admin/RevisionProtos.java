package dev.rungate.emulator.admin;

import com.google.cloud.run.v2.Condition.RevisionReason;
import com.google.cloud.run.v2.Condition.State;
import com.google.cloud.run.v2.Revision;
import com.google.cloud.run.v2.RevisionTemplate;
import com.google.protobuf.Timestamp;
import dev.rungate.emulator.Names;
import dev.rungate.emulator.rules.RevisionDefaults;
import java.util.List;
import java.util.UUID;

/**
 * Builds Revision messages from a service's template and moves their conditions along, at {@code
 * now}.
 */
final class RevisionProtos {
  static final String READY = "Ready";
  static final String CONTAINER_HEALTHY = "ContainerHealthy";
  static final String RESOURCES_AVAILABLE = "ResourcesAvailable";

  private RevisionProtos() {}

  static Revision fromTemplate(
      String serviceName,
      String revisionId,
      RevisionTemplate template,
      long generation,
      Timestamp now) {
    String project = Names.project(serviceName);
    String service = Names.shortName(serviceName);
    return Revision.newBuilder()
        .setName(Names.revision(serviceName, revisionId))
        .setUid(UUID.randomUUID().toString())
        .setGeneration(1)
        .putAllLabels(template.getLabelsMap())
        .putAllAnnotations(template.getAnnotationsMap())
        .putLabels("serving.knative.dev/configurationGeneration", Long.toString(generation))
        .setCreateTime(now)
        .setUpdateTime(now)
        .setService(serviceName)
        .setScaling(template.getScaling())
        .setVpcAccess(template.getVpcAccess())
        .setMaxInstanceRequestConcurrency(
            template.getMaxInstanceRequestConcurrency() > 0
                ? template.getMaxInstanceRequestConcurrency()
                : RevisionDefaults.MAX_CONCURRENCY)
        .setTimeout(template.hasTimeout() ? template.getTimeout() : RevisionDefaults.TIMEOUT)
        .setServiceAccount(template.getServiceAccount())
        .addAllContainers(
            template.getContainersList().stream().map(RevisionDefaults::container).toList())
        .addAllVolumes(template.getVolumesList())
        .setExecutionEnvironment(template.getExecutionEnvironment())
        .setReconciling(true)
        .addAllConditions(
            List.of(
                Conditions.pending(READY, "Deploying revision.", now),
                Conditions.pending(
                    CONTAINER_HEALTHY, "Waiting for the container to pass its startup probe.", now),
                Conditions.pending(RESOURCES_AVAILABLE, "Provisioning resources.", now)))
        .setLogUri(
            "https://console.cloud.google.com/logs/viewer?project="
                + project
                + "&resource=cloud_run_revision/service_name/"
                + service
                + "/revision_name/"
                + revisionId)
        .setEtag("\"" + UUID.randomUUID().toString().substring(0, 8) + "\"")
        .build();
  }

  static Revision ready(Revision revision, Timestamp now) {
    return revision.toBuilder()
        .setReconciling(false)
        .setObservedGeneration(revision.getGeneration())
        .clearConditions()
        .addConditions(Conditions.of(READY, State.CONDITION_SUCCEEDED, now))
        .addConditions(Conditions.of(CONTAINER_HEALTHY, State.CONDITION_SUCCEEDED, now))
        .addConditions(Conditions.of(RESOURCES_AVAILABLE, State.CONDITION_SUCCEEDED, now))
        .setUpdateTime(now)
        .setEtag(newEtag())
        .build();
  }

  static Revision failed(Revision revision, String message, Timestamp now) {
    return revision.toBuilder()
        .setReconciling(false)
        .setObservedGeneration(revision.getGeneration())
        .clearConditions()
        .addConditions(
            Conditions.failed(READY, RevisionReason.HEALTH_CHECK_CONTAINER_ERROR, message, now))
        .addConditions(
            Conditions.failed(
                CONTAINER_HEALTHY, RevisionReason.HEALTH_CHECK_CONTAINER_ERROR, message, now))
        .addConditions(Conditions.of(RESOURCES_AVAILABLE, State.CONDITION_SUCCEEDED, now))
        .setUpdateTime(now)
        .setEtag(newEtag())
        .build();
  }

  private static String newEtag() {
    return "\"" + UUID.randomUUID().toString().substring(0, 8) + "\"";
  }
}
