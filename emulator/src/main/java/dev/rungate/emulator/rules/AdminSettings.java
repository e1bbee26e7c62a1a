package dev.rungate.emulator.rules;

import java.time.Duration;

/**
 * How the emulated Admin API and its identity services behave. {@code reconcile}: how long an
 * accepted UpdateService keeps the service {@code reconciling} (reporting its previous
 * traffic_statuses) before it settles, at least; a revision still starting keeps it reconciling
 * longer. Cloud Run's UpdateService is a long-running operation and does not settle at once
 * (platform-facts.md, "UpdateService is a long-running operation"). {@code metadataPort}: where the
 * emulated metadata server listens (0: any free port); {@code project}: the project it reports and
 * the service account's project.
 */
public record AdminSettings(Duration reconcile, int metadataPort, String project) {
  /** A few seconds, as a traffic-only update on Cloud Run takes. */
  public static final Duration DEFAULT_RECONCILE = Duration.ofSeconds(3);

  public static AdminSettings defaults() {
    return new AdminSettings(DEFAULT_RECONCILE, 0, "local");
  }

  public AdminSettings withReconcile(Duration time) {
    return new AdminSettings(time, metadataPort, project);
  }

  public AdminSettings withMetadataPort(int port) {
    return new AdminSettings(reconcile, port, project);
  }

  public AdminSettings withProject(String id) {
    return new AdminSettings(reconcile, metadataPort, id);
  }
}
