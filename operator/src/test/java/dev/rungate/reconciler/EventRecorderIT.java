package dev.rungate.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungate.api.ReadinessPolicy;
import dev.rungate.api.spec.ServiceRef;
import dev.rungate.testing.LocalCluster;
import io.fabric8.kubernetes.api.model.Event;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Events on the real apiserver: a repeat is folded into one Event with a count; a new message is a
 * new Event.
 */
@Tag("real")
class EventRecorderIT {
  @Test
  void repeatsAreFoldedIntoOneEventWithACount() {
    LocalCluster cluster = LocalCluster.get();
    String ns = cluster.newNamespace("events");
    try {
      ReadinessPolicy policy =
          cluster
              .client()
              .resource(
                  Policies.fast(
                      "gate", new ServiceRef("netra-staging", "us-central1", "svc"), "svc-00002-b"))
              .inNamespace(ns)
              .create();
      EventRecorder events = new EventRecorder(cluster.client());
      for (int i = 0; i < 3; i++) {
        events.record(
            policy, "Warning", "DependencyUnreachable", "session-store failed at CONNECT");
      }
      events.record(policy, "Warning", "DependencyUnreachable", "session-store failed at AUTH");

      var written = cluster.client().v1().events().inNamespace(ns).list().getItems();
      assertThat(written).hasSize(2);
      Event connect =
          written.stream()
              .filter(e -> e.getMessage().contains("CONNECT"))
              .findFirst()
              .orElseThrow();
      assertThat(connect.getCount()).isEqualTo(3);
      assertThat(connect.getInvolvedObject().getName()).isEqualTo("gate");
      assertThat(connect.getType()).isEqualTo("Warning");
      assertThat(
              written.stream()
                  .filter(e -> e.getMessage().contains("AUTH"))
                  .findFirst()
                  .orElseThrow()
                  .getCount())
          .isEqualTo(1);
    } finally {
      cluster.client().namespaces().withName(ns).delete();
    }
  }
}
