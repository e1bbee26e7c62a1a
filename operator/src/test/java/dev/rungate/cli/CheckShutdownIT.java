package dev.rungate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungate.testing.Processes;
import dev.rungate.testing.RungateJar;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * rungate check ends with its table and exit code only: no library stack trace while it shuts down.
 */
@Tag("real")
class CheckShutdownIT {
  @Test
  void aWebSocketOnlyPolicyEndsWithoutLibraryNoise() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    Path policy = Files.createTempFile("rungate-ws-only", ".yaml");
    Files.writeString(
        policy,
        """
        apiVersion: rungate.dev/v1alpha1
        kind: ReadinessPolicy
        metadata: {name: chat, namespace: apps}
        spec:
          service: {project: p, region: us-central1, name: chat}
          dependencies:
            network:
              - {name: events, websocket: {url: "ws://127.0.0.1:%d/ws"}, timeout: 1s}
        """
            .formatted(closed));
    for (int i = 0; i < 5; i++) {
      Processes.Result r =
          Processes.exec(
              RungateJar.java(),
              "-jar",
              RungateJar.jar().toString(),
              "check",
              "-f",
              policy.toString());
      assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(1);
      assertThat(r.stdout()).contains("events");
      assertThat(r.stderr()).as("run %d", i).doesNotContain("Exception").doesNotContain("\tat ");
    }
  }
}
