package dev.rungate.e2e;

import static dev.rungate.testing.Processes.assertOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.cloud.run.v2.TrafficTargetStatus;
import dev.rungate.api.Phase;
import dev.rungate.api.ReadinessPolicy;
import dev.rungate.emulator.EmulatorClients;
import dev.rungate.emulator.FaultInjector;
import dev.rungate.testing.Processes;
import dev.rungate.testing.RungateJar;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Issue 18 on real parts (operator process, emulator running the worker as revisions,
 * kube-apiserver, redis-server): what the gate does after people act. Each test checks what a user
 * would: the service's traffic in the emulator (served now, and every update Cloud Run accepted),
 * the policy's status and its Events.
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
      s.apply(heldAtFifty(s, s.candidate));
      s.awaitCandidateAt(50);
      Rounds rounds = Rounds.ofOperator(s.operator);
      int before = s.trafficHistory().size();

      assertOk(updateTraffic(s, s.service, s.stable + "=100")); // as gcloud does: tags kept
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
      assertThat(served(s, s.service)).containsEntry(s.stable, 100).doesNotContainKey(s.candidate);
      assertThat(s.get().getStatus().phase).isEqualTo(Phase.Paused);
      assertThat(s.get().getStatus().candidatePercent).isZero();
      assertThat(s.is("Promoted", "True")).isFalse();

      // on-call hands the rollout back by making it a rollback: nothing left to move, RolledBack is
      // written
      assertOk(rungate(s, "abort"));
      await().atMost(Duration.ofSeconds(60)).until(() -> s.is("RolledBack", "True"));
      assertThat(s.condition("RolledBack").orElseThrow().getReason()).isEqualTo("ManualAbort");
      assertThat(s.get().getStatus().lastCommand.outcome).isEqualTo("Applied");
      assertThat(s.get().getStatus().routedByHand).isNull();
      assertThat(s.trafficHistory()).as("the rollback needed no move").hasSize(before + 1);
      assertThat(served(s, s.service)).containsEntry(s.stable, 100).doesNotContainKey(s.candidate);
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
      assertOk(rungate(s, "promote"));
      await().atMost(Duration.ofSeconds(60)).until(() -> s.get().getStatus().lastCommand != null);
      var answer = s.get().getStatus().lastCommand;
      assertThat(answer.command).isEqualTo("promote");
      assertThat(answer.outcome).isEqualTo("Ignored");
      assertThat(answer.message).contains("Cloud Run could not be read");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  events(s, "CommandIgnored").stream()
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
      assertThat(served(s, s.service)).containsEntry(next, 10).containsEntry(s.stable, 90);
      assertThat(s.get().getStatus().lastCommand.outcome).isEqualTo("Ignored");
      assertThat(s.is("Promoted", "True")).isFalse();
    }
  }

  /**
   * A GitOps revert: spec.candidate.revision set back to the stable one while the candidate holds
   * 50%.
   */
  @Test
  void aGitOpsRevertRollsTheOldCandidateBack() throws Exception {
    try (Stack s = new Stack("revert")) {
      s.withStableAndCandidate();
      s.startOperator();
      s.apply(heldAtFifty(s, s.candidate));
      s.awaitCandidateAt(50);
      int before = s.trafficHistory().size();

      s.apply(heldAtFifty(s, s.stable)); // the pipeline's commit reverted
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(served(s, s.service))
                      .as("served after the revert")
                      .isEqualTo(Map.of(s.stable, 100)));
      await().atMost(Duration.ofSeconds(30)).until(() -> s.is("RolledBack", "True"));
      assertThat(s.condition("RolledBack").orElseThrow().getReason()).isEqualTo("Reverted");
      assertThat(s.get().getStatus().history)
          .extracting(h -> h.revision + "/" + h.outcome + "/" + h.reason)
          .contains(s.candidate + "/RolledBack/Reverted");
      List<List<String>> moves = s.trafficHistory().subList(before, s.trafficHistory().size());
      assertThat(moves)
          .as("one move: the old candidate's 50%% back to stable\n%s", s.operator.log())
          .containsExactly(List.of(s.stable + "=100", s.candidate + "=0"));
      assertThat(s.get().getStatus().stableRevision).isEqualTo(s.stable);
      assertThat(events(s, "Reverted")).isNotEmpty();
    }
  }

  /**
   * spec.service edited mid-rollout: the first service's candidate goes back to 0% before the
   * second is gated.
   */
  @Test
  void editingTheServiceMidRolloutReturnsTheFirstServicesTrafficFirst() throws Exception {
    try (Stack s = new Stack("svcedit")) {
      s.withStableAndCandidate();
      String other = s.service + "-b";
      String otherStable = other + "-00001-stable";
      String otherCandidate = other + "-00002-good";
      assertOk(s.deployTo(other, otherStable, false, List.of()));
      assertOk(s.deployTo(other, otherCandidate, true, List.of()));
      s.startOperator();
      s.apply(heldAtFifty(s, s.candidate));
      s.awaitCandidateAt(50);
      int otherDeploys = s.trafficHistory(other).size();

      var moved = heldAtFifty(s, otherCandidate);
      moved.getSpec().service.name = other;
      s.apply(moved);
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () ->
                  other.equals(nameOf(s.get().getStatus().service))
                      && otherCandidate.equals(s.get().getStatus().candidateRevision)
                      && Integer.valueOf(10).equals(s.get().getStatus().candidatePercent));
      assertThat(last(s.trafficHistory()))
          .as(s.operator.log())
          .containsExactlyInAnyOrder(s.stable + "=100", s.candidate + "=0");
      assertThat(served(s, s.service)).containsEntry(s.stable, 100).doesNotContainKey(s.candidate);
      var firstBack =
          s.emulator.history().of(s.service).stream()
              .filter(c -> c.accepted())
              .reduce((a, b) -> b)
              .orElseThrow()
              .at();
      var firstOnOther =
          s.emulator.history().of(other).stream()
              .filter(c -> c.accepted())
              .skip(otherDeploys)
              .findFirst()
              .orElseThrow()
              .at();
      assertThat(firstBack)
          .as("the first service's traffic went back before the second was gated")
          .isBefore(firstOnOther);
      assertThat(s.get().getStatus().history)
          .extracting(h -> h.revision + "/" + h.outcome + "/" + h.reason)
          .contains(s.candidate + "/RolledBack/ServiceChanged");
      assertThat(events(s, "ServiceChanged")).isNotEmpty();
    }
  }

  /**
   * The e2e policy for {@code candidate}: step 10% passes after 2 s, step 50% holds for 10 minutes.
   */
  private static ReadinessPolicy heldAtFifty(Stack s, String candidate) {
    ReadinessPolicy p = s.policy(candidate, "2s");
    p.getSpec().rollout.steps.get(1).pause = "10m";
    return p;
  }

  /**
   * What the service serves now, as Cloud Run reports it (revision to percent, percents above 0
   * only).
   */
  private static Map<String, Integer> served(Stack s, String service) {
    try (EmulatorClients c = new EmulatorClients(s.emulator.endpoint())) {
      Map<String, Integer> out = new TreeMap<>();
      for (TrafficTargetStatus t :
          c.services()
              .getService(
                  "projects/"
                      + Stack.PROJECT
                      + "/locations/"
                      + Stack.REGION
                      + "/services/"
                      + service)
              .getTrafficStatusesList()) {
        if (t.getPercent() > 0) {
          out.merge(t.getRevision(), t.getPercent(), Integer::sum);
        }
      }
      return out;
    }
  }

  /**
   * gcloud run services update-traffic SERVICE --to-revisions ..., through the emulator's CLI (tags
   * kept).
   */
  private static Processes.Result updateTraffic(Stack s, String service, String toRevisions) {
    return Stack.emulatorCli(
        "traffic",
        "--endpoint",
        s.emulator.endpoint(),
        "--project",
        Stack.PROJECT,
        "--region",
        Stack.REGION,
        "--service",
        service,
        "--to-revisions",
        toRevisions);
  }

  /** The rungate CLI, as a person runs it: {@code rungate COMMAND gate -n NS}. */
  private static Processes.Result rungate(Stack s, String command) {
    List<String> cmd = new ArrayList<>(RungateJar.cli());
    cmd.addAll(
        List.of(
            command, "gate", "-n", s.namespace, "--kubeconfig", s.cluster.kubeconfig().toString()));
    return Processes.exec(cmd.toArray(String[]::new));
  }

  /** The messages of the policy's Events with this reason. */
  private static List<String> events(Stack s, String reason) {
    return s.client.v1().events().inNamespace(s.namespace).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .map(e -> e.getMessage())
        .toList();
  }

  private static String nameOf(String resourceName) {
    return resourceName == null ? null : resourceName.substring(resourceName.lastIndexOf('/') + 1);
  }

  private static <T> T last(List<T> list) {
    return list.get(list.size() - 1);
  }
}
