package dev.rungate.reconciler.model;

import static dev.rungate.reconciler.model.ModelRounds.rounds;
import static dev.rungate.reconciler.model.ModelRounds.runUntil;
import static dev.rungate.reconciler.model.ModelRounds.served;
import static dev.rungate.reconciler.model.ModelWorld.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rungate.api.Phase;
import dev.rungate.api.status.TrafficEntry;
import dev.rungate.domain.ContainerExit;
import dev.rungate.gate.commands.Commands;
import dev.rungate.gate.status.Conditions;
import dev.rungate.reconciler.PolicyRound;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the gate does after people act (issue 18), each on the whole decision loop in memory (the
 * real {@link PolicyRound} on the in-memory Cloud Run): on-call rollbacks, stale commands, step
 * edits, GitOps reverts, service edits. Deploys while Cloud Run reconciles, crashes, clock skew and
 * downtime are in {@link PeopleActAmidFaultsTest}.
 */
class PeopleActTest {
  private static final int STEPS_10_50_100 = 1;

  @ParameterizedTest
  @ValueSource(ints = {10, 50, 100})
  void aManualRollbackToStableAtAnyStepIsLeftAlone(int percent) {
    ModelWorld w = new ModelWorld(GateModelTest.spec(STEPS_10_50_100), false);
    String candidate = w.deploy(SERVICE, true, true);
    runUntil(w, x -> served(x, candidate) == percent);
    String stable = w.status().stableRevision;
    // gcloud run services update-traffic --to-revisions STABLE=100: the candidate's tag stays, at
    // 0%
    w.cloudRun.setTrafficByHand(
        SERVICE,
        ModelPolicies.withTagsOf(w.traffic(SERVICE), List.of(new TrafficEntry(stable, 100, null)))
            .stream()
            .filter(t -> t.percent > 0 || t.tag != null)
            .toList());
    int sent = w.cloudRun.accepted().size();
    rounds(w, 30);
    assertThat(w.cloudRun.accepted()).as("nothing sent over the on-call's rollback").hasSize(sent);
    assertThat(served(w, candidate)).isZero();
    assertThat(w.status().phase).isEqualTo(Phase.Paused);
    assertThat(Conditions.reason(w.status().conditions, Conditions.READY))
        .isEqualTo("TrafficChangedOutsideGate");
    assertThat(Conditions.isTrue(w.status().conditions, Conditions.PROMOTED)).isFalse();
  }

  @Test
  void aPromoteGivenWhileTheSpecIsInvalidIsAnsweredThenAndNeverReachesTheNextCandidate() {
    ModelWorld w = new ModelWorld(GateModelTest.spec(STEPS_10_50_100), false);
    rounds(w, 2);
    w.editSpec(s -> s.rollout.steps.get(0).percent = 60); // 60, 50, 100: not increasing
    rounds(w, 2);
    w.annotate(Commands.PROMOTE, "by-hand-1");
    rounds(w, 2);
    assertThat(w.status().lastCommand.outcome).isEqualTo("Ignored");
    assertThat(w.status().lastCommand.message).contains("invalid");
    w.editSpec(s -> s.rollout.steps.get(0).percent = 10);
    String next = w.deploy(SERVICE, true, true);
    rounds(w, 3);
    assertThat(served(w, next)).as("the stale promote gives the new candidate nothing").isZero();
  }

  @Test
  void aPromoteGivenDuringACloudRunReadOutageIsAnsweredAndANewDeployIsVerified() {
    ModelWorld w = new ModelWorld(GateModelTest.spec(STEPS_10_50_100), false);
    rounds(w, 2);
    w.cloudRun.failReads("UNAVAILABLE", 3);
    w.annotate(Commands.PROMOTE, "by-hand-2");
    rounds(w, 1);
    assertThat(w.status().lastCommand.message).contains("Cloud Run could not be read");
    String next = w.deploy(SERVICE, true, true);
    rounds(w, 4);
    assertThat(served(w, next)).isZero();
  }

  /**
   * A pipeline's next deploy (gcloud run deploy --no-traffic --tag candidate) moves the candidate
   * tag to the new revision: a change of tags, not of routing. The gate gates the new revision; it
   * does not hold the rollout's own traffic as a person's (PeopleActIT found it under load).
   */
  @Test
  void aDeployThatMovesTheCandidateTagIsANewCandidateNotAPersonsRouting() {
    ModelWorld w = new ModelWorld(GateModelTest.spec(STEPS_10_50_100), false);
    String first = w.deploy(SERVICE, true, true);
    runUntil(w, x -> served(x, first) == 10);
    String next = w.deploy(SERVICE, true, true);
    w.cloudRun.setTrafficByHand(
        SERVICE, ModelPolicies.withTagMoved(w.cloudRun.desired(SERVICE), next, "candidate"));
    runUntil(w, x -> served(x, next) == 10);
    assertThat(w.status().routedByHand).isNull();
    assertThat(served(w, first)).isZero();
  }

  @Test
  void aPromoteGivenForAnEarlierCandidateIsIgnored() {
    ModelWorld w = new ModelWorld(GateModelTest.spec(STEPS_10_50_100), false);
    String first = w.deploy(SERVICE, true, true);
    runUntil(w, x -> served(x, first) == 10);
    String second = w.deploy(SERVICE, true, true);
    rounds(w, 2);
    w.annotate(
        Commands.PROMOTE, Commands.value(first, w.stored.getMetadata().getGeneration(), w.now));
    rounds(w, 2);
    assertThat(w.status().lastCommand.outcome).isEqualTo("Ignored");
    assertThat(w.status().lastCommand.message)
        .contains("given for candidate " + first)
        .contains(second);
    assertThat(served(w, second)).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"probe", "dependency"})
  void afterAStepsEditAFailureStillRollsBackACandidateWithTraffic(String what) {
    ModelWorld w = new ModelWorld(GateModelTest.spec(STEPS_10_50_100), false);
    String candidate = w.deploy(SERVICE, true, true);
    runUntil(w, x -> served(x, candidate) == 10);
    w.editSpec(
        s ->
            s.rollout.steps.get(0).percent =
                25); // 25, 50, 100: no step at or below the candidate's 10%
    rounds(w, 1);
    if (what.equals("probe")) {
      w.probes.fail("ready", "STATUS", "status 503, expected [200]");
    } else {
      w.probes.fail("session-store", "CONNECT", "connect timed out after 2s");
    }
    runUntil(w, x -> x.status().phase == Phase.RolledBack);
    assertThat(served(w, candidate)).isZero();
  }

  @Test
  void aGitOpsRevertRollsTheCandidateItReplacedBack() {
    ModelWorld w = new ModelWorld(GateModelTest.spec(STEPS_10_50_100), false);
    String candidate = w.deploy(SERVICE, true, true);
    w.editSpec(s -> s.candidate.revision = candidate);
    runUntil(w, x -> served(x, candidate) == 50);
    String stable = w.status().stableRevision;
    w.editSpec(s -> s.candidate.revision = stable); // the pipeline's commit reverted
    runUntil(w, x -> served(x, candidate) == 0);
    rounds(w, 3);
    assertThat(w.status().history)
        .extracting(h -> h.revision + "/" + h.outcome + "/" + h.reason)
        .contains(candidate + "/RolledBack/Reverted");
    assertThat(w.status().phase).isEqualTo(Phase.Idle);
  }

  @Test
  void editingTheServiceMidRolloutReturnsTheOldServicesTrafficFirst() {
    ModelWorld w = new ModelWorld(GateModelTest.spec(STEPS_10_50_100), false);
    String candidate = w.deploy(SERVICE, true, true);
    runUntil(w, x -> served(x, candidate) == 50);
    w.editSpec(s -> s.service = ModelWorld.OTHER);
    runUntil(w, x -> ModelWorld.OTHER.resourceName().equals(x.status().service));
    assertThat(served(w, candidate)).as("the old service's candidate is back at 0%").isZero();
    assertThat(w.status().history).extracting(h -> h.reason).contains("ServiceChanged");
  }

  @Test
  void aPersonsFullRouteAfterARollbackBecomesStableAndNothingIsPromotedAtZero() {
    ModelWorld w =
        new ModelWorld(
            GateModelTest.spec(STEPS_10_50_100), true); // legacy 10% (blue) beside the stable
    String candidate = w.deploy(SERVICE, true, true);
    runUntil(w, x -> served(x, candidate) == 9); // 10% of the 90% the legacy route leaves
    w.exits.add(
        new ContainerExit(candidate, 3, w.worldNow(), List.of("Reason: Worker failed to boot.")));
    runUntil(w, x -> x.status().phase == Phase.RolledBack);
    String legacy = w.revisionName(SERVICE, 1);
    w.cloudRun.setTrafficByHand(SERVICE, List.of(new TrafficEntry(legacy, 100, "blue")));
    rounds(w, 2);
    assertThat(w.status().stableRevision).isEqualTo(legacy);
    String next = w.deploy(SERVICE, true, true);
    runUntil(
        w, x -> x.status().phase == Phase.Promoted && next.equals(x.status().candidateRevision));
    assertThat(served(w, next)).as("promoted while serving all of the traffic").isEqualTo(100);
  }
}
