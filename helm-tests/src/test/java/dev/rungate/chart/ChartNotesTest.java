package dev.rungate.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What helm install prints after installing (NOTES.txt), from a client-only dry run: no cluster
 * needed.
 */
class ChartNotesTest {
  private static String installOutput(Map<String, Object> values) {
    InstallCommand install =
        new Helm(Chart.dir())
            .install()
            .withName(Chart.RELEASE)
            .withNamespace(Chart.NAMESPACE)
            .dryRun()
            .clientOnly();
    values.forEach(install::set);
    return install.call().getOutput();
  }

  @Test
  void defaultInstallSaysWhatItWatchesAndHowToCheckIt() {
    String out = installOutput(Map.of());
    assertThat(out)
        .contains("Watching: all namespaces.")
        .contains("Leader election: on (Lease in rungate-system)")
        .contains("serviceAccount.gcpServiceAccount is empty")
        .contains("kubectl -n rungate-system rollout status deploy/rungate")
        .contains("kubectl wait rpol/my-policy --for=condition=Promoted");
    // /readyz is 200 on stand-bys too: the metrics check targets the Lease holder, not the Service
    assertThat(out)
        .contains("only the Lease holder reconciles")
        .contains("get lease rungate -o jsonpath='{.spec.holderIdentity}'")
        .contains("port-forward pod/$LEADER 8080")
        .doesNotContain("port-forward svc/");
  }

  @Test
  void withoutLeaderElectionTheMetricsServiceIsTheOperator() {
    String out = installOutput(Map.of("leaderElection.enabled", false, "replicas", 1));
    assertThat(out)
        .contains("port-forward svc/rungate-metrics 8080")
        .doesNotContain("holderIdentity");
  }

  @Test
  void namespacedInstallWithWorkloadIdentityListsTheNamespacesAndDropsTheHint() {
    String out =
        installOutput(
            Map.of(
                "watchNamespaces[0]",
                "team-a",
                "watchNamespaces[1]",
                "team-b",
                "serviceAccount.gcpServiceAccount",
                "rungate@p.iam.gserviceaccount.com"));
    assertThat(out)
        .contains("Watching: namespaces team-a, team-b.")
        .doesNotContain("gcpServiceAccount is empty")
        .contains("rungate@p.iam.gserviceaccount.com")
        .contains(
            "roles/iam.serviceAccountUser on each gated service's " + "runtime service account")
        .contains("cloud-run-release-manager#81")
        .contains("roles/run.invoker");
  }
}
