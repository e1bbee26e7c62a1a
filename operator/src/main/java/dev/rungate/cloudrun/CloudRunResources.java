package dev.rungate.cloudrun;

import com.google.cloud.run.v2.Condition;
import com.google.cloud.run.v2.Revision;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.TrafficTarget;
import com.google.cloud.run.v2.TrafficTargetAllocationType;
import com.google.cloud.run.v2.VpcAccess;
import dev.rungate.api.status.TrafficEntry;
import dev.rungate.domain.RevisionSnapshot;
import dev.rungate.domain.VpcSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The domain's snapshots read out of Cloud Run Admin API v2 resources: a revision's readiness, env
 * and VPC access, a service's desired traffic and whether only a revision failed, short names.
 */
final class CloudRunResources {
  private CloudRunResources() {}

  /**
   * The service's traffic field: what it was asked to serve; LATEST is named by the latest ready
   * revision.
   */
  static List<TrafficEntry> desired(Service service) {
    List<TrafficEntry> desired = new ArrayList<>();
    String latest = shortName(service.getLatestReadyRevision());
    for (TrafficTarget t : service.getTrafficList()) {
      String revision =
          t.getType() == TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST
                  || t.getRevision().isEmpty()
              ? latest
              : shortName(t.getRevision());
      if (revision != null) {
        desired.add(
            new TrafficEntry(revision, t.getPercent(), t.getTag().isEmpty() ? null : t.getTag()));
      }
    }
    return desired;
  }

  /**
   * A deploy whose new revision failed to start leaves the service failed (ConfigurationsReady
   * failed) while its routes serve what traffic_statuses report (RoutesReady succeeded): the
   * traffic has settled, and stays settled however many traffic updates follow, until a revision
   * that starts is deployed.
   */
  static boolean onlyARevisionFailed(Service service) {
    return has(service, "RoutesReady", Condition.State.CONDITION_SUCCEEDED)
        && has(service, "ConfigurationsReady", Condition.State.CONDITION_FAILED);
  }

  private static boolean has(Service service, String type, Condition.State state) {
    return service.getConditionsList().stream()
        .anyMatch(c -> c.getType().equals(type) && c.getState() == state);
  }

  static RevisionSnapshot snapshot(Revision revision) {
    Condition ready =
        revision.getConditionsList().stream()
            .filter(c -> c.getType().equals("Ready"))
            .findFirst()
            .orElse(Condition.getDefaultInstance());
    String reason =
        ready.hasRevisionReason()
            ? ready.getRevisionReason().name()
            : ready.hasReason() ? ready.getReason().name() : null;
    Instant created =
        Instant.ofEpochSecond(
            revision.getCreateTime().getSeconds(), revision.getCreateTime().getNanos());
    return new RevisionSnapshot(
        shortName(revision.getName()),
        state(ready.getState()),
        reason,
        ready.getMessage().isEmpty() ? null : ready.getMessage(),
        vpc(revision.getVpcAccess()),
        created,
        env(revision));
  }

  /**
   * Every container's env vars; a Secret Manager reference maps to null (its value is not in the
   * API).
   */
  private static Map<String, String> env(Revision revision) {
    Map<String, String> env = new LinkedHashMap<>();
    revision
        .getContainersList()
        .forEach(
            c ->
                c.getEnvList()
                    .forEach(e -> env.put(e.getName(), e.hasValueSource() ? null : e.getValue())));
    return env;
  }

  private static RevisionSnapshot.ReadyState state(Condition.State state) {
    switch (state) {
      case CONDITION_SUCCEEDED:
        return RevisionSnapshot.ReadyState.SUCCEEDED;
      case CONDITION_FAILED:
        return RevisionSnapshot.ReadyState.FAILED;
      case CONDITION_RECONCILING:
        return RevisionSnapshot.ReadyState.RECONCILING;
      default:
        return RevisionSnapshot.ReadyState.PENDING;
    }
  }

  private static VpcSettings vpc(VpcAccess access) {
    if (access.equals(VpcAccess.getDefaultInstance())) {
      return VpcSettings.NONE;
    }
    String egress =
        access.getEgress() == VpcAccess.VpcEgress.VPC_EGRESS_UNSPECIFIED
            ? null
            : access.getEgress().name();
    String network =
        access.getNetworkInterfacesCount() > 0
            ? blankToNull(access.getNetworkInterfaces(0).getNetwork())
            : null;
    String subnet =
        access.getNetworkInterfacesCount() > 0
            ? blankToNull(access.getNetworkInterfaces(0).getSubnetwork())
            : null;
    return new VpcSettings(blankToNull(access.getConnector()), network, subnet, egress);
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  static String shortName(String name) {
    return name.isEmpty() ? null : name.substring(name.lastIndexOf('/') + 1);
  }
}
