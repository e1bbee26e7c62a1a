package dev.rungate.e2e;

import static dev.rungate.testing.Processes.assertOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rungate.api.Phase;
import dev.rungate.api.ReadinessPolicy;
import dev.rungate.e2e.stack.Stack;
import dev.rungate.testing.Processes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Memorystore by instance name, everything real: the emulator's Memorystore Admin API describing a
 * real redis-server (AUTH string from the instance), the gunicorn + uvicorn worker as revisions,
 * the operator process, kube-apiserver. The incident's stale REDIS_HOST is caught as ConfigDrift
 * before any traffic moves; an instance in MAINTENANCE holds the next step but never a rollback.
 */
@Tag("real")
@Execution(ExecutionMode.CONCURRENT) // each test its own stack
@Order(2)
class MemorystoreEndToEndIT {
  static final String CONNECTOR =
      "projects/" + Stack.PROJECT + "/locations/" + Stack.REGION + "/connectors/run-to-vpc";
  static final String INSTANCE =
      "projects/" + Stack.PROJECT + "/locations/" + Stack.REGION + "/instances/sessions";

  @Test
  void aStaleRedisHostIsBlockedAsConfigDriftAndTheRedeployWithTheRightHostIsPromoted()
      throws Exception {
    try (Stack s = new Stack("drift")) {
      createInstance(s);
      assertOk(deploy(s, s.stable, false));
      s.startOperator();
      s.apply(policy(s, "2s"));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  s.get() != null
                      && s.get().getStatus() != null
                      && s.get().getStatus().phase == Phase.Idle);

      // the incident: the candidate still points at the old instance's address
      String stale = s.revision(2, "stale-host");
      assertOk(
          s.deploy(
              stale,
              true,
              List.of("--vpc-connector", CONNECTOR, "--async"),
              "REDIS_HOST=127.0.0.2"));
      long deployed =
          System.nanoTime(); // the revision exists; the gate need not wait for it to boot
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () -> "ConfigDrift".equals(s.condition("Ready").map(c -> c.getReason()).orElse("")));
      long millis = Duration.ofNanos(System.nanoTime() - deployed).toMillis();
      var ready = s.condition("Ready").orElseThrow();
      assertThat(ready.getMessage())
          .contains(
              stale,
              "REDIS_HOST=127.0.0.2",
              INSTANCE,
              "127.0.0.1:" + s.redis.port,
              "REDIS_HOST=127.0.0.1");
      ReadinessPolicy p = s.get();
      assertThat(p.getStatus().phase).isEqualTo(Phase.Blocked);
      assertThat(p.getStatus().candidateRevision).isEqualTo(stale);
      System.out.printf(
          "ConfigDrift: revision created -> status Blocked/ConfigDrift in %d ms; candidate detected at %s,"
              + " Ready=ConfigDrift at %s%n",
          millis, detectedAt(s), ready.getLastTransitionTime());
      s.operator.awaitMoreRounds(
          2, Duration.ofSeconds(150)); // it looked again twice and still moved nothing
      assertThat(s.get().getStatus().phase).isEqualTo(Phase.Blocked);
      assertThat(s.trafficHistory())
          .allSatisfy(t -> assertThat(t).noneMatch(e -> e.startsWith(stale) && !e.endsWith("=0")));
      assertThat(s.kubectl("get", "events", "-n", s.namespace).stdout()).contains("ConfigDrift");

      String fixed = s.revision(3, "fixed");
      assertOk(deploy(s, fixed, true));
      Processes.Result wait = s.kubectlWaitPromoted();
      assertThat(wait.exitCode()).as(wait.stderr() + s.operator.log()).isZero();
      assertThat(s.get().getStatus().candidateRevision).isEqualTo(fixed);
      assertThat(s.trafficHistory().get(s.trafficHistory().size() - 1)).contains(fixed + "=100");
      assertThat(s.operator.log() + s.get().getStatus()).doesNotContain(Stack.REDIS_PASSWORD);
    }
  }

  @Test
  void maintenanceHoldsTheNextStepThenContinuesAndARollbackDuringItStillHappens() throws Exception {
    try (Stack s = new Stack("maint")) {
      createInstance(s);
      assertOk(deploy(s, s.stable, false));
      assertOk(deploy(s, s.candidate, true));
      s.startOperator();
      s.apply(
          policy(
              s,
              "20s")); // long enough for the emulator CLI to set the state before the step is due
      s.awaitCandidateAt(10);

      assertOk(emulator(s, "update", "--name", INSTANCE, "--state", "MAINTENANCE"));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  "DependencyMaintenance"
                      .equals(s.condition("Ready").map(c -> c.getReason()).orElse("")));
      assertThat(s.get().getStatus().phase).isEqualTo(Phase.Paused);
      assertThat(s.condition("Ready").orElseThrow().getMessage()).contains(INSTANCE, "MAINTENANCE");
      int moves = s.trafficHistory().size();
      s.operator.awaitMoreRounds(
          3, Duration.ofSeconds(60)); // it looked again three times and held the step
      assertThat(s.trafficHistory()).hasSize(moves);
      assertThat(s.get().getStatus().candidatePercent).isEqualTo(10);

      assertOk(emulator(s, "update", "--name", INSTANCE, "--state", "READY"));
      s.awaitCandidateAt(50);

      assertOk(emulator(s, "update", "--name", INSTANCE, "--state", "MAINTENANCE"));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  "DependencyMaintenance"
                      .equals(s.condition("Ready").map(c -> c.getReason()).orElse("")));
      s.redis.close(); // the dependency breaks during the maintenance: the rollback is not held
      List<String> rolledBack = List.of(s.stable + "=100", s.candidate + "=0");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> s.trafficHistory().get(s.trafficHistory().size() - 1).equals(rolledBack));
      // RolledBack=True is written once Cloud Run reports the traffic back, a round after the
      // update
      await().atMost(Duration.ofSeconds(30)).until(() -> s.is("RolledBack", "True"));
      assertThat(s.condition("RolledBack").orElseThrow().getReason())
          .isIn("DependencyUnreachable", "ProbeFailed");
    }
  }

  static String detectedAt(Stack s) {
    var r =
        s.kubectl(
            "get",
            "events",
            "-n",
            s.namespace,
            "--field-selector",
            "reason=CandidateDetected",
            "-o",
            "jsonpath={.items[*].firstTimestamp}");
    return r.stdout().isBlank() ? "(no event)" : r.stdout();
  }

  /**
   * The instance describing the stack's redis-server, with its AUTH string, through the emulator's
   * CLI.
   */
  static void createInstance(Stack s) {
    assertOk(
        emulator(
            s,
            "create",
            "--name",
            INSTANCE,
            "--host",
            "127.0.0.1",
            "--port",
            String.valueOf(s.redis.port),
            "--auth",
            Stack.REDIS_PASSWORD));
  }

  /** rungate-emulator redis ARGS... (in process, as Stack's deploys). */
  static Processes.Result emulator(Stack s, String... args) {
    List<String> cmd = new ArrayList<>(List.of("redis"));
    cmd.add(args[0]);
    cmd.addAll(List.of("--endpoint", s.emulator.endpoint()));
    cmd.addAll(List.of(args).subList(1, args.length));
    return Stack.emulatorCli(cmd.toArray(String[]::new));
  }

  static Processes.Result deploy(Stack s, String revision, boolean noTraffic, String... env) {
    return s.deploy(revision, noTraffic, List.of("--vpc-connector", CONNECTOR), env);
  }

  /**
   * The policy a platform team writes: the instance by name, AUTH from it, and the env vars that
   * must point at it.
   */
  /** Steps 10% and 50% each held for {@code pause}, then 100%. */
  static ReadinessPolicy policy(Stack s, String firstPause) {
    return policy(s, firstPause, null);
  }

  /**
   * As above; {@code pinned} names the candidate revision (null: the service's latest created
   * revision).
   */
  static ReadinessPolicy policy(Stack s, String firstPause, String pinned) {
    String yaml =
        """
        apiVersion: rungate.dev/v1alpha1
        kind: ReadinessPolicy
        metadata: {name: gate}
        spec:
          service: {project: %s, region: %s, name: %s}
          candidate: {tag: candidate%s}
          dependencies:
            memorystore:
              - name: session-store
                instance: %s
                auth: FromInstance
                revisionEnv: {host: REDIS_HOST, port: REDIS_PORT}
                write: true
                timeout: 2s
          revision:
            probes:
              - {name: ready, http: {path: /health/ready, expectStatus: [200]}, timeout: 2s}
            failOnExitCodes: [3, 4]
            observeFor: 2s
          rollout:
            steps: [{percent: 10, pause: %s}, {percent: 50, pause: %s}, {percent: 100}]
            progressDeadline: 2m
        """
            .formatted(
                Stack.PROJECT,
                Stack.REGION,
                s.service,
                pinned == null ? "" : ", revision: " + pinned,
                INSTANCE,
                firstPause,
                firstPause);
    return s.client.getKubernetesSerialization().unmarshal(yaml, ReadinessPolicy.class);
  }
}
