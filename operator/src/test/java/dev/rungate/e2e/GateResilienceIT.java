package dev.rungate.e2e;

import static dev.rungate.testing.Processes.assertOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rungate.api.Phase;
import dev.rungate.api.spec.VpcAccessSpec;
import dev.rungate.e2e.stack.Stack;
import dev.rungate.emulator.FaultInjector;
import dev.rungate.testing.Processes;
import dev.rungate.testing.Repo;
import dev.rungate.testing.RungateJar;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Scenarios 5-7: a killed operator resumes, traffic changed by hand is respected, bad input moves
 * nothing.
 */
@Tag("real")
@Execution(ExecutionMode.CONCURRENT) // each test its own stack
@Order(2)
class GateResilienceIT {
  private static final String UPDATE = "google.cloud.run.v2.Services/UpdateService";

  /**
   * The kill the crash-resume order is for: step 2 (50%) is recorded in the status, the
   * UpdateService that moves the traffic is held by Cloud Run (the emulator's delay-only fault),
   * and the operator dies before it is accepted. A new operator resumes from the recorded intent:
   * exactly one accepted 50% move, then 100%.
   */
  @Test
  void anOperatorKilledBetweenTheStatusWriteAndTheAcceptedUpdateResumesFromTheRecordedIntent()
      throws Exception {
    try (Stack s = new Stack("resumeheld")) {
      s.withStableAndCandidate();
      s.startOperator();
      s.apply(s.policy(s.candidate, "5s"));
      List<String> atTen = List.of(s.stable + "=90", s.candidate + "=10");
      await().atMost(Duration.ofSeconds(120)).until(() -> s.trafficHistory().contains(atTen));
      s.emulator
          .faults()
          .inject(new FaultInjector.Fault(UPDATE, Status.Code.OK, 1, Duration.ofSeconds(15)));
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                var st = s.get().getStatus();
                return st != null
                    && Integer.valueOf(2).equals(st.step)
                    && Integer.valueOf(50).equals(st.stepPercent);
              });
      assertThat(last(s.trafficHistory()))
          .as("step 2 is recorded, its update not yet accepted")
          .isEqualTo(atTen);

      s.operator.kill();
      assertThat(last(s.trafficHistory()))
          .as("the operator died before Cloud Run accepted the move")
          .isEqualTo(atTen);
      s.startOperator();

      Processes.Result wait = s.kubectlWaitPromoted();
      assertThat(wait.exitCode()).as(wait.stderr() + s.operator.log()).isZero();
      List<List<String>> history = s.trafficHistory();
      assertThat(history.subList(2, history.size()))
          .as("after the two deploys: no step skipped or repeated")
          .containsExactly(
              atTen,
              List.of(s.stable + "=50", s.candidate + "=50"),
              List.of(s.stable + "=0", s.candidate + "=100"));
    }
  }

  private static List<String> last(List<List<String>> history) {
    return history.get(history.size() - 1);
  }

  @Test
  void aKilledOperatorResumesAtTheRecordedStepWithoutSkippingOrRepeating() throws Exception {
    try (Stack s = new Stack("resume")) {
      s.withStableAndCandidate();
      String stable = s.stable;
      String candidate = s.candidate;
      s.startOperator();
      var policy = s.policy(candidate, "2s");
      policy.getSpec().rollout.steps.get(1).pause = "8s";
      s.apply(policy);
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () ->
                  s.get().getStatus() != null
                      && Integer.valueOf(2).equals(s.get().getStatus().step)
                      && s.get().getStatus().stepStartedAt != null);

      s.operator.kill();
      Thread.sleep(3000);
      s.startOperator();

      Processes.Result wait = s.kubectlWaitPromoted();
      assertThat(wait.exitCode()).as(wait.stderr() + s.operator.log()).isZero();
      List<List<String>> history = s.trafficHistory();
      List<List<String>> gateMoves = history.subList(2, history.size()); // after the two deploys
      assertThat(gateMoves)
          .containsExactly(
              List.of(stable + "=90", candidate + "=10"),
              List.of(stable + "=50", candidate + "=50"),
              List.of(stable + "=0", candidate + "=100"));
    }
  }

  @Test
  void trafficChangedByHandMidRolloutIsNotOverwritten() throws Exception {
    try (Stack s = new Stack("byhand")) {
      s.rolloutHeldAtTenPercent();
      String stable = s.stable;
      String candidate = s.candidate;

      Processes.Result manual =
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
              stable + "=70," + candidate + "=30",
              "--tags",
              "candidate=" + candidate);
      assertOk(manual);
      await().atMost(Duration.ofSeconds(20)).until(() -> s.is("Stalled", "True"));
      assertThat(s.condition("Stalled").orElseThrow().getReason())
          .isEqualTo("TrafficChangedOutsideGate");
      assertThat(s.get().getStatus().phase).isEqualTo(Phase.Paused);
      int size = s.trafficHistory().size();
      s.operator.awaitMoreRounds(2, Duration.ofSeconds(90)); // it looked again twice, and left it
      assertThat(s.trafficHistory()).hasSize(size);
      assertThat(s.trafficHistory().get(size - 1))
          .containsExactly(stable + "=70", candidate + "=30");
    }
  }

  @Test
  void aCandidateWithoutTheExpectedVpcPathIsBlockedBeforeAnyTrafficMoves() throws Exception {
    try (Stack s = new Stack("vpc")) {
      assertOk(s.deploy(s.stable, false));
      // the incident's sibling outage: egress switched to ALL_TRAFFIC on a connector on the wrong
      // network
      assertOk(
          s.deploy(
              s.candidate,
              true,
              List.of(
                  "--vpc-connector",
                  "projects/rungate-e2e/locations/us-central1/connectors/default-network",
                  "--vpc-egress",
                  "all-traffic")));
      s.startOperator();
      int deploys = s.trafficHistory().size();
      var policy = s.policy(s.candidate, "2s");
      policy.getSpec().revision.vpcAccess = new VpcAccessSpec();
      policy.getSpec().revision.vpcAccess.connector =
          "projects/rungate-e2e/locations/us-central1/connectors/staging";
      policy.getSpec().revision.vpcAccess.egress = VpcAccessSpec.Egress.PRIVATE_RANGES_ONLY;
      s.apply(policy);

      await()
          .atMost(Duration.ofSeconds(120))
          .until(() -> s.get().getStatus() != null && s.get().getStatus().phase == Phase.Blocked);
      assertThat(s.condition("Ready").orElseThrow())
          .satisfies(
              c -> {
                assertThat(c.getReason()).isEqualTo("VpcAccessMismatch");
                assertThat(c.getMessage())
                    .contains(
                        "connector is projects/rungate-e2e/locations/us-central1/connectors/default-network, expected"
                            + " projects/rungate-e2e/locations/us-central1/connectors/staging",
                        "egress is ALL_TRAFFIC, expected PRIVATE_RANGES_ONLY");
              });
      s.operator.awaitMoreRounds(
          2, Duration.ofSeconds(90)); // it looked again twice, and moved nothing
      assertThat(s.trafficHistory()).hasSize(deploys);
    }
  }

  @Test
  void badInputIsRefusedOrInvalidAndMovesNoTraffic() throws Exception {
    try (Stack s = new Stack("badinput")) {
      s.withStableAndCandidate();
      String stable = s.stable;
      String candidate = s.candidate;
      s.startOperator();
      int deploys = s.trafficHistory().size();

      Path schemaBad = Files.createTempFile(s.dir, "schema", ".yaml");
      Files.writeString(
          schemaBad,
          s.client
              .getKubernetesSerialization()
              .asYaml(s.policy(candidate, "2s"))
              .replace("percent: 10", "percent: 0"));
      Processes.Result refused = s.kubectl("apply", "-n", s.namespace, "-f", schemaBad.toString());
      assertThat(refused.exitCode()).isNotZero();
      assertThat(refused.stderr())
          .contains("spec.rollout.steps.percent", "greater than or equal to 1");

      var invalid = s.policy(candidate, "2s");
      invalid.getSpec().rollout.steps.get(2).percent =
          40; // 10, 50, 40: passes the schema, not the validator
      s.apply(invalid);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  s.condition("Ready").map(c -> "InvalidSpec".equals(c.getReason())).orElse(false));
      assertThat(s.condition("Ready").orElseThrow().getMessage())
          .contains("spec.rollout.steps[2].percent");
      Thread.sleep(3000);
      assertThat(s.trafficHistory()).hasSize(deploys);
    }
  }
}
