package dev.rungate.cloudrun;

import dev.rungate.api.spec.ServiceRef;
import dev.rungate.api.status.TrafficEntry;
import dev.rungate.domain.RevisionSnapshot;
import dev.rungate.domain.ServiceSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The Cloud Run Admin API v2, as far as the gate needs it. Implementations must not block on
 * long-running operations.
 */
public interface CloudRun {
  /** Reads the service; throws CloudRunException (code NOT_FOUND) when it does not exist. */
  ServiceSnapshot getService(ServiceRef service);

  /**
   * As above, but may answer from a read shared with other policies of the same project and region,
   * at most {@code maxAge} old and never older than this adapter's last update of the service.
   */
  default ServiceSnapshot getService(ServiceRef service, Duration maxAge) {
    return getService(service);
  }

  /** Reads one revision of the service, empty when it does not exist. */
  Optional<RevisionSnapshot> getRevision(ServiceRef service, String revision);

  /**
   * Starts a traffic-only update to exactly these targets (each pinned to a revision by name),
   * guarded by the service's etag. Returns once the update is accepted, not when it is done.
   */
  void updateTraffic(ServiceRef service, List<TrafficEntry> targets, String etag);
}
