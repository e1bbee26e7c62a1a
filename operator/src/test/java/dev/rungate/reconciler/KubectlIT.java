package dev.rungate.reconciler;

import static dev.rungate.testing.Processes.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rungate.api.spec.ServiceRef;
import dev.rungate.testing.Processes;
import dev.rungate.testing.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What a user does with the real kubectl: apply the CRD and examples, list, wait, and get refused
 * bad input.
 */
@Tag("real")
class KubectlIT {

  @Test
  void appliesTheCrdAndExamplesAndListsThePrinterColumns() {
    try (var h = new OperatorHarness("kubectl")) {
      assertOk(h.cluster.kubectl("apply", "-f", Repo.path("crds").toString()));
      assertOk(
          h.cluster.kubectl("apply", "-n", h.namespace, "-f", Repo.path("examples").toString()));
      Processes.Result list = h.cluster.kubectl("get", "rpol", "-n", h.namespace);
      assertOk(list);
      assertThat(list.stdout().lines().findFirst().orElseThrow().split("\\s+"))
          .contains("NAME", "SERVICE", "PHASE", "STABLE", "CANDIDATE", "TRAFFIC", "AGE");
      assertThat(list.stdout()).contains("netra-backend-staging");
      Processes.Result explain = h.cluster.kubectl("explain", "rpol.spec.rollout.steps");
      assertOk(explain);
      assertThat(explain.stdout()).contains("strictly increasing and ending at 100");
    }
  }

  @Test
  void kubectlWaitReturnsWhenTheCandidateIsPromoted() {
    try (var h = new OperatorHarness("wait")) {
      ServiceRef ref = new ServiceRef("netra-staging", "us-central1", "checkout");
      h.serviceWithCandidate(ref, "checkout-00001-aaa", "checkout-00002-bbb");
      h.client
          .resource(Policies.fast("checkout", ref, "checkout-00002-bbb"))
          .inNamespace(h.namespace)
          .create();
      Processes.Result wait =
          h.cluster.kubectl(
              "wait",
              "-n",
              h.namespace,
              "--for=condition=Promoted",
              "--timeout=90s",
              "rpol/checkout");
      assertOk(wait);
      assertThat(wait.stdout()).contains("condition met");
    }
  }

  @Test
  void theSchemaRefusesAPercentOver100AndNamesTheField() throws IOException {
    try (var h = new OperatorHarness("schema")) {
      Path bad = Files.createTempFile("bad-policy", ".yaml");
      Files.writeString(
          bad,
          """
          apiVersion: rungate.dev/v1alpha1
          kind: ReadinessPolicy
          metadata: {name: bad}
          spec:
            service: {project: netra-staging, region: us-central1, name: checkout}
            rollout:
              steps: [{percent: 150}]
              progressDeadline: ten minutes
          """);
      Processes.Result apply = h.cluster.kubectl("apply", "-n", h.namespace, "-f", bad.toString());
      assertThat(apply.exitCode()).isNotZero();
      assertThat(apply.stderr())
          .contains("spec.rollout.steps.percent", "less than or equal to 100")
          .contains("spec.rollout.progressDeadline");
      assertThat(h.cluster.kubectl("get", "rpol", "bad", "-n", h.namespace).exitCode()).isNotZero();
      assertThat(h.cloudRun.updates()).isEmpty();
    }
  }
}
