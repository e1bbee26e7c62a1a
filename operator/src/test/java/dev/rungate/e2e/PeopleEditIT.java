package dev.rungate.e2e;

import static dev.rungate.testing.Processes.assertOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rungate.e2e.stack.PeopleActions;
import dev.rungate.e2e.stack.Stack;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Issue 18 on real parts (operator process, emulator running the worker as revisions,
 * kube-apiserver, redis-server): what the gate does after people edit the policy (a GitOps revert)
 * or the service mid-rollout. Each test checks what a user would: the service's traffic in the
 * emulator (served now, and every update Cloud Run accepted), the policy's status and its Events.
 * People's commands and routing by hand are in {@link PeopleActIT}.
 */
@Tag("real")
@Execution(ExecutionMode.CONCURRENT) // each test its own stack
@Order(2)
class PeopleEditIT {
  /**
   * A GitOps revert: spec.candidate.revision set back to the stable one while the candidate holds
   * 50%.
   */
  @Test
  void aGitOpsRevertRollsTheOldCandidateBack() throws Exception {
    try (Stack s = new Stack("revert")) {
      s.withStableAndCandidate();
      s.startOperator();
      s.apply(PeopleActions.heldAtFifty(s, s.candidate));
      s.awaitCandidateAt(50);
      int before = s.trafficHistory().size();

      s.apply(PeopleActions.heldAtFifty(s, s.stable)); // the pipeline's commit reverted
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(PeopleActions.served(s, s.service))
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
      assertThat(PeopleActions.events(s, "Reverted")).isNotEmpty();
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
      s.apply(PeopleActions.heldAtFifty(s, s.candidate));
      s.awaitCandidateAt(50);
      int otherDeploys = s.trafficHistory(other).size();

      var moved = PeopleActions.heldAtFifty(s, otherCandidate);
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
      assertThat(PeopleActions.served(s, s.service))
          .containsEntry(s.stable, 100)
          .doesNotContainKey(s.candidate);
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
      assertThat(PeopleActions.events(s, "ServiceChanged")).isNotEmpty();
    }
  }

  private static String nameOf(String resourceName) {
    return resourceName == null ? null : resourceName.substring(resourceName.lastIndexOf('/') + 1);
  }

  private static <T> T last(List<T> list) {
    return list.get(list.size() - 1);
  }
}
