package dev.rungate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungate.emulator.EmulatorConfig;
import dev.rungate.emulator.EmulatorServer;
import dev.rungate.emulator.redis.RedisInstanceStore;
import dev.rungate.testing.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rungate check with instance names, the instance read from the emulator's Memorystore Admin API.
 */
@Tag("real")
class CheckInstanceTest {
  static final String PASSWORD = "Check-Instance-Heron-3310";
  static final String INSTANCE = "projects/netra-staging/locations/us-central1/instances/sessions";
  static RedisServer redis;
  static EmulatorServer emulator;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    redis = RedisServer.start("--requirepass", PASSWORD);
    emulator = EmulatorServer.start(0, EmulatorConfig.defaults());
    emulator
        .redis()
        .create(
            new RedisInstanceStore.Change(
                INSTANCE, "127.0.0.1", redis.port, null, null, PASSWORD, null, null, null, null));
  }

  @AfterAll
  static void stop() {
    emulator.close();
    redis.close();
  }

  Path policy(String instance) throws Exception {
    Path f = dir.resolve("policy.yaml");
    Files.writeString(
        f,
        """
        apiVersion: rungate.dev/v1alpha1
        kind: ReadinessPolicy
        metadata: {name: backend, namespace: apps}
        spec:
          service: {project: netra-staging, region: us-central1, name: backend}
          dependencies:
            memorystore:
              - {name: sessions, instance: %s, auth: FromInstance, write: true, timeout: 5s}
        """
            .formatted(instance));
    return f;
  }

  @Test
  void anInstanceNameIsResolvedThroughTheAdminApi() throws Exception {
    CheckCommandTest.Run r =
        CheckCommandTest.run(
            "check",
            "-f",
            policy(INSTANCE).toString(),
            "--cloud-run-endpoint",
            emulator.endpoint(),
            "--plaintext");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .contains("sessions", INSTANCE, "127.0.0.1:" + redis.port, "AUTH ok")
        .doesNotContain(PASSWORD);
  }

  @Test
  void aMissingInstanceFailsNamingIt() throws Exception {
    String missing = INSTANCE.replace("sessions", "gone");
    CheckCommandTest.Run r =
        CheckCommandTest.run(
            "check",
            "-f",
            policy(missing).toString(),
            "--memorystore-endpoint",
            emulator.endpoint(),
            "--plaintext");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("INSTANCE", missing, "not found");
  }
}
