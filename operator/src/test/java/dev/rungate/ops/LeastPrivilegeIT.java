package dev.rungate.ops;

import static dev.rungate.testing.Processes.assertOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.rungate.api.Phase;
import dev.rungate.api.ReadinessPolicy;
import dev.rungate.e2e.stack.Stack;
import dev.rungate.testing.LocalCluster;
import dev.rungate.testing.Processes;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The chart's RBAC for a namespaced install, applied to the real apiserver, is enough for the
 * operator to walk a rollout to Promoted (reading the Redis AUTH Secret, writing status, Events and
 * its Lease) and refuses what the operator must not do.
 */
@Tag("real")
@Order(3) // the longest classes start first (scripts/test runs several at once)
@ResourceLock("chart-rbac")
class LeastPrivilegeIT {

  @Test
  void theChartsNamespacedRbacIsEnoughToPromoteAndRefusesTheRest() throws Exception {
    try (Stack s = new Stack("lp")) {
      KubernetesClient admin = s.client;
      String ns = s.namespace;
      List<HasMetadata> rendered =
          ServiceAccountIdentity.render(
              admin,
              ns,
              Map.of(
                  "watchNamespaces[0]",
                  ns,
                  "leaderElection.enabled",
                  "true",
                  "leaderElection.leaseNamespace",
                  ns));
      List<HasMetadata> applied = ServiceAccountIdentity.applyIdentity(admin, rendered);
      assertThat(applied)
          .extracting(HasMetadata::getKind)
          .containsExactlyInAnyOrder(
              "ServiceAccount", "Role", "RoleBinding", "Role", "RoleBinding");
      Path kubeconfig =
          ServiceAccountIdentity.kubeconfig(admin, ns, ServiceAccountIdentity.RELEASE, s.dir);

      String stable = s.revision(1, "stable");
      String candidate = s.revision(2, "good");
      assertOk(s.deploy(stable, false));
      assertOk(s.deploy(candidate, true));
      var operator =
          s.launch(kubeconfig, "operator-sa", "--leader-election", "--lease-namespace", ns);
      s.apply(s.policy(candidate, "2s"));

      Processes.Result wait =
          s.kubectl("wait", "-n", ns, "--for=condition=Promoted", "--timeout=120s", "rpol/gate");
      assertThat(wait.exitCode()).as(wait.stderr() + operator.log()).isZero();
      assertThat(s.get().getStatus().phase).isEqualTo(Phase.Promoted);
      assertThat(s.get().getStatus().checks)
          .filteredOn(c -> "session-store".equals(c.name))
          .singleElement()
          .satisfies(c -> assertThat(c.passed).isTrue()); // it read the AUTH Secret
      assertThat(s.trafficHistory().get(s.trafficHistory().size() - 1))
          .containsExactly(stable + "=0", candidate + "=100");
      var renewed =
          admin
              .resources(Lease.class)
              .inNamespace(ns)
              .withName("rungate-operator")
              .get()
              .getSpec()
              .getRenewTime();
      // the leader must be able to renew its Lease, not just create it: wait for the renewal itself
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  admin
                      .resources(Lease.class)
                      .inNamespace(ns)
                      .withName("rungate-operator")
                      .get()
                      .getSpec()
                      .getRenewTime()
                      .isAfter(renewed));
      var lease =
          admin.resources(Lease.class).inNamespace(ns).withName("rungate-operator").get().getSpec();
      var printed = Pattern.compile("lease rungate-operator as (\\S+)").matcher(operator.log());
      assertThat(printed.find()).as(operator.log()).isTrue();
      assertThat(lease.getHolderIdentity())
          .as("holder = the process's identity (host-pid: no POD_NAME here)")
          .isEqualTo(printed.group(1))
          .matches(".+-\\d+");
      assertThat(lease.getRenewTime()).as("Lease renewed by the operator").isAfter(renewed);
      assertThat(operator.alive()).isTrue();
      assertThat(admin.v1().events().inNamespace(ns).list().getItems())
          .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("Promoted"));
      String log = operator.log();
      assertThat(log)
          .doesNotContainIgnoringCase("forbidden")
          .doesNotContain(" 403 ")
          .doesNotContain(Stack.REDIS_PASSWORD);
      assertThat(log)
          .doesNotContain(
              Files.readString(kubeconfig).replaceAll("(?s).*token: \"([^\"]+)\".*", "$1"));

      String other = s.cluster.newNamespace("lp-other");
      try {
        admin
            .resource(
                new SecretBuilder()
                    .withNewMetadata()
                    .withName("theirs")
                    .withNamespace(other)
                    .endMetadata()
                    .addToStringData("k", "v")
                    .build())
            .create();
        ReadinessPolicy theirs = s.policy(candidate, "2s");
        theirs.getMetadata().setNamespace(other);
        admin.resource(theirs).create();
        try (KubernetesClient sa = LocalCluster.clientFor(kubeconfig)) {
          assertRefusals(sa, ns, other);
        }
      } finally {
        admin.namespaces().withName(other).delete();
      }
    }
  }

  @Test
  void theDefaultInstallsClusterRoleWatchesEveryNamespaceAndStillCannotListSecrets()
      throws Exception {
    LocalCluster cluster = LocalCluster.get();
    KubernetesClient admin = cluster.client();
    String release = cluster.newNamespace("lp-default");
    String team = cluster.newNamespace("lp-team");
    List<HasMetadata> applied =
        ServiceAccountIdentity.applyIdentity(
            admin, ServiceAccountIdentity.render(admin, release, Map.of()));
    try {
      assertThat(applied)
          .extracting(HasMetadata::getKind)
          .containsExactlyInAnyOrder(
              "ServiceAccount",
              "ClusterRole",
              "ClusterRoleBinding",
              "Role",
              "RoleBinding"); // the last two: the Lease, in the release namespace
      admin
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName("redis-auth")
                  .withNamespace(team)
                  .endMetadata()
                  .addToStringData("auth", "x")
                  .build())
          .create();
      Path kubeconfig =
          ServiceAccountIdentity.kubeconfig(
              admin,
              release,
              ServiceAccountIdentity.RELEASE,
              Files.createTempDirectory("rungate-lp-default"));
      try (KubernetesClient sa = LocalCluster.clientFor(kubeconfig)) {
        assertThat(sa.resources(ReadinessPolicy.class).inAnyNamespace().list().getItems())
            .isNotNull();
        assertThat(sa.secrets().inNamespace(team).withName("redis-auth").get()).isNotNull();
        assertThat(sa.resources(Lease.class).inNamespace(release).withName("rungate").get())
            .isNull(); // get: allowed
        assertForbidden(() -> sa.secrets().inAnyNamespace().list());
        assertForbidden(() -> sa.secrets().inNamespace(team).list());
        assertForbidden(() -> sa.pods().inAnyNamespace().list());
        assertForbidden(
            () ->
                sa.configMaps()
                    .inNamespace(team)
                    .resource(
                        new ConfigMapBuilder()
                            .withNewMetadata()
                            .withName("sneaky")
                            .endMetadata()
                            .build())
                    .create());
        assertForbidden(() -> sa.resources(Lease.class).inNamespace(team).list());
        assertForbidden(() -> sa.resources(Lease.class).inNamespace("kube-system").list());
      }
    } finally {
      applied.stream()
          .filter(o -> o.getMetadata().getNamespace() == null)
          .forEach(o -> admin.resource(o).delete());
      admin.namespaces().withName(release).delete();
      admin.namespaces().withName(team).delete();
    }
  }

  private static void assertRefusals(KubernetesClient sa, String ns, String other) {
    // what it may do (so the refusals below are RBAC, not a broken token)
    assertThat(sa.secrets().inNamespace(ns).withName("redis-auth").get()).isNotNull();
    assertThat(sa.resources(ReadinessPolicy.class).inNamespace(ns).list().getItems()).hasSize(1);

    assertForbidden(() -> sa.secrets().inNamespace(ns).list());
    assertForbidden(() -> sa.secrets().inNamespace(other).withName("theirs").get());
    assertForbidden(() -> sa.pods().inNamespace(ns).list());
    assertForbidden(
        () ->
            sa.configMaps()
                .inNamespace(ns)
                .resource(
                    new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("sneaky")
                        .endMetadata()
                        .addToData("k", "v")
                        .build())
                .create());
    assertForbidden(
        () -> sa.resources(ReadinessPolicy.class).inNamespace(ns).withName("gate").delete());
    assertForbidden(() -> sa.resources(ReadinessPolicy.class).inNamespace(other).list());
    assertForbidden(
        () -> sa.resources(ReadinessPolicy.class).inNamespace(other).withName("gate").get());
    assertForbidden(
        () ->
            sa.resources(ReadinessPolicy.class)
                .inNamespace(other)
                .withName("gate")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"paused\":true}}"));
    assertForbidden(() -> sa.resources(Lease.class).inNamespace("kube-system").list());
  }

  private static void assertForbidden(Runnable call) {
    KubernetesClientException e = catchThrowableOfType(call::run, KubernetesClientException.class);
    assertThat(e).as("expected 403 Forbidden, but the call was allowed").isNotNull();
    assertThat(e.getCode()).as(e.getMessage()).isEqualTo(403);
  }
}
