package dev.rungate.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rungate.api.ReadinessPolicy;
import dev.rungate.api.spec.ServiceRef;
import dev.rungate.api.status.TrafficEntry;
import dev.rungate.cloudrun.InMemoryCloudRun;
import dev.rungate.domain.ContainerExit;
import dev.rungate.testing.Processes;
import dev.rungate.testing.RungateJar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * rungate wait / status / pause / resume / abort / retry, run from the jar against the real
 * cluster.
 */
@Tag("real")
@Order(3)
class PipelineCliIT {
  static final ServiceRef SERVICE = new ServiceRef("netra-staging", "us-central1", "api");

  @Test
  void waitIsNotFooledByThePreviousCandidatesPromotionAndReportsTheRollback() throws Exception {
    try (var h = new OperatorHarness("wait")) {
      h.serviceWithCandidate(SERVICE, "api-00001-aaa", "api-00002-bbb");
      var policy = Policies.fast("api", SERVICE, "api-00002-bbb");
      policy.getSpec().revision.observeFor =
          "10m"; // held at step 0 until the pipeline's wait has seen it
      policy.getSpec().rollout.steps.get(0).pause = "3s";
      h.client.resource(policy).inNamespace(h.namespace).create();
      Path out = Files.createTempFile("rungate-wait", ".out");
      Process wait =
          new ProcessBuilder(
                  cliArgs(
                      "wait",
                      "api",
                      "-n",
                      h.namespace,
                      "--timeout",
                      "120s",
                      "--kubeconfig",
                      h.cluster.kubeconfig().toString()))
              .redirectOutput(out.toFile())
              .redirectErrorStream(true)
              .start();
      try {
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> Files.readString(out).contains("Verifying step 0"));
        h.client
            .resources(ReadinessPolicy.class)
            .inNamespace(h.namespace)
            .withName("api")
            .edit(
                p -> {
                  p.getSpec().revision.observeFor = "2s";
                  return p;
                });
        assertThat(wait.waitFor(120, TimeUnit.SECONDS)).as(Files.readString(out)).isTrue();
      } finally {
        wait.destroyForcibly();
      }
      assertThat(wait.exitValue()).as(Files.readString(out)).isZero();
      assertThat(Files.readString(out))
          .contains("Verifying step 0", "Progressing step 1", "promoted: api-00002-bbb");

      h.cloudRun.deploy(SERVICE, InMemoryCloudRun.readyRevision("api-00003-ccc"));
      h.client
          .resources(ReadinessPolicy.class)
          .inNamespace(h.namespace)
          .withName("api")
          .edit(
              p -> {
                p.getSpec().candidate.revision = "api-00003-ccc";
                return p;
              });
      var second =
          CompletableFuture.supplyAsync(
              () ->
                  RungateJar.run(
                      h.cluster.kubeconfig(),
                      "wait",
                      "api",
                      "-n",
                      h.namespace,
                      "--timeout",
                      "90s"));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  h.cloudRun
                      .traffic(SERVICE)
                      .contains(new TrafficEntry("api-00003-ccc", 10, "candidate")));
      assertThat(second).isNotDone();
      h.exits.add(
          new ContainerExit(
              "api-00003-ccc", 3, Instant.now(), List.of("Reason: Worker failed to boot.")));
      Processes.Result r = second.get();
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.stdout())
          .contains(
              "rolled back: WorkerBootError",
              "exited with code 3",
              "| Reason: Worker failed to boot.");

      Processes.Result status =
          RungateJar.run(h.cluster.kubeconfig(), "status", "api", "-n", h.namespace);
      assertThat(status.exitCode()).isZero();
      assertThat(status.stdout())
          .contains(
              "Phase:     RolledBack",
              "Stable:    api-00002-bbb",
              "Last exit: api-00003-ccc exit(3)",
              "RolledBack         True    WorkerBootError");
    }
  }

  @Test
  void waitTimesOutWithExitTwo() {
    try (var h = new OperatorHarness("timeout")) {
      h.serviceWithCandidate(SERVICE, "api-00001-aaa", "api-00002-bbb");
      var policy = Policies.fast("api", SERVICE, "api-00002-bbb");
      policy.getSpec().revision.observeFor = "10m";
      h.client.resource(policy).inNamespace(h.namespace).create();
      Processes.Result r =
          RungateJar.run(
              h.cluster.kubeconfig(), "wait", "api", "-n", h.namespace, "--timeout", "5s");
      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.stdout()).contains("timed out after 5s");
    }
  }

  @Test
  void pauseHoldsResumeContinuesAbortRollsBackRetryRestarts() {
    try (var h = new OperatorHarness("controls")) {
      h.serviceWithCandidate(SERVICE, "api-00001-aaa", "api-00002-bbb");
      var policy = Policies.fast("api", SERVICE, "api-00002-bbb");
      policy.getSpec().rollout.steps.get(0).pause = "5m";
      h.client.resource(policy).inNamespace(h.namespace).create();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  h.cloudRun
                      .traffic(SERVICE)
                      .contains(new TrafficEntry("api-00002-bbb", 10, "candidate")));

      assertThat(
              RungateJar.run(h.cluster.kubeconfig(), "pause", "api", "-n", h.namespace).exitCode())
          .isZero();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> "PausedByUser".equals(h.condition("api", "Ready").orElseThrow().getReason()));
      assertThat(
              RungateJar.run(h.cluster.kubeconfig(), "resume", "api", "-n", h.namespace).exitCode())
          .isZero();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> "Progressing".equals(h.condition("api", "Ready").orElseThrow().getReason()));

      assertThat(
              RungateJar.run(h.cluster.kubeconfig(), "abort", "api", "-n", h.namespace).exitCode())
          .isZero();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> h.conditionIs("api", "RolledBack", "True"));
      assertThat(h.condition("api", "RolledBack").orElseThrow().getReason())
          .isEqualTo("ManualAbort");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  h.cloudRun
                      .traffic(SERVICE)
                      .contains(new TrafficEntry("api-00001-aaa", 100, null)));
      assertThat(h.get("api").getMetadata().getAnnotations()).containsKey("rungate.dev/abort");

      assertThat(
              RungateJar.run(h.cluster.kubeconfig(), "retry", "api", "-n", h.namespace).exitCode())
          .isZero();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  h.cloudRun
                      .traffic(SERVICE)
                      .contains(new TrafficEntry("api-00002-bbb", 10, "candidate")));
      assertThat(
              RungateJar.run(h.cluster.kubeconfig(), "promote", "api", "-n", h.namespace)
                  .exitCode())
          .isZero();
      await().atMost(Duration.ofSeconds(30)).until(() -> h.conditionIs("api", "Promoted", "True"));
      assertThat(h.cloudRun.traffic(SERVICE))
          .contains(new TrafficEntry("api-00002-bbb", 100, "candidate"));
    }
  }

  /** The rungate CLI's command line for {@code args}, as RungateJar runs it. */
  private static List<String> cliArgs(String... args) {
    List<String> cmd = new ArrayList<>(RungateJar.cli());
    cmd.addAll(List.of(args));
    return cmd;
  }
}
