package dev.rungate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungate.api.ReadinessPolicy;
import dev.rungate.api.ReadinessPolicySpec;
import dev.rungate.api.spec.ServiceRef;
import dev.rungate.reconciler.EventRecorder;
import dev.rungate.testing.LocalCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Repeated Events are folded into one Event with a count under the chart's own RBAC (Events:
 * create, patch).
 */
@Tag("real")
@ResourceLock("chart-rbac")
class EventFoldingRbacIT {
  @Test
  void theChartsServiceAccountFoldsRepeatedEvents() throws Exception {
    LocalCluster cluster = LocalCluster.get();
    KubernetesClient admin = cluster.client();
    String ns = cluster.newNamespace("evrbac");
    Path dir = Files.createTempDirectory("evrbac");
    try {
      ServiceAccountIdentity.applyIdentity(
          admin, ServiceAccountIdentity.render(admin, ns, Map.of("watchNamespaces[0]", ns)));
      Path kubeconfig =
          ServiceAccountIdentity.kubeconfig(admin, ns, ServiceAccountIdentity.RELEASE, dir);
      ReadinessPolicy policy = new ReadinessPolicy();
      policy.setMetadata(new ObjectMetaBuilder().withName("gate").withNamespace(ns).build());
      policy.setSpec(new ReadinessPolicySpec());
      policy.getSpec().service = new ServiceRef("netra-staging", "us-central1", "svc");
      policy = admin.resource(policy).create();
      try (KubernetesClient asOperator = LocalCluster.clientFor(kubeconfig)) {
        EventRecorder events = new EventRecorder(asOperator);
        for (int i = 0; i < 3; i++) {
          events.record(
              policy, "Warning", "DependencyUnreachable", "session-store failed at CONNECT");
        }
      }
      var written = admin.v1().events().inNamespace(ns).list().getItems();
      assertThat(written).singleElement().extracting(Event::getCount).isEqualTo(3);
    } finally {
      admin.namespaces().withName(ns).delete();
    }
  }
}
