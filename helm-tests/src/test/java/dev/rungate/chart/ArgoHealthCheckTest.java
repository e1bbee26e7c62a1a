package dev.rungate.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * examples/dashboards/argocd-health.lua run by the real Lua interpreter (lua5.4, from
 * scripts/install-deps) on the sample policies in examples/dashboards/test/samples.lua, as Argo CD
 * runs it: the resource is the global obj.
 */
@Tag("real")
class ArgoHealthCheckTest {
  private static final Path DIR = Repo.path("examples/dashboards");
  private static Map<String, List<String>> health;

  @BeforeAll
  static void runHealthCheckOnEverySample() throws IOException, InterruptedException {
    Process lua;
    try {
      lua =
          new ProcessBuilder("lua5.4", "test/run.lua", "argocd-health.lua", "test/samples.lua")
              .directory(DIR.toFile())
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      throw new AssertionError("lua5.4 is not installed; run scripts/install-deps", e);
    }
    assertThat(lua.waitFor(30, TimeUnit.SECONDS)).as("lua5.4 finished").isTrue();
    String out = new String(lua.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(lua.exitValue()).as(out).isZero();
    health = new LinkedHashMap<>();
    for (String line : out.split("\n")) {
      String[] f = line.split("\t", 3);
      assertThat(f).as("name, status, message: " + line).hasSize(3);
      health.put(f[0], List.of(f[1], f[2]));
    }
  }

  @Test
  void everySampleWasChecked() {
    assertThat(health)
        .containsOnlyKeys(
            "promoted",
            "in-progress",
            "rolled-back",
            "traffic-changed-outside-gate",
            "paused-by-user",
            "invalid",
            "blocked",
            "no-status",
            "stale-generation");
  }

  @Test
  void promotedIsHealthy() {
    assertThat(health.get("promoted"))
        .containsExactly(
            "Healthy",
            "Candidate netra-00042-xyz serves 100% of traffic; it is the new stable revision.");
  }

  @Test
  void rolloutInFlightOrBlockedOnADependencyIsProgressing() {
    assertThat(health.get("in-progress"))
        .containsExactly("Progressing", "Step 1 of 3: 10% on netra-00042-xyz.");
    assertThat(health.get("blocked"))
        .containsExactly("Progressing", "session-store: connection refused (10.166.204.83:6379).");
  }

  @Test
  void rollbackIsDegradedAndSaysWhy() {
    assertThat(health.get("rolled-back").get(0)).isEqualTo("Degraded");
    assertThat(health.get("rolled-back").get(1))
        .startsWith("Candidate netra-00042-xyz exited with code 3")
        .contains("the gunicorn worker failed to boot")
        .endsWith("the candidate stays at 0% under tag candidate.");
  }

  @Test
  void trafficChangedOutsideTheGateIsDegradedNotSuspended() {
    // Stalled=True: the gate cannot continue until someone restores the planned traffic.
    assertThat(health.get("traffic-changed-outside-gate").get(0)).isEqualTo("Degraded");
    assertThat(health.get("traffic-changed-outside-gate").get(1))
        .contains("Someone else changed traffic; the gate will not overwrite it.");
  }

  @Test
  void pausedByTheUserIsSuspended() {
    assertThat(health.get("paused-by-user"))
        .containsExactly(
            "Suspended",
            "spec.paused is true: the rollout holds at step 1; set it to false to continue.");
  }

  @Test
  void invalidSpecIsDegradedWithTheFieldToFix() {
    assertThat(health.get("invalid"))
        .containsExactly(
            "Degraded",
            "The policy is invalid and moves no traffic: spec.rollout.steps must end at 100");
  }

  @Test
  void missingOrStaleStatusIsWaiting() {
    assertThat(health.get("no-status")).containsExactly("Progressing", "Waiting for status");
    // the status says Promoted, but for generation 3 while the spec is at 4
    assertThat(health.get("stale-generation")).containsExactly("Progressing", "Waiting for status");
  }
}
