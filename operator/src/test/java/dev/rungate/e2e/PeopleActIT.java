package dev.rungate.e2e;

import static dev.rungate.testing.Processes.assertOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rungate.api.Phase;
import dev.rungate.e2e.stack.PeopleActions;
import dev.rungate.e2e.stack.Rounds;
import dev.rungate.e2e.stack.Stack;
import dev.rungate.emulator.FaultInjector;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Issue 18 on real parts (operator process, emulator running the worker as revisions,
 * kube-apiserver, redis-server): what the gate does after people act: an on-call rollback by hand,
 * a promote given while Cloud Run is unreadable. Each test checks what a user would: the service's
 * traffic in the emulator (served now, and every update Cloud Run accepted), the policy's status
 * and its Events. Edits of the policy or the service are in {@link PeopleEditIT}.
 */
@Tag("real")
@Execution(ExecutionMode.CONCURRENT) // each test its own stack
@Order(2)
class PeopleActIT {
  private static final String GET = "google.cloud.run.v2.Services/GetService";
  private static final String LIST = "google.cloud.run.v2.Services/ListServices";

  /**
   * The reproduction: at 50%, on-call runs {@code gcloud run services update-traffic
   * --to-revisions STABLE=100} (the candidate's tag stays, at 0%). The gate must not send the 50%
   * again, over several observed rounds; it holds for the person, and {@code rungate abort} then
   * records the rollback without moving anything.
   */
  @Test
  void anOnCallRollbackAtFiftyPercentIsNotFought() throws Exception {
    try (Stack s = new Stack("oncall")) {
      s.withStableAndCandidate();
      s.startOperator();
      s.apply(PeopleActions.heldAtFifty(s, s.candidate));
      s.awaitCandidateAt(50);
      Rounds rounds = Rounds.ofOperator(s.operator);
      int before = s.trafficHistory().size();

      assertOk(
          PeopleActions.updateTraffic(
              s, s.service, s.stable + "=100")); // as gcloud does: tags kept
      assertThat(s.trafficHistory().get(before))
          .containsExactlyInAnyOrder(s.stable + "=100", s.candidate + "=0");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  s.get().getStatus().phase == Phase.Paused
                      || s.trafficHistory().size() > before + 1);
      assertThat(s.trafficHistory())
          .as("the gate sent nothing over the person's routing")
          .hasSize(before + 1);
      assertThat(s.condition("Ready").orElseThrow().getReason())
          .isEqualTo("TrafficChangedOutsideGate");
      assertThat(s.get().getStatus().routedByHand)
          .extracting(t -> t.revision + "=" + t.percent)
          .contains(s.stable + "=100");

      rounds.awaitMore(3, Duration.ofSeconds(90)); // rounds held for the person (every 5 s)
      assertThat(s.trafficHistory())
          .as("only the person's update since 50%%: the gate sent nothing\n%s", s.operator.log())
          .hasSize(before + 1);
      assertThat(PeopleActions.served(s, s.service))
          .containsEntry(s.stable, 100)
          .doesNotContainKey(s.candidate);
      assertThat(s.get().getStatus().phase).isEqualTo(Phase.Paused);
      assertThat(s.get().getStatus().candidatePercent).isZero();
      assertThat(s.is("Promoted", "True")).isFalse();

      // on-call hands the rollout back by making it a rollback: nothing left to move, RolledBack is
      // written
      assertOk(PeopleActions.rungate(s, "abort"));
      await().atMost(Duration.ofSeconds(60)).until(() -> s.is("RolledBack", "True"));
      assertThat(s.condition("RolledBack").orElseThrow().getReason()).isEqualTo("ManualAbort");
      assertThat(s.get().getStatus().lastCommand.outcome).isEqualTo("Applied");
      assertThat(s.get().getStatus().routedByHand).isNull();
      assertThat(s.trafficHistory()).as("the rollback needed no move").hasSize(before + 1);
      assertThat(PeopleActions.served(s, s.service))
          .containsEntry(s.stable, 100)
          .doesNotContainKey(s.candidate);
    }
  }

  /**
   * {@code rungate promote} for candidate A while Cloud Run cannot be read is answered at once
   * (ignored, with an Event); the next candidate B, deployed and pinned after the outage, walks its
   * steps: its first move is 10%.
   */
  @Test
  void aPromoteGivenWhileCloudRunIsUnreadableIsNotAppliedToTheNextCandidate() throws Exception {
    try (Stack s = new Stack("stalepromote")) {
      s.withStableAndCandidate();
      s.startOperator();
      s.apply(s.policy(s.candidate, "10m"));
      s.awaitCandidateAt(10);

      s.emulator
          .faults()
          .inject(new FaultInjector.Fault(GET, Status.Code.UNAVAILABLE, 100_000, Duration.ZERO));
      s.emulator
          .faults()
          .inject(new FaultInjector.Fault(LIST, Status.Code.UNAVAILABLE, 100_000, Duration.ZERO));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  "CloudRunApiError"
                      .equals(s.condition("Ready").map(c -> c.getReason()).orElse("")));
      assertOk(PeopleActions.rungate(s, "promote"));
      await().atMost(Duration.ofSeconds(60)).until(() -> s.get().getStatus().lastCommand != null);
      var answer = s.get().getStatus().lastCommand;
      assertThat(answer.command).isEqualTo("promote");
      assertThat(answer.outcome).isEqualTo("Ignored");
      assertThat(answer.message).contains("Cloud Run could not be read");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  PeopleActions.events(s, "CommandIgnored").stream()
                      .anyMatch(m -> m.contains("rungate promote was not carried out")));
      s.emulator.faults().clear();

      String next = s.revision(3, "next");
      assertOk(s.deploy(next, true));
      int before = s.trafficHistory().size();
      s.apply(s.policy(next, "10m"));
      try {
        await()
            .atMost(Duration.ofSeconds(120))
            .until(
                () ->
                    next.equals(s.get().getStatus().candidateRevision)
                        && Integer.valueOf(10).equals(s.get().getStatus().candidatePercent));
      } catch (ConditionTimeoutException e) {
        throw new AssertionError(
            "B not at 10% in 120 s; status: "
                + Serialization.asYaml(s.get().getStatus())
                + "\ntraffic history: "
                + s.trafficHistory()
                + "\n"
                + s.operator.log(),
            e);
      }
      List<List<String>> moves = s.trafficHistory().subList(before, s.trafficHistory().size());
      assertThat(moves)
          .as("B never gets more than its first step")
          .allSatisfy(
              m ->
                  assertThat(m)
                      .noneMatch(
                          t ->
                              t.startsWith(next + "=") && !t.endsWith("=0") && !t.endsWith("=10")));
      assertThat(moves.stream().filter(m -> m.contains(next + "=10")).findFirst())
          .as("the first move of B is 10%%")
          .hasValueSatisfying(m -> assertThat(m).contains(s.stable + "=90"));
      assertThat(PeopleActions.served(s, s.service))
          .containsEntry(next, 10)
          .containsEntry(s.stable, 90);
      assertThat(s.get().getStatus().lastCommand.outcome).isEqualTo("Ignored");
      assertThat(s.is("Promoted", "True")).isFalse();
    }
  }
}
