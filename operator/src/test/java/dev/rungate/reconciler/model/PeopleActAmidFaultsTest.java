package dev.rungate.reconciler.model;

import static dev.rungate.reconciler.model.ModelRounds.desired;
import static dev.rungate.reconciler.model.ModelRounds.rounds;
import static dev.rungate.reconciler.model.ModelRounds.runUntil;
import static dev.rungate.reconciler.model.ModelRounds.served;
import static dev.rungate.reconciler.model.ModelWorld.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rungate.api.Phase;
import dev.rungate.domain.ContainerExit;
import dev.rungate.gate.commands.Commands;
import dev.rungate.gate.status.Conditions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the gate does after people act amid faults (issue 18), each on the whole decision loop in
 * memory: a deploy while Cloud Run reconciles, an operator that crashes or is down, a replica's
 * clock behind, Logging refusing.
 */
class PeopleActAmidFaultsTest {
  private static final int STEPS_10_50_100 = 1;

  @Test
  void aNewDeployWhileCloudRunReconcilesFinishesTheFailingCandidatesRollbackFirst() {
    ModelWorld w = new ModelWorld(GateModelTest.spec(STEPS_10_50_100), false);
    String candidate = w.deploy(SERVICE, true, true);
    runUntil(w, x -> served(x, candidate) == 10);
    w.exits.add(
        new ContainerExit(candidate, 3, w.worldNow(), List.of("Reason: Worker failed to boot.")));
    w.cloudRun.failUpdates("UNAVAILABLE", 1);
    rounds(w, 1);
    w.deploy(SERVICE, true, true);
    w.cloudRun.reconcileFor(SERVICE, Duration.ofSeconds(60)); // the deploy starts its revision
    rounds(w, 6);
    assertThat(desired(w, candidate))
        .as("the rollback is sent while Cloud Run reconciles")
        .isZero();
    runUntil(
        w,
        x ->
            x.status().history.stream()
                .anyMatch(
                    h ->
                        h.revision.equals(candidate)
                            && h.outcome.equals("RolledBack")
                            && h.reason.equals("WorkerBootError")));
    rounds(w, 2);
    assertThat(w.status().candidateRevision)
        .as("then the new candidate is gated")
        .isNotEqualTo(candidate);
  }

  @Test
  void anOperatorThatDiesAfterRecordingARollbackResendsItWhileTheServiceReconciles() {
    ModelWorld w = new ModelWorld(GateModelTest.spec(STEPS_10_50_100), false);
    String candidate = w.deploy(SERVICE, true, true);
    runUntil(w, x -> served(x, candidate) == 50);
    w.exits.add(
        new ContainerExit(candidate, 3, w.worldNow(), List.of("Reason: Worker failed to boot.")));
    w.nextWrite = "crash";
    w.reconcile(); // the rollback is recorded, then the process dies before sending it
    w.restart();
    assertThat(w.status().rollback).isNotNull();
    w.cloudRun.reconcileFor(
        SERVICE, Duration.ofSeconds(120)); // another deploy keeps the service reconciling
    rounds(w, 6);
    assertThat(desired(w, candidate)).isZero();
  }

  @Test
  void aReplicaWhoseClockIsBehindResendsARecordedRollbackAtOnce() {
    ModelWorld w = new ModelWorld(GateModelTest.spec(STEPS_10_50_100), false);
    String candidate = w.deploy(SERVICE, true, true);
    runUntil(w, x -> served(x, candidate) == 50);
    w.exits.add(
        new ContainerExit(candidate, 3, w.worldNow(), List.of("Reason: Worker failed to boot.")));
    w.nextWrite = "crash";
    w.reconcile();
    w.restart();
    w.now = w.now.minus(Duration.ofMinutes(5)); // the new leader's clock is 5 minutes behind
    rounds(w, 3);
    assertThat(desired(w, candidate)).isZero();
  }

  @Test
  void operatorDowntimeLongerThanTheDeadlineDoesNotBlameAHealthyCandidate() {
    ModelWorld w =
        new ModelWorld(GateModelTest.spec(STEPS_10_50_100), false); // progressDeadline 2m
    String candidate = w.deploy(SERVICE, true, true);
    runUntil(w, x -> served(x, candidate) == 10);
    w.restart();
    w.advance(Duration.ofMinutes(15));
    runUntil(w, x -> x.status().phase == Phase.Promoted || x.status().rollback != null);
    assertThat(w.status().rollback)
        .as("no ProgressDeadlineExceeded for the operator's absence")
        .isNull();
    assertThat(w.status().phase).isEqualTo(Phase.Promoted);
  }

  @Test
  void exitSignalsStayUnavailableAfterARollbackWhileLoggingStillRefuses() {
    ModelWorld w = new ModelWorld(GateModelTest.spec(STEPS_10_50_100), false);
    w.exits.failWith("PERMISSION_DENIED: logging.viewer is missing");
    String candidate = w.deploy(SERVICE, true, true);
    rounds(w, 3);
    w.annotate(
        Commands.ABORT, Commands.value(candidate, w.stored.getMetadata().getGeneration(), w.now));
    runUntil(w, x -> x.status().phase == Phase.RolledBack);
    rounds(w, 5);
    assertThat(
            Conditions.find(w.status().conditions, Conditions.EXIT_SIGNALS_AVAILABLE)
                .orElseThrow()
                .getStatus())
        .isEqualTo("False");
  }
}
