package dev.rungate.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The values a user sets at install time, and what each changes in the rendered manifests. */
class ChartOptionsTest {
  @Test
  void namespacedInstallGetsARoleAndBindingPerWatchedNamespaceAndNothingClusterWide() {
    // helm install ... --set 'watchNamespaces={team-a,team-b}' (helm-java's set takes the indexed
    // form)
    var chart =
        Chart.render(Map.of("watchNamespaces[0]", "team-a", "watchNamespaces[1]", "team-b"));
    assertThat(chart.all(ClusterRole.class)).isEmpty();
    assertThat(chart.all(ClusterRoleBinding.class)).isEmpty();
    for (String ns : List.of("team-a", "team-b")) {
      Role role =
          chart.all(Role.class).stream()
              .filter(r -> ns.equals(r.getMetadata().getNamespace()))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no Role in " + ns));
      assertThat(Rbac.flatten(role.getRules())).isEqualTo(Rbac.POLICY_RULES);
      RoleBinding binding =
          chart.all(RoleBinding.class).stream()
              .filter(b -> ns.equals(b.getMetadata().getNamespace()))
              .findFirst()
              .orElseThrow();
      assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
      assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
      assertThat(binding.getSubjects())
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.getName()).isEqualTo("rungate");
                assertThat(s.getNamespace()).isEqualTo(Chart.NAMESPACE);
              });
    }
    assertThat(chart.all(Role.class))
        .extracting(r -> r.getMetadata().getNamespace())
        .containsExactlyInAnyOrder(
            "team-a", "team-b", Chart.NAMESPACE); // the last is the Lease Role
    assertThat(args(chart)).containsSubsequence("--namespace", "team-a", "--namespace", "team-b");
  }

  @Test
  void gcpServiceAccountAnnotatesTheServiceAccountForWorkloadIdentity() {
    var chart =
        Chart.render(
            Map.of("serviceAccount.gcpServiceAccount", "rungate@p.iam.gserviceaccount.com"));
    assertThat(chart.one(ServiceAccount.class).getMetadata().getAnnotations())
        .containsEntry("iam.gke.io/gcp-service-account", "rungate@p.iam.gserviceaccount.com");
  }

  @Test
  void extraEnvIsAddedToTheOperatorContainer() {
    var chart =
        Chart.render(
            Map.of("extraEnv[0].name", "GCE_METADATA_HOST", "extraEnv[0].value", "10.0.0.9:8090"));
    var env =
        chart
            .one(Deployment.class)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getEnv();
    assertThat(env)
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("GCE_METADATA_HOST");
              assertThat(e.getValue()).isEqualTo("10.0.0.9:8090");
            });
    assertThat(env).extracting(e -> e.getName()).contains("POD_NAME", "JAVA_TOOL_OPTIONS");
  }

  @Test
  void cloudRunEndpointLoggingEndpointAndSelectorBecomeFlags() {
    var chart =
        Chart.render(
            Map.of(
                "cloudRun.endpoint",
                "emulator:8089",
                "cloudRun.plaintext",
                true,
                "logging.endpoint",
                "emulator:8090",
                "selector",
                "rungate.dev/shard=a",
                "pollIntervals.inFlight",
                "2s",
                "pollIntervals.idle",
                "5m",
                "metrics.port",
                9090));
    assertThat(args(chart))
        .containsSubsequence("--cloud-run-endpoint", "emulator:8089", "--plaintext")
        .containsSubsequence("--logging-endpoint", "emulator:8090")
        .containsSubsequence("--selector", "rungate.dev/shard=a")
        .containsSubsequence("--poll-in-flight", "2s", "--poll-idle", "5m")
        .containsSubsequence("--metrics-port", "9090");
    assertThat(chart.one(Service.class).getSpec().getPorts().get(0).getPort()).isEqualTo(9090);
  }

  @Test
  void plaintextAloneDoesNothingWithoutAnEndpoint() {
    assertThat(args(Chart.render(Map.of("cloudRun.plaintext", true))))
        .doesNotContain("--plaintext", "--cloud-run-endpoint");
  }

  @Test
  void leaderElectionOffDropsTheLeaseRuleAndTheFlag() {
    var chart = Chart.render(Map.of("leaderElection.enabled", false));
    assertThat(args(chart))
        .doesNotContain(
            "--leader-election",
            "--lease-namespace",
            "--lease-name",
            "--lease-duration",
            "--renew-deadline",
            "--retry-period");
    assertThat(chart.all(Role.class)).isEmpty();
    assertThat(chart.all(RoleBinding.class)).isEmpty();
    assertThat(Rbac.flatten(chart.one(ClusterRole.class).getRules())).isEqualTo(Rbac.POLICY_RULES);
  }

  @Test
  void leaseNamespaceMovesTheLeaseRole() {
    var chart = Chart.render(Map.of("leaderElection.leaseNamespace", "ops"));
    assertThat(args(chart)).containsSubsequence("--lease-namespace", "ops");
    assertThat(chart.one(Role.class).getMetadata().getNamespace()).isEqualTo("ops");
    assertThat(chart.one(RoleBinding.class).getMetadata().getNamespace()).isEqualTo("ops");
  }

  @Test
  void leaseNameAndTimingsComeFromValuesAndEachReleaseGetsItsOwnLease() {
    var shard =
        Chart.render(
            Map.of(
                "leaderElection.leaseName",
                "rungate-shard-a",
                "leaderElection.leaseDuration",
                "8s",
                "leaderElection.renewDeadline",
                "5s",
                "leaderElection.retryPeriod",
                "1s",
                "selector",
                "shard=a"));
    assertThat(args(shard))
        .containsSubsequence(
            "--lease-name",
            "rungate-shard-a",
            "--lease-duration",
            "8s",
            "--renew-deadline",
            "5s",
            "--retry-period",
            "1s");
    var otherRelease =
        new Chart.Rendered(
            new Helm(Chart.dir())
                .template()
                .withName("rungate-b")
                .withNamespace(Chart.NAMESPACE)
                .call());
    assertThat(args(otherRelease)).containsSubsequence("--lease-name", "rungate-b");
  }

  @Test
  void serviceMonitorScrapesTheMetricsPortWhenEnabled() {
    var chart = Chart.render(Map.of("metrics.serviceMonitor.enabled", true));
    GenericKubernetesResource monitor = chart.one(GenericKubernetesResource.class);
    assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.getKind()).isEqualTo("ServiceMonitor");
    Map<String, String> selector = monitor.get("spec", "selector", "matchLabels");
    assertThat(chart.one(Service.class).getMetadata().getLabels()).containsAllEntriesOf(selector);
    List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
    assertThat(endpoints)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e).containsEntry("port", "metrics");
              assertThat(e).containsEntry("path", "/metrics");
            });
  }

  @Test
  void imageTagAndSchedulingValuesReachThePod() {
    var chart =
        Chart.render(
            Map.of(
                "image.tag",
                "1.2.3",
                "nodeSelector.pool",
                "ops",
                "podAnnotations.example\\.com/team",
                "platform",
                "logLevel",
                "DEBUG"));
    var pod = chart.one(Deployment.class).getSpec().getTemplate();
    assertThat(pod.getSpec().getContainers().get(0).getImage()).endsWith(":1.2.3");
    assertThat(pod.getSpec().getNodeSelector()).containsEntry("pool", "ops");
    assertThat(pod.getMetadata().getAnnotations()).containsEntry("example.com/team", "platform");
    assertThat(ChartDefaultsTest.env(pod.getSpec().getContainers().get(0), "RUNGATE_LOG_LEVEL"))
        .isEqualTo("DEBUG");
  }

  @Test
  void valuesOfTheWrongShapeAreRefusedWithTheFieldNamed() {
    // values.schema.json answers before any template runs, naming the value
    assertThatThrownBy(() -> Chart.render(Map.of("watchNamespaces", "team-a")))
        .hasMessageContaining("schema")
        .hasMessageContaining("/watchNamespaces");
    assertThatThrownBy(() -> Chart.render(Map.of("pollIntervals.idle", "sixty")))
        .hasMessageContaining("schema")
        .hasMessageContaining("/pollIntervals/idle");
    assertThatThrownBy(() -> Chart.render(Map.of("serviceAccount.gcpServiceAccount", "rungate")))
        .hasMessageContaining("schema")
        .hasMessageContaining("/serviceAccount/gcpServiceAccount");
  }

  @Test
  void chartCrdIsTheGeneratedCrdByteForByte() throws IOException {
    byte[] chartCrd =
        Files.readAllBytes(Repo.path("helm/rungate/crds/readinesspolicies.rungate.dev-v1.yml"));
    byte[] repoCrd = Files.readAllBytes(Repo.path("crds/readinesspolicies.rungate.dev-v1.yml"));
    assertThat(chartCrd)
        .as("helm/rungate/crds is a copy of crds/; run scripts/regenerate-crds")
        .isEqualTo(repoCrd);
  }

  private static List<String> args(Chart.Rendered chart) {
    return chart
        .one(Deployment.class)
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getArgs();
  }
}
