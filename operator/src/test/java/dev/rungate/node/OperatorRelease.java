package dev.rungate.node;

import static dev.rungate.node.LocalNode.NODE_IP;
import static dev.rungate.node.NodeStack.EMULATOR_PORT;
import static dev.rungate.node.NodeStack.METADATA_PORT;
import static dev.rungate.node.NodeStack.OPERATOR_NS;
import static dev.rungate.node.NodeStack.RELEASE;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.UpgradeCommand;
import dev.rungate.testing.Repo;
import java.util.Map;

/** The operator's chart release on the node (helm-java), pointed at the NodeStack's emulator. */
final class OperatorRelease {
  private final LocalNode node;

  OperatorRelease(LocalNode node) {
    this.node = node;
  }

  /**
   * helm install rungate helm/rungate -n rungate --create-namespace, pointed at the emulator on the
   * node IP.
   */
  void install(Map<String, Object> extra) {
    InstallCommand install =
        new Helm(Repo.path("helm/rungate"))
            .install()
            .withName(RELEASE)
            .withNamespace(OPERATOR_NS)
            .createNamespace()
            .withKubeConfig(node.kubeconfig);
    values(node.imageTag).forEach(install::set);
    extra.forEach(install::set);
    install.call();
  }

  void upgrade(String imageTag, Map<String, Object> extra) {
    UpgradeCommand upgrade =
        new Helm(Repo.path("helm/rungate"))
            .upgrade()
            .withName(RELEASE)
            .withNamespace(OPERATOR_NS)
            .withKubeConfig(node.kubeconfig);
    values(imageTag).forEach(upgrade::set);
    extra.forEach(upgrade::set);
    upgrade.call();
  }

  void uninstall() {
    Helm.uninstall(RELEASE).withNamespace(OPERATOR_NS).withKubeConfig(node.kubeconfig).call();
  }

  private static Map<String, Object> values(String tag) {
    // the services are private (as on Cloud Run): the pods mint ID tokens from the emulator's
    // metadata server,
    // which a pod on GKE reaches as metadata.google.internal through Workload Identity
    return Map.of(
        "image.tag",
        tag,
        "cloudRun.endpoint",
        NODE_IP + ":" + EMULATOR_PORT,
        "cloudRun.plaintext",
        true,
        "logging.endpoint",
        NODE_IP + ":" + EMULATOR_PORT,
        "leaderElection.retryPeriod",
        "1s",
        "serviceAccount.gcpServiceAccount",
        "rungate@rungate-node.iam.gserviceaccount.com",
        "extraEnv[0].name",
        "GCE_METADATA_HOST",
        "extraEnv[0].value",
        NODE_IP + ":" + METADATA_PORT);
  }

  void uninstallQuietly() {
    try {
      uninstall();
    } catch (RuntimeException alreadyGone) {
      // uninstalled by the test itself
    }
  }
}
