package dev.rungate.e2e;

import static dev.rungate.testing.Processes.assertOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rungate.api.Phase;
import dev.rungate.api.spec.RolloutStep;
import dev.rungate.emulator.FaultInjector;
import dev.rungate.testing.Processes;
import dev.rungate.testing.Repo;
import dev.rungate.testing.RungateJar;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The bad day on real parts (operator process, emulator running the real worker, redis-server, kube-apiserver),
 * with the emulator's fault injection for Cloud Logging and UpdateService.
 */
@Tag("real")
@org.junit.jupiter.api.parallel.Execution(org.junit.jupiter.api.parallel.ExecutionMode.CONCURRENT) // each test its own stack
@org.junit.jupiter.api.Order(1)
class GateSafetyIT {
  private static final String LIST_LOGS = "google.logging.v2.LoggingServiceV2/ListLogEntries";
  private static final String TAIL_LOGS = "google.logging.v2.LoggingServiceV2/TailLogEntries";
  private static final String UPDATE = "google.cloud.run.v2.Services/UpdateService";

  @Test
  void aNewCandidateWhileThePreviousOneHoldsMostTrafficSendsItBackToTheStableRevision() throws Exception {
    try (Stack s = new Stack("supersede")) {
      s.withStableAndCandidate();
      s.startOperator();
      var policy = s.policy(s.candidate, "2s");
      policy.getSpec().rollout.steps = new ArrayList<>(List.of(new RolloutStep(10, "2s"), new RolloutStep(80, "10m"),
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
      assertThat(moves.get(0)).as("the first move gives the never-promoted candidate's 80% back to stable")
          .containsExactlyInAnyOrder(s.stable + "=100", third + "=0");
      assertThat(moves).allSatisfy(m -> assertThat(m).noneMatch(t -> t.startsWith(s.candidate + "=") && !t.endsWith("=0")));
      assertThat(s.get().getStatus().stableRevision).isEqualTo(third);
    }
  }

  /**
   * Logging refused mid-rollout, with the candidate serving 10% (faults on List and Tail; armed, they end the
   * operator's open tail stream): the outage is reported on its own condition, no step moves forward over observed
   * rounds (the pause is shorter than they last), and another signal (here rungate abort) still rolls back with a
   * real update that Cloud Run accepts: [stable=100, candidate=0].
   */
  @Test
  void aLoggingOutageIsReportedAndDoesNotBlockARollbackThatAnotherSignalJustifies() throws Exception {
    try (Stack s = new Stack("logsdown")) {
      s.withStableAndCandidate();
      s.startOperator();
      s.apply(s.policy(s.candidate, "6s"));
      s.awaitCandidateAt(10);
      s.emulator.faults().inject(new FaultInjector.Fault(LIST_LOGS, Status.Code.PERMISSION_DENIED, 100_000, Duration.ZERO));
      s.emulator.faults().inject(new FaultInjector.Fault(TAIL_LOGS, Status.Code.PERMISSION_DENIED, 100_000, Duration.ZERO));
      await().atMost(Duration.ofSeconds(60)).until(() -> s.is("ExitSignalsAvailable", "False"));
      assertThat(s.condition("ExitSignalsAvailable").orElseThrow().getMessage()).contains("Cloud Logging");
      int before = s.trafficHistory().size();
      assertThat(s.trafficHistory().get(before - 1)).containsExactly(s.stable + "=90", s.candidate + "=10");
      awaitRoundsPastThePause(s, Duration.ofSeconds(6), 3);
      assertThat(s.trafficHistory()).as("no step forward while exits are not seen").hasSize(before);
      assertThat(s.get().getStatus().candidatePercent).isEqualTo(10);

      abort(s);
      await().atMost(Duration.ofSeconds(60)).until(() -> s.is("RolledBack", "True"));
      assertThat(s.condition("RolledBack").orElseThrow().getReason()).isEqualTo("ManualAbort");
      assertThat(s.trafficHistory().subList(before, s.trafficHistory().size())).as("the rollback is one accepted update")
          .containsExactly(List.of(s.stable + "=100", s.candidate + "=0"));
      assertThat(s.is("ExitSignalsAvailable", "False")).as("Logging is still reported down on its own condition").isTrue();
    }
  }

  /**
   * A Logging outage that begins mid-rollout ends the operator's open tail stream (as Cloud Logging ends its
   * streams): reported on its own condition while it lasts, no step forward meanwhile, and the rollout goes on
   * to promotion once Logging is back.
   */
  @Test
  void aLoggingOutageDuringARolloutHoldsTheStepsUntilLoggingIsBack() throws Exception {
    try (Stack s = new Stack("logscut")) {
      s.withStableAndCandidate();
      s.startOperator();
      var policy = s.policy(s.candidate, "3s");
      policy.getSpec().rollout.steps.get(1).pause = "3s";
      s.apply(policy);
      s.awaitCandidateAt(10);
      s.emulator.faults().inject(new FaultInjector.Fault(TAIL_LOGS, Status.Code.UNAVAILABLE, 100_000, Duration.ZERO));
      s.emulator.faults().inject(new FaultInjector.Fault(LIST_LOGS, Status.Code.UNAVAILABLE, 100_000, Duration.ZERO));
      await().atMost(Duration.ofSeconds(60)).until(() -> s.is("ExitSignalsAvailable", "False"));
      assertThat(s.condition("ExitSignalsAvailable").orElseThrow().getMessage()).contains("Cloud Logging")
          .contains("UNAVAILABLE");
      Integer held = s.get().getStatus().candidatePercent;
      Thread.sleep(8000); // more than two pauses: the time the gate would need to step forward twice
      s.operator.awaitMoreRounds(2, Duration.ofSeconds(60)); // and it looked again after them
      assertThat(s.get().getStatus().candidatePercent).as("no step forward while exits are not seen").isEqualTo(held);
      assertThat(s.is("Promoted", "True")).isFalse();

      s.emulator.faults().clear();
      await().atMost(Duration.ofSeconds(90)).until(() -> s.is("ExitSignalsAvailable", "True"));
      Processes.Result wait = s.kubectlWaitPromoted();
      assertThat(wait.exitCode()).as(wait.stderr() + s.operator.log()).isZero();
    }
  }

  /**
   * A Logging outage mid-rollout (the candidate at 10%, a 3 s pause), the candidate's container exits 3 during the
   * outage (once: Cloud Run restarts it and it serves again, so only the log shows it), then Logging comes back.
   * A gate that took "not seen" for "none" would step forward during the outage and never learn of the exit; this
   * one holds at 10% over observed rounds, reads what it missed once Logging is back, and rolls back for exit 3.
   */
  @Test
  void anExitDuringALoggingOutageIsFoundOnceLoggingIsBackAndNoStepMovesForwardMeanwhile() throws Exception {
    try (Stack s = new Stack("logsexit")) {
      java.nio.file.Path trigger = s.dir.resolve("exit-now");
      assertOk(s.deploy(s.stable, false));
      assertOk(s.deployCommand(s.service, s.candidate, true, List.of(), EXITS_3_ON_TRIGGER, "EXIT_FILE=" + trigger));
      s.startOperator();
      var policy = s.policy(s.candidate, "3s");
      // The emulator runs one instance per revision: its restart after the exit would fail the gate's probes (another
      // signal, ProbeFailed), where Cloud Run serves from the revision's other instances. Without probes here, the
      // exit's log entries are the only evidence, and they are logged while Logging is down.
      policy.getSpec().revision.probes.clear();
      s.apply(policy);
      s.awaitCandidateAt(10);
      s.emulator.faults().inject(new FaultInjector.Fault(TAIL_LOGS, Status.Code.UNAVAILABLE, 100_000, Duration.ZERO));
      s.emulator.faults().inject(new FaultInjector.Fault(LIST_LOGS, Status.Code.UNAVAILABLE, 100_000, Duration.ZERO));
      await().atMost(Duration.ofSeconds(60)).until(() -> s.is("ExitSignalsAvailable", "False"));
      int outage = s.trafficHistory().size();
      assertThat(s.trafficHistory().get(outage - 1)).containsExactly(s.stable + "=90", s.candidate + "=10");

      java.nio.file.Files.createFile(trigger);
      await().atMost(Duration.ofSeconds(30)).until(() -> !java.nio.file.Files.exists(trigger)); // the container exits 3
      awaitRoundsPastThePause(s, Duration.ofSeconds(3), 3);
      assertThat(s.trafficHistory()).as("no step forward during the outage").hasSize(outage);
      assertThat(s.is("ExitSignalsAvailable", "False")).isTrue();

      s.emulator.faults().clear();
      await().atMost(Duration.ofSeconds(90)).until(() -> s.is("RolledBack", "True"));
      assertThat(s.condition("RolledBack").orElseThrow().getReason()).isIn("WorkerBootError", "ContainerExited");
      assertThat(s.get().getStatus().lastExit.exitCode).isEqualTo(3);
      List<List<String>> since = s.trafficHistory().subList(outage, s.trafficHistory().size());
      assertThat(since).as("between the outage and the rollback, only the rollback: [stable=100, candidate=0]")
          .containsExactly(List.of(s.stable + "=100", s.candidate + "=0"));
    }
  }

  /** The worker, whose container exits 3 once when $EXIT_FILE appears (it removes the file as it goes). */
  private static final String EXITS_3_ON_TRIGGER = "/usr/bin/gunicorn -k uvicorn.workers.UvicornWorker -w 1"
      + " --bind 127.0.0.1:$PORT app:app & g=$!; while [ ! -e \"$EXIT_FILE\" ]; do sleep 0.2; done;"
      + " rm -f \"$EXIT_FILE\"; kill -TERM $g; wait $g; exit 3";

  @Test
  void afterARollbackAPersonsRoutingIsLeftAlone() throws Exception {
    try (Stack s = new Stack("byhandafter")) {
      s.rolloutHeldAtTenPercent("--poll-idle", "10s"); // after a rollback the policy is looked at on the idle poll
      abort(s);
      await().atMost(Duration.ofSeconds(30)).until(() -> s.is("RolledBack", "True"));

      assertOk(Processes.exec(RungateJar.java(), "-jar", Repo.path("emulator/target/rungate-emulator.jar").toString(),
          "traffic", "--endpoint", s.emulator.endpoint(), "--project", Stack.PROJECT, "--region", Stack.REGION,
          "--service", s.service, "--to-revisions", s.stable + "=50," + s.candidate + "=50", "--tags",
          "candidate=" + s.candidate));
      await().atMost(Duration.ofSeconds(90)).until(() -> s.get().getStatus().phase == Phase.Paused);
      assertThat(s.condition("Stalled").orElseThrow().getReason()).isEqualTo("TrafficChangedOutsideGate");
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
      s.emulator.faults().inject(new FaultInjector.Fault(UPDATE, Status.Code.UNAVAILABLE, 3, Duration.ZERO));
      abort(s);
      await().atMost(Duration.ofSeconds(30)).until(() -> "RollbackFailed".equals(
          s.condition("Ready").map(c -> c.getReason()).orElse("")));
      assertThat(s.get().getStatus().phase).isEqualTo(Phase.RollingBack);
      assertThat(s.is("RolledBack", "True")).isFalse();
      List<List<String>> history = s.trafficHistory();
      assertThat(history.get(history.size() - 1)).as("the candidate still serves").contains(s.candidate + "=10");

      await().atMost(Duration.ofSeconds(60)).until(() -> s.is("RolledBack", "True"));
      history = s.trafficHistory();
      assertThat(history.get(history.size() - 1)).contains(s.stable + "=100", s.candidate + "=0");
      assertThat(s.get().getStatus().rollback.failedAttempts).isGreaterThanOrEqualTo(1);
    }
  }

  /**
   * Waits for {@code n} operator rounds that all began after the current step's pause was over (counted from the
   * later of status.stepStartedAt and status.healthySince, as the gate counts it): a gate that took exits not seen
   * for none would have moved forward in the first of them.
   */
  private static void awaitRoundsPastThePause(Stack s, Duration pause, int n) {
    await().atMost(Duration.ofSeconds(30)).until(() -> s.get().getStatus().stepStartedAt != null);
    var st = s.get().getStatus();
    java.time.Instant since = java.time.Instant.parse(st.stepStartedAt);
    if (st.healthySince != null && java.time.Instant.parse(st.healthySince).isAfter(since)) {
      since = java.time.Instant.parse(st.healthySince);
    }
    java.time.Instant due = since.plus(pause);
    await().atMost(pause.plusSeconds(30)).until(() -> java.time.Instant.now().isAfter(due));
    Rounds.ofOperator(s.operator).awaitMore(n, Duration.ofSeconds(90));
  }

  private static void abort(Stack s) {
    s.client.resources(dev.rungate.api.ReadinessPolicy.class).inNamespace(s.namespace).withName("gate")
        .edit(p -> {
          var annotations = new java.util.HashMap<String, String>(
              p.getMetadata().getAnnotations() == null ? java.util.Map.of() : p.getMetadata().getAnnotations());
          annotations.put("rungate.dev/abort", "e2e-" + System.nanoTime());
          p.getMetadata().setAnnotations(annotations);
          return p;
        });
  }
}
