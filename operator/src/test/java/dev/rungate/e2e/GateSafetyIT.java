package dev.rungate.e2e;

import static dev.rungate.testing.Processes.assertOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rungate.api.Phase;
import dev.rungate.api.spec.RolloutStep;
import dev.rungate.e2e.stack.PolicyAnnotations;
import dev.rungate.e2e.stack.Stack;
import dev.rungate.emulator.FaultInjector;
import dev.rungate.testing.Processes;
import dev.rungate.testing.Repo;
import dev.rungate.testing.RungateJar;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The bad day on real parts (operator process, emulator running the real worker, redis-server,
 * kube-apiserver), with the emulator's fault injection for UpdateService. A Cloud Logging outage is
 * in {@link GateSafetyLoggingOutageIT}.
 */
@Tag("real")
@Execution(ExecutionMode.CONCURRENT) // each test its own stack
@Order(1)
class GateSafetyIT {
  private static final String UPDATE = "google.cloud.run.v2.Services/UpdateService";

  @Test
  void aNewCandidateWhileThePreviousOneHoldsMostTrafficSendsItBackToTheStableRevision()
      throws Exception {
    try (Stack s = new Stack("supersede")) {
      s.withStableAndCandidate();
      s.startOperator();
      var policy = s.policy(s.candidate, "2s");
      policy.getSpec().rollout.steps =
          new ArrayList<>(
              List.of(
                  new RolloutStep(10, "2s"),
                  new RolloutStep(80, "10m"),
                  new RolloutStep(100, null)));
      s.apply(policy);
      s.awaitCandidateAt(80);

      String third = s.revision(3, "next");
      assertOk(s.deploy(third, true));
      int before = s.trafficHistory().size();
      policy.getSpec().candidate.revision = third;
      policy.getSpec().rollout.steps.get(1).pause = "2s";
      s.apply(policy);

      Processes.Result wait = s.kubectlWaitPromoted();
      assertThat(wait.exitCode()).as(wait.stderr() + s.operator.log()).isZero();
      List<List<String>> moves = s.trafficHistory().subList(before, s.trafficHistory().size());
      assertThat(moves.get(0))
          .as("the first move gives the never-promoted candidate's 80% back to stable")
          .containsExactlyInAnyOrder(s.stable + "=100", third + "=0");
      assertThat(moves)
          .allSatisfy(
              m ->
                  assertThat(m)
                      .noneMatch(t -> t.startsWith(s.candidate + "=") && !t.endsWith("=0")));
      assertThat(s.get().getStatus().stableRevision).isEqualTo(third);
    }
  }

  @Test
  void afterARollbackAPersonsRoutingIsLeftAlone() throws Exception {
    try (Stack s = new Stack("byhandafter")) {
      // after a rollback the policy is looked at on the idle poll
      s.rolloutHeldAtTenPercent("--poll-idle", "10s");
      PolicyAnnotations.abort(s);
      await().atMost(Duration.ofSeconds(30)).until(() -> s.is("RolledBack", "True"));

      assertOk(
          Processes.exec(
              RungateJar.java(),
              "-jar",
              Repo.path("emulator/target/rungate-emulator.jar").toString(),
              "traffic",
              "--endpoint",
              s.emulator.endpoint(),
              "--project",
              Stack.PROJECT,
              "--region",
              Stack.REGION,
              "--service",
              s.service,
              "--to-revisions",
              s.stable + "=50," + s.candidate + "=50",
              "--tags",
              "candidate=" + s.candidate));
      await().atMost(Duration.ofSeconds(90)).until(() -> s.get().getStatus().phase == Phase.Paused);
      assertThat(s.condition("Stalled").orElseThrow().getReason())
          .isEqualTo("TrafficChangedOutsideGate");
      int size = s.trafficHistory().size();
      // one more look on the idle poll, and it left it
      s.operator.awaitMoreRounds(1, Duration.ofSeconds(90));
      assertThat(s.trafficHistory()).as("the gate sent nothing more").hasSize(size);
      assertThat(s.trafficHistory().get(size - 1)).contains(s.stable + "=50", s.candidate + "=50");
    }
  }

  @Test
  void rolledBackIsWrittenOnlyOnceCloudRunAcceptedTheRollback() throws Exception {
    try (Stack s = new Stack("rbfails")) {
      s.rolloutHeldAtTenPercent();
      s.emulator
          .faults()
          .inject(new FaultInjector.Fault(UPDATE, Status.Code.UNAVAILABLE, 3, Duration.ZERO));
      PolicyAnnotations.abort(s);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  "RollbackFailed".equals(s.condition("Ready").map(c -> c.getReason()).orElse("")));
      assertThat(s.get().getStatus().phase).isEqualTo(Phase.RollingBack);
      assertThat(s.is("RolledBack", "True")).isFalse();
      List<List<String>> history = s.trafficHistory();
      assertThat(history.get(history.size() - 1))
          .as("the candidate still serves")
          .contains(s.candidate + "=10");

      await().atMost(Duration.ofSeconds(60)).until(() -> s.is("RolledBack", "True"));
      history = s.trafficHistory();
      assertThat(history.get(history.size() - 1)).contains(s.stable + "=100", s.candidate + "=0");
      assertThat(s.get().getStatus().rollback.failedAttempts).isGreaterThanOrEqualTo(1);
    }
  }
}
