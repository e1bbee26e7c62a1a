package dev.rungate.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;

/**
 * A Memorystore for Redis instance as the Admin API v1 describes it
 * (google.cloud.redis.v1.Instance), reduced to what the gate needs. Never holds the AUTH string.
 *
 * @param name projects/P/locations/R/instances/I
 * @param port 6379, or 6378 with in-transit encryption (as the instance reports it)
 * @param readEndpoint read replicas' endpoint (Standard tier with read replicas), null otherwise
 * @param transitEncryption true for SERVER_AUTHENTICATION: clients must use TLS and trust {@code
 *     caCertificates}
 * @param caCertificates PEM of every server_ca_certs entry
 * @param state CREATING, READY, UPDATING, DELETING, REPAIRING, MAINTENANCE, IMPORTING, FAILING_OVER
 * @param maintenance the next scheduled maintenance (maintenance_schedule), null when none
 * @param weeklyWindows maintenance_policy.weekly_maintenance_window
 * @param authorizedNetwork full network name, e.g. projects/P/global/networks/default
 * @param connectMode DIRECT_PEERING or PRIVATE_SERVICE_ACCESS
 */
public record MemorystoreInstance(
    String name,
    String host,
    int port,
    String readEndpoint,
    int readEndpointPort,
    boolean authEnabled,
    boolean transitEncryption,
    List<String> caCertificates,
    String state,
    String statusMessage,
    Window maintenance,
    List<WeeklyWindow> weeklyWindows,
    String authorizedNetwork,
    String connectMode) {

  public static final String READY = "READY";

  public MemorystoreInstance {
    caCertificates = caCertificates == null ? List.of() : List.copyOf(caCertificates);
    weeklyWindows = weeklyWindows == null ? List.of() : List.copyOf(weeklyWindows);
  }

  /** A scheduled maintenance: [start, end). */
  public record Window(Instant start, Instant end) {
    public boolean overlaps(Instant from, Instant to) {
      return start.isBefore(to) && (end == null || end.isAfter(from));
    }

    @Override
    public String toString() {
      return start + " to " + (end == null ? "(end unknown)" : end);
    }
  }

  /** A weekly maintenance window (UTC): day (MONDAY..SUNDAY), start time of day, duration. */
  public record WeeklyWindow(String day, LocalTime start, Duration duration) {
    @Override
    public String toString() {
      return day + " " + start + " UTC for " + duration.toHours() + "h";
    }
  }

  /** The location part: R of projects/P/locations/R/instances/I. */
  public String region() {
    String[] parts = name.split("/");
    return parts.length >= 4 ? parts[3] : null;
  }

  public boolean ready() {
    return READY.equals(state);
  }

  /** host:port, with TLS noted, for messages. */
  public String endpoint() {
    return host + ":" + port + (transitEncryption ? " (TLS)" : "");
  }
}
