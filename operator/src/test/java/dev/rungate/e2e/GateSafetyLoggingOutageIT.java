package dev.rungate.e2e;

import static dev.rungate.testing.Processes.assertOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rungate.e2e.stack.PolicyAnnotations;
import dev.rungate.e2e.stack.Rounds;
import dev.rungate.e2e.stack.Stack;
import dev.rungate.emulator.FaultInjector;
import dev.rungate.testing.Processes;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The bad day on real parts (operator process, emulator running the real worker, redis-server,
 * kube-apiserver): a Cloud Logging outage during a rollout, with the emulator's fault injection for
 * Cloud Logging. The other bad days are in {@link GateSafetyIT}.
 */
@Tag("real")
@Execution(ExecutionMode.CONCURRENT) // each test its own stack
@Order(1)
class GateSafetyLoggingOutageIT {
  private static final String LIST_LOGS = "google.logging.v2.LoggingServiceV2/ListLogEntries";
  private static final String TAIL_LOGS = "google.logging.v2.LoggingServiceV2/TailLogEntries";

  /**
   * Logging refused mid-rollout, with the candidate serving 10% (faults on List and Tail; armed,
   * they end the operator's open tail stream): the outage is reported on its own condition, no step
   * moves forward over observed rounds (the pause is shorter than they last), and another signal
   * (here rungate abort) still rolls back with a real update that Cloud Run accepts: [stable=100,
   * candidate=0].
   */
  @Test
  void aLoggingOutageIsReportedAndDoesNotBlockARollbackThatAnotherSignalJustifies()
      throws Exception {
    try (Stack s = new Stack("logsdown")) {
      s.withStableAndCandidate();
      s.startOperator();
      s.apply(s.policy(s.candidate, "6s"));
      s.awaitCandidateAt(10);
      s.emulator
          .faults()
          .inject(
              new FaultInjector.Fault(
                  LIST_LOGS, Status.Code.PERMISSION_DENIED, 100_000, Duration.ZERO));
      s.emulator
          .faults()
          .inject(
              new FaultInjector.Fault(
                  TAIL_LOGS, Status.Code.PERMISSION_DENIED, 100_000, Duration.ZERO));
      await().atMost(Duration.ofSeconds(60)).until(() -> s.is("ExitSignalsAvailable", "False"));
      assertThat(s.condition("ExitSignalsAvailable").orElseThrow().getMessage())
          .contains("Cloud Logging");
      int before = s.trafficHistory().size();
      assertThat(s.trafficHistory().get(before - 1))
          .containsExactly(s.stable + "=90", s.candidate + "=10");
      awaitRoundsPastThePause(s, Duration.ofSeconds(6), 3);
      assertThat(s.trafficHistory()).as("no step forward while exits are not seen").hasSize(before);
      assertThat(s.get().getStatus().candidatePercent).isEqualTo(10);

      PolicyAnnotations.abort(s);
      await().atMost(Duration.ofSeconds(60)).until(() -> s.is("RolledBack", "True"));
      assertThat(s.condition("RolledBack").orElseThrow().getReason()).isEqualTo("ManualAbort");
      assertThat(s.trafficHistory().subList(before, s.trafficHistory().size()))
          .as("the rollback is one accepted update")
          .containsExactly(List.of(s.stable + "=100", s.candidate + "=0"));
      assertThat(s.is("ExitSignalsAvailable", "False"))
          .as("Logging is still reported down on its own condition")
          .isTrue();
    }
  }

  /**
   * A Logging outage that begins mid-rollout ends the operator's open tail stream (as Cloud Logging
   * ends its streams): reported on its own condition while it lasts, no step forward meanwhile, and
   * the rollout goes on to promotion once Logging is back.
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
      s.emulator
          .faults()
          .inject(
              new FaultInjector.Fault(TAIL_LOGS, Status.Code.UNAVAILABLE, 100_000, Duration.ZERO));
      s.emulator
          .faults()
          .inject(
              new FaultInjector.Fault(LIST_LOGS, Status.Code.UNAVAILABLE, 100_000, Duration.ZERO));
      await().atMost(Duration.ofSeconds(60)).until(() -> s.is("ExitSignalsAvailable", "False"));
      assertThat(s.condition("ExitSignalsAvailable").orElseThrow().getMessage())
          .contains("Cloud Logging")
          .contains("UNAVAILABLE");
      Integer held = s.get().getStatus().candidatePercent;
      Thread.sleep(
          8000); // more than two pauses: the time the gate would need to step forward twice
      s.operator.awaitMoreRounds(2, Duration.ofSeconds(60)); // and it looked again after them
      assertThat(s.get().getStatus().candidatePercent)
          .as("no step forward while exits are not seen")
          .isEqualTo(held);
      assertThat(s.is("Promoted", "True")).isFalse();

      s.emulator.faults().clear();
      await().atMost(Duration.ofSeconds(90)).until(() -> s.is("ExitSignalsAvailable", "True"));
      Processes.Result wait = s.kubectlWaitPromoted();
      assertThat(wait.exitCode()).as(wait.stderr() + s.operator.log()).isZero();
    }
  }

  /**
   * A Logging outage mid-rollout (the candidate at 10%, a 3 s pause), the candidate's container
   * exits 3 during the outage (once: Cloud Run restarts it and it serves again, so only the log
   * shows it), then Logging comes back. A gate that took "not seen" for "none" would step forward
   * during the outage and never learn of the exit; this one holds at 10% over observed rounds,
   * reads what it missed once Logging is back, and rolls back for exit 3.
   */
  @Test
  void anExitDuringALoggingOutageIsFoundOnceLoggingIsBackAndNoStepMovesForwardMeanwhile()
      throws Exception {
    try (Stack s = new Stack("logsexit")) {
      Path trigger = s.dir.resolve("exit-now");
      assertOk(s.deploy(s.stable, false));
      assertOk(
          s.deployCommand(
              s.service, s.candidate, true, List.of(), EXITS_3_ON_TRIGGER, "EXIT_FILE=" + trigger));
      s.startOperator();
      var policy = s.policy(s.candidate, "3s");
      // The emulator runs one instance per revision: its restart after the exit would fail the
      // gate's probes (another
      // signal, ProbeFailed), where Cloud Run serves from the revision's other instances. Without
      // probes here, the
      // exit's log entries are the only evidence, and they are logged while Logging is down.
      policy.getSpec().revision.probes.clear();
      s.apply(policy);
      s.awaitCandidateAt(10);
      s.emulator
          .faults()
          .inject(
              new FaultInjector.Fault(TAIL_LOGS, Status.Code.UNAVAILABLE, 100_000, Duration.ZERO));
      s.emulator
          .faults()
          .inject(
              new FaultInjector.Fault(LIST_LOGS, Status.Code.UNAVAILABLE, 100_000, Duration.ZERO));
      await().atMost(Duration.ofSeconds(60)).until(() -> s.is("ExitSignalsAvailable", "False"));
      int outage = s.trafficHistory().size();
      assertThat(s.trafficHistory().get(outage - 1))
          .containsExactly(s.stable + "=90", s.candidate + "=10");

      Files.createFile(trigger);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> !Files.exists(trigger)); // the container exits 3
      awaitRoundsPastThePause(s, Duration.ofSeconds(3), 3);
      assertThat(s.trafficHistory()).as("no step forward during the outage").hasSize(outage);
      assertThat(s.is("ExitSignalsAvailable", "False")).isTrue();

      s.emulator.faults().clear();
      await().atMost(Duration.ofSeconds(90)).until(() -> s.is("RolledBack", "True"));
      assertThat(s.condition("RolledBack").orElseThrow().getReason())
          .isIn("WorkerBootError", "ContainerExited");
      assertThat(s.get().getStatus().lastExit.exitCode).isEqualTo(3);
      List<List<String>> since = s.trafficHistory().subList(outage, s.trafficHistory().size());
      assertThat(since)
          .as("between the outage and the rollback, only the rollback: [stable=100, candidate=0]")
          .containsExactly(List.of(s.stable + "=100", s.candidate + "=0"));
    }
  }

  /**
   * The worker, whose container exits 3 once when $EXIT_FILE appears (it removes the file as it
   * goes).
   */
  private static final String EXITS_3_ON_TRIGGER =
      "/usr/bin/gunicorn -k uvicorn.workers.UvicornWorker -w 1"
          + " --bind 127.0.0.1:$PORT app:app & g=$!; while [ ! -e \"$EXIT_FILE\" ]; do sleep 0.2; done;"
          + " rm -f \"$EXIT_FILE\"; kill -TERM $g; wait $g; exit 3";

  /**
   * Waits for {@code n} operator rounds that all began after the current step's pause was over
   * (counted from the later of status.stepStartedAt and status.healthySince, as the gate counts
   * it): a gate that took exits not seen for none would have moved forward in the first of them.
   */
  private static void awaitRoundsPastThePause(Stack s, Duration pause, int n) {
    await().atMost(Duration.ofSeconds(30)).until(() -> s.get().getStatus().stepStartedAt != null);
    var st = s.get().getStatus();
    Instant since = Instant.parse(st.stepStartedAt);
    if (st.healthySince != null && Instant.parse(st.healthySince).isAfter(since)) {
      since = Instant.parse(st.healthySince);
    }
    Instant due = since.plus(pause);
    await().atMost(pause.plusSeconds(30)).until(() -> Instant.now().isAfter(due));
    Rounds.ofOperator(s.operator).awaitMore(n, Duration.ofSeconds(90));
  }
}
