package dev.rungate.emulator.runtime;

import com.google.cloud.run.v2.Container;

/**
 * The log lines and failure message Cloud Run writes while an instance starts (platform-facts.md,
 * "A container that exits during startup is restarted again and again").
 */
public final class StartupMessages {
  public static final String STARTING =
      "Starting new instance. Reason: DEPLOYMENT_ROLLOUT - Instance started due to "
          + "traffic shifting between revisions due to deployment, traffic split adjustment, or deployment health check.";

  private static final String STARTUP_FAILURE =
      "The user-provided container failed to start and listen on the port "
          + "defined provided by the PORT=%d environment variable within the allocated timeout. This can happen "
          + "when the container port is misconfigured or if the timeout is too short. The health check timeout can "
          + "be extended. Logs for this revision might contain more information.";

  private StartupMessages() {}

  public static String exited(int code) {
    return "Container called exit(" + code + ").";
  }

  /** The revision's Ready condition message when no instance passed its startup probe. */
  static String startupFailure(Container container) {
    return String.format(STARTUP_FAILURE, containerPort(container));
  }

  static String probeFailed(Container container, boolean http) {
    String prefix = container.hasStartupProbe() ? "STARTUP " : "Default STARTUP ";
    return prefix
        + (http ? "HTTP" : "TCP")
        + " probe failed 1 time consecutively for container \""
        + containerName(container)
        + "\" on port "
        + containerPort(container)
        + ". The instance was not started.";
  }

  static String containerName(Container container) {
    return container.getName().isEmpty() ? "placeholder-1" : container.getName();
  }

  static int containerPort(Container container) {
    return container.getPortsCount() > 0 && container.getPorts(0).getContainerPort() > 0
        ? container.getPorts(0).getContainerPort()
        : 8080;
  }
}
