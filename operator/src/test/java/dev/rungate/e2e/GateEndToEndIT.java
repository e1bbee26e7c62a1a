package dev.rungate.e2e;

import static dev.rungate.testing.Processes.assertOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rungate.api.Phase;
import dev.rungate.e2e.stack.Stack;
import dev.rungate.gate.outcome.ExitEvidence;
import dev.rungate.testing.Processes;
import dev.rungate.testing.RedisServer;
import dev.rungate.testing.RungateJar;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The gate as a user sees it, everything real: kube-apiserver, the operator process, the emulator
 * running gunicorn + uvicorn revisions, redis-server, kubectl. Scenarios 1-4 of the step-4 issue.
 */
@Tag("real")
@Order(2)
@Execution(ExecutionMode.CONCURRENT) // each test its own stack
class GateEndToEndIT {
  static final Duration ROLLOUT = Duration.ofSeconds(120);

  /** Long enough for a few rounds at the slowest requeue a held rollout uses. */
  static final Duration ROUNDS = Duration.ofSeconds(60);

  @Test
  void goldenPathPromotesAGoodCandidate() throws Exception {
    try (Stack s = new Stack("golden")) {
      s.withStableAndCandidate();
      String stable = s.stable;
      String candidate = s.candidate;
      s.startOperator();
      s.apply(s.policy(candidate, "2s"));

      Processes.Result wait = s.kubectlWaitPromoted();
      assertThat(wait.exitCode()).as(wait.stderr() + s.operator.log()).isZero();
      var status = s.get().getStatus();
      assertThat(status.phase).isEqualTo(Phase.Promoted);
      assertThat(status.checks)
          .extracting(c -> c.name)
          .contains("session-store", "ready", "golden-path");
      assertThat(status.checks).allSatisfy(c -> assertThat(c.passed).isTrue());
      assertThat(s.trafficHistory())
          .containsSubsequence(
              List.of(stable + "=100", candidate + "=0"),
                  List.of(stable + "=90", candidate + "=10"),
              List.of(stable + "=50", candidate + "=50"),
                  List.of(stable + "=0", candidate + "=100"));
      assertThat(s.trafficHistory().get(s.trafficHistory().size() - 1))
          .contains(candidate + "=100");
    }
  }

  @Test
  void aWorkerThatExitsThreeOnStartupIsRolledBackWithTheEvidence() throws Exception {
    try (Stack s = new Stack("bootfail")) {
      String stable = s.stable;
      String candidate = s.revision(2, "stale-host");
      assertOk(s.deploy(stable, false));
      s.startOperator();
      // the incident: a stale REDIS_HOST. A closed loopback port stands in for the deleted
      // instance's IP.
      // gunicorn's master binds the port before its worker boots, so the TCP startup probe passes
      // and the
      // deploy may well report the revision ready: exactly why the gate must watch the exits.
      s.deploy(candidate, true, "REDIS_PORT=" + RedisServer.freePort());
      s.apply(s.policy(candidate, "2s"));

      await().atMost(ROLLOUT).until(() -> s.is("RolledBack", "True"));
      var rolledBack = s.condition("RolledBack").orElseThrow();
      assertThat(rolledBack.getReason()).isEqualTo("WorkerBootError");
      assertThat(rolledBack.getMessage()).contains("exited with code 3", stable);
      var status = s.get().getStatus();
      assertThat(status.phase).isEqualTo(Phase.RolledBack);
      assertThat(s.is("Stalled", "True")).isTrue();
      assertThat(status.history)
          .first()
          .satisfies(h -> assertThat(h.outcome).isEqualTo("RolledBack"));
      assertThat(status.lastExit.exitCode).isEqualTo(3);
      // Cloud Logging delivers lines late and out of order: gunicorn's last line may arrive after
      // the exit entry
      // that rolled the candidate back; the gate completes the evidence as it arrives
      await()
          .atMost(ExitEvidence.WINDOW)
          .until(
              () ->
                  String.join("\n", s.get().getStatus().lastExit.evidence)
                      .contains("Worker failed to boot"));
      Processes.Result shown =
          RungateJar.run(s.cluster.kubeconfig(), "status", "gate", "-n", s.namespace);
      System.out.println(shown.stdout());
      assertThat(shown.stdout()).contains("exit(3)", "Application startup failed");
      assertThat(s.trafficHistory())
          .allSatisfy(
              t -> assertThat(t).noneMatch(e -> e.startsWith(candidate) && !e.endsWith("=0")));
      assertThat(String.join("\n", s.kubectl("get", "events", "-n", s.namespace).stdout()))
          .contains(rolledBack.getReason());
      assertThat(s.operator.log() + s.get().getStatus().toString())
          .doesNotContain(Stack.REDIS_PASSWORD);
    }
  }

  @Test
  void redisStoppedAfterTrafficMovedRollsBackWithinSeconds() throws Exception {
    try (Stack s = new Stack("redisdown")) {
      s.rolloutHeldAtTenPercent();
      String stable = s.stable;
      String candidate = s.candidate;

      s.redis.close();
      long stopped = System.nanoTime();
      List<String> rolledBack = List.of(stable + "=100", candidate + "=0");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> s.trafficHistory().get(s.trafficHistory().size() - 1).equals(rolledBack));
      long seconds = Duration.ofNanos(System.nanoTime() - stopped).toSeconds();
      // RolledBack=True is written once Cloud Run reports the traffic back, a round after the
      // update
      await().atMost(Duration.ofSeconds(30)).until(() -> s.is("RolledBack", "True"));
      var reason = s.condition("RolledBack").orElseThrow();
      assertThat(reason.getReason()).isIn("DependencyUnreachable", "ProbeFailed");
      assertThat(s.get().getStatus().phase)
          .as("a rollback outranks its cause")
          .isEqualTo(Phase.RolledBack);
      assertThat(reason.getMessage()).containsAnyOf("session-store", "ready", "golden-path");
      assertThat(seconds).as("rollback within seconds").isLessThan(15);
    }
  }

  @Test
  void redisDownBeforeTrafficMovesBlocksThenTheSameCandidateProceeds() throws Exception {
    try (Stack s = new Stack("blocked")) {
      s.withStableAndCandidate();
      String stable = s.stable;
      String candidate = s.candidate;
      s.redis.close();
      s.startOperator();
      s.apply(s.policy(candidate, "2s"));

      await()
          .atMost(ROLLOUT)
          .until(() -> s.get().getStatus() != null && s.get().getStatus().phase == Phase.Blocked);
      int before = s.trafficHistory().size();
      s.operator.awaitMoreRounds(2, ROUNDS); // it looked again twice and still moved nothing
      assertThat(s.get().getStatus().phase).isEqualTo(Phase.Blocked);
      assertThat(s.trafficHistory()).hasSize(before);
      assertThat(s.condition("DependenciesReady").orElseThrow().getMessage())
          .contains("session-store", "CONNECT");

      s.redis = s.redis.restart();
      Processes.Result wait = s.kubectlWaitPromoted();
      assertThat(wait.exitCode()).as(wait.stderr()).isZero();
      assertThat(s.get().getStatus().candidateRevision).isEqualTo(candidate);
    }
  }
}
