package dev.rungate.reconciler;

import dev.rungate.api.ReadinessPolicy;
import dev.rungate.api.ServiceRef;
import dev.rungate.api.TrafficEntry;
import dev.rungate.cloudrun.InMemoryCloudRun;
import dev.rungate.probe.InMemoryProbes;
import dev.rungate.signals.InMemoryExitSignals;
import dev.rungate.testing.LocalCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** The operator running in the test JVM against the real local cluster, with in-memory ports. */
final class OperatorHarness implements AutoCloseable {
  final LocalCluster cluster = LocalCluster.get();
  final KubernetesClient client = cluster.client();
  final InMemoryCloudRun cloudRun = new InMemoryCloudRun();
  final InMemoryExitSignals exits = new InMemoryExitSignals();
  final InMemoryProbes probes = new InMemoryProbes();
  final GateMetrics metrics = new GateMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
  final String namespace;
  private final Operator operator;

  OperatorHarness(String prefix) {
    namespace = cluster.newNamespace(prefix);
    operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
    var reconciler = new ReadinessPolicyReconciler(cloudRun, exits, probes, Clock.systemUTC(), new EventRecorder(client),
        PollIntervals.DEFAULT, metrics);
    operator.register(reconciler, c -> c.settingNamespaces(namespace));
    operator.start();
  }

  /** A service whose stable revision serves 100% and whose candidate is deployed, ready, without traffic. */
  void serviceWithCandidate(ServiceRef ref, String stable, String candidate) {
    cloudRun.deploy(ref, InMemoryCloudRun.readyRevision(stable));
    cloudRun.setTrafficByHand(ref, List.of(new TrafficEntry(stable, 100, null)));
    cloudRun.deploy(ref, InMemoryCloudRun.readyRevision(candidate));
  }

  ReadinessPolicy get(String name) {
    return client.resources(ReadinessPolicy.class).inNamespace(namespace).withName(name).get();
  }

  Optional<Condition> condition(String name, String type) {
    ReadinessPolicy p = get(name);
    if (p == null || p.getStatus() == null) {
      return Optional.empty();
    }
    return p.getStatus().conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  boolean conditionIs(String name, String type, String status) {
    return condition(name, type).map(c -> status.equals(c.getStatus())).orElse(false);
  }

  @Override
  public void close() {
    operator.stop();
    client.namespaces().withName(namespace).delete();
  }
}
