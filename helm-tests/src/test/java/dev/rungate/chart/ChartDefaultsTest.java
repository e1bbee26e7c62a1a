package dev.rungate.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** helm install rungate helm/rungate with no values: what lands in the cluster. */
class ChartDefaultsTest {
  private final Chart.Rendered chart = Chart.render();

  @Test
  void lintsCleanInStrictMode() {
    LintResult lint = new Helm(Chart.dir()).lint().strict().call();
    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
  }

  @Test
  void deploymentRunsTwoReplicasOfTheOperatorJar() {
    Deployment deployment = chart.one(Deployment.class);
    assertThat(deployment.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    Container c = container(deployment);
    assertThat(c.getImage()).isEqualTo("ghcr.io/rungate/rungate:0.1.0");
    assertThat(c.getImagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(c.getCommand()).as("the image's entrypoint is the rungate CLI").isNullOrEmpty();
    assertThat(c.getArgs())
        .containsExactly(
            "run",
            "--metrics-port",
            "8080",
            "--leader-election",
            "--lease-namespace",
            Chart.NAMESPACE,
            "--lease-name",
            "rungate",
            "--lease-duration",
            "15s",
            "--renew-deadline",
            "10s",
            "--retry-period",
            "2s",
            "--poll-in-flight",
            "1s",
            "--poll-idle",
            "60s");
    assertThat(env(c, "RUNGATE_LOG_LEVEL")).isEqualTo("INFO");
    assertThat(c.getEnv())
        .filteredOn(e -> "POD_NAME".equals(e.getName()))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getValueFrom().getFieldRef().getFieldPath())
                    .isEqualTo("metadata.name"));
    assertThat(env(c, "JAVA_TOOL_OPTIONS")).contains("-XX:MaxRAMPercentage=");
    assertThat(c.getResources().getRequests().get("memory").toString()).isEqualTo("640Mi");
    assertThat(c.getResources().getLimits().get("memory").toString()).isEqualTo("1Gi");
    assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo("rungate");
  }

  @Test
  void podRunsNonRootWithReadOnlyRootAndNoCapabilities() {
    var pod = chart.one(Deployment.class).getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    assertThat(pod.getSecurityContext().getFsGroup()).isNotNull();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    var sc = pod.getContainers().get(0).getSecurityContext();
    assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(sc.getCapabilities().getAdd()).isNullOrEmpty();
    // the JVM's writable /tmp is an emptyDir, since the root filesystem is read-only
    assertThat(pod.getContainers().get(0).getVolumeMounts())
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
    assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getEmptyDir()).isNotNull());
  }

  @Test
  void probesHitHealthzAndReadyzOnTheMetricsPort() {
    Container c = container(chart.one(Deployment.class));
    assertThat(c.getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("metrics");
              assertThat(p.getContainerPort()).isEqualTo(8080);
            });
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("metrics");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("metrics");
    // a startupProbe holds both back while the JVM boots: no "connection refused" readiness failure
    // per pod
    assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getStartupProbe().getPeriodSeconds() * c.getStartupProbe().getFailureThreshold())
        .as("seconds the JVM may take to answer")
        .isGreaterThanOrEqualTo(60);
    assertThat(c.getReadinessProbe().getInitialDelaySeconds()).isNull();
    assertThat(c.getLivenessProbe().getInitialDelaySeconds()).isNull();
  }

  @Test
  void podGetsAGracePeriodToReleaseItsLease() {
    var pod = chart.one(Deployment.class).getSpec().getTemplate().getSpec();
    assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(30L);
    var custom = Chart.render(Map.of("terminationGracePeriodSeconds", 10)).one(Deployment.class);
    assertThat(custom.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
        .isEqualTo(10L);
  }

  @Test
  void pdbApiFollowsTheClusterVersion() {
    // policy/v1 exists from Kubernetes 1.21; a 1.20 cluster (like the project's own local node) has
    // only v1beta1
    assertThat(Chart.render("1.20.2", Map.of()).yaml())
        .contains("apiVersion: policy/v1beta1\nkind: PodDisruptionBudget");
    assertThat(Chart.render("1.25.0", Map.of()).yaml())
        .contains("apiVersion: policy/v1\nkind: PodDisruptionBudget");
  }

  @Test
  void defaultImageIsWhatTheBuildPublishesTaggedWithTheProjectVersion() throws Exception {
    String pom = Files.readString(Repo.path("pom.xml"));
    String version =
        pom.replaceFirst(
            "(?s).*?<artifactId>rungate-parent</artifactId>\\s*<version>([^<]+)</version>.*", "$1");
    String operatorPom = Files.readString(Repo.path("operator/pom.xml"));
    assertThat(operatorPom).contains("<image>ghcr.io/rungate/rungate:${project.version}</image>");
    // the chart's appVersion is the release of the project version being developed
    String chartYaml = Files.readString(Chart.dir().resolve("Chart.yaml"));
    assertThat(chartYaml).contains("appVersion: \"" + version.replace("-SNAPSHOT", "") + "\"");
    assertThat(container(chart.one(Deployment.class)).getImage())
        .isEqualTo("ghcr.io/rungate/rungate:" + version.replace("-SNAPSHOT", ""));
  }

  @Test
  void chartDeclaresTheKubernetesVersionsItSupports() throws Exception {
    String chartYaml = Files.readString(Chart.dir().resolve("Chart.yaml"));
    assertThat(chartYaml).contains("kubeVersion: \">=1.20.0-0\"");
    Assertions.assertThatThrownBy(() -> Chart.render("1.19.0", Map.of()))
        .hasMessageContaining("kubeVersion");
  }

  @Test
  void clusterRoleGrantsExactlyWhatTheOperatorUses() {
    ClusterRole role = chart.one(ClusterRole.class);
    assertThat(Rbac.flatten(role.getRules())).isEqualTo(Rbac.POLICY_RULES);
    assertThat(role.getRules()).allSatisfy(ChartDefaultsTest::noWildcards);
    assertThat(chart.all(Role.class))
        .as("only the leader-election Role is namespaced")
        .singleElement()
        .satisfies(
            lease -> {
              assertThat(lease.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
              assertThat(Rbac.flatten(lease.getRules())).isEqualTo(Rbac.LEASE_RULES);
              assertThat(lease.getRules()).allSatisfy(ChartDefaultsTest::noWildcards);
            });
  }

  @Test
  void bindingsGrantTheRolesToTheOperatorServiceAccount() {
    ServiceAccount sa = chart.one(ServiceAccount.class);
    assertThat(sa.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
    assertThat(sa.getMetadata().getAnnotations()).isNullOrEmpty();
    ClusterRoleBinding binding = chart.one(ClusterRoleBinding.class);
    assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
    assertThat(binding.getRoleRef().getName())
        .isEqualTo(chart.one(ClusterRole.class).getMetadata().getName());
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getKind()).isEqualTo("ServiceAccount");
              assertThat(s.getName()).isEqualTo(sa.getMetadata().getName());
              assertThat(s.getNamespace()).isEqualTo(Chart.NAMESPACE);
            });
    RoleBinding lease = chart.one(RoleBinding.class);
    assertThat(lease.getRoleRef().getName())
        .isEqualTo(chart.one(Role.class).getMetadata().getName());
    assertThat(lease.getSubjects())
        .singleElement()
        .satisfies(s -> assertThat(s.getName()).isEqualTo("rungate"));
  }

  @Test
  void pdbAndMetricsServiceSelectTheOperatorPods() {
    var podLabels = chart.one(Deployment.class).getSpec().getTemplate().getMetadata().getLabels();
    PodDisruptionBudget pdb = Chart.render("1.25.0", Map.of()).one(PodDisruptionBudget.class);
    assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
    Service svc = chart.one(Service.class);
    assertThat(podLabels).containsAllEntriesOf(svc.getSpec().getSelector());
    assertThat(svc.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("metrics");
              assertThat(p.getPort()).isEqualTo(8080);
              assertThat(p.getTargetPort().getStrVal()).isEqualTo("metrics");
            });
    assertThat(chart.all(GenericKubernetesResource.class))
        .as("no ServiceMonitor by default")
        .isEmpty();
  }

  @Test
  void oneReplicaHasNoPdb() {
    assertThat(Chart.render("1.25.0", Map.of("replicas", 1)).yaml())
        .doesNotContain("kind: PodDisruptionBudget");
    assertThat(Chart.render("1.20.2", Map.of("replicas", 1)).yaml())
        .doesNotContain("kind: PodDisruptionBudget");
  }

  static void noWildcards(PolicyRule rule) {
    assertThat(rule.getVerbs()).doesNotContain("*");
    assertThat(rule.getResources()).doesNotContain("*");
    assertThat(rule.getApiGroups()).doesNotContain("*");
    assertThat(rule.getResourceNames()).isNullOrEmpty();
    assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
  }

  static Container container(Deployment d) {
    List<Container> containers = d.getSpec().getTemplate().getSpec().getContainers();
    assertThat(containers).hasSize(1);
    return containers.get(0);
  }

  static String env(Container c, String name) {
    return c.getEnv().stream()
        .filter(e -> name.equals(e.getName()))
        .findFirst()
        .orElseThrow()
        .getValue();
  }
}
