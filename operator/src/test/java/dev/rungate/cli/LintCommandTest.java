package dev.rungate.cli;

import static dev.rungate.cli.CheckCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rungate.testing.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rungate lint through Main.execute: offline, the CRD's schema and the operator's validator. */
class LintCommandTest {
  @TempDir Path dir;

  @Test
  void theShippedExamplesAreValidAndOtherKindsAreSkipped() {
    var r =
        run(
            "lint",
            "-f",
            Repo.path("examples/readinesspolicy.yaml").toString(),
            Repo.path("examples/memorystore-auth-secret.yaml").toString());
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .contains("ReadinessPolicy netra-backend-staging: valid")
        .contains("1 ReadinessPolicy checked, 0 invalid");
  }

  @Test
  void schemaViolationsAreNamedAsTheApiServerWouldAndExitTwo() throws Exception {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(
        f,
        """
        apiVersion: rungate.dev/v1alpha1
        kind: ReadinessPolicy
        metadata: {name: bad}
        spec:
          service: {project: my-project, region: us-central1, name: web}
          dependencies:
            memorystore:
              - {name: cache, host: 10.0.0.3, port: 6379, tls: {mode: Strict}}
          rollout:
            steps: [{percent: 0}, {percent: 100}]
            progresDeadline: 10m
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: ignored}
        """);
    var r = run("lint", "-f", f.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains(
            "ReadinessPolicy bad: spec.rollout.steps[0].percent: Invalid value: 0: "
                + "spec.rollout.steps[0].percent in body should be greater than or equal to 1")
        .contains(
            "spec.dependencies.memorystore[0].tls.mode: Unsupported value: \"Strict\": supported values: "
                + "\"Disabled\", \"VerifyCA\", \"VerifyFull\"")
        .contains("spec.rollout.progresDeadline: Unknown field");
    assertThat(r.out()).contains("1 ReadinessPolicy checked, 1 invalid");
  }

  @Test
  void theOperatorsValidatorRunsOnSchemaValidPolicies() throws Exception {
    Path f = dir.resolve("steps.yaml");
    Files.writeString(
        f,
        """
        apiVersion: rungate.dev/v1alpha1
        kind: ReadinessPolicy
        metadata: {name: steps}
        spec:
          service: {project: my-project, region: us-central1, name: web}
          rollout:
            steps: [{percent: 50}, {percent: 10}]
        """);
    var r = run("lint", "-f", dir.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains(
            "ReadinessPolicy steps: spec.rollout.steps[1].percent: 10 must be greater than 50")
        .contains("spec.rollout.steps[1].percent: the last step must be 100, not 10")
        .contains("InvalidSpec");
  }

  @Test
  void aMissingFileOrNoFileIsAUsageError() {
    assertThat(run("lint", "-f", dir.resolve("missing.yaml").toString()).code()).isEqualTo(2);
    assertThat(run("lint").code()).isEqualTo(2);
  }
}
