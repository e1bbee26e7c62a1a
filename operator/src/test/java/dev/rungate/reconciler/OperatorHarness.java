package dev.rungate.reconciler;

import dev.rungate.api.ReadinessPolicy;
import dev.rungate.api.spec.ServiceRef;
import dev.rungate.api.status.TrafficEntry;
import dev.rungate.cloudrun.InMemoryCloudRun;
import dev.rungate.probe.InMemoryProbes;
import dev.rungate.signals.InMemoryExitSignals;
import dev.rungate.testing.LocalCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;

/** The operator running in the test JVM against the real local cluster, with in-memory ports. */
final class OperatorHarness implements AutoCloseable {
  final LocalCluster cluster = LocalCluster.get();
  final KubernetesClient client = cluster.client();
  final InMemoryCloudRun cloudRun = new InMemoryCloudRun();
  final InMemoryExitSignals exits = new InMemoryExitSignals();
  final InMemoryProbes probes = new InMemoryProbes();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final GateMetrics metrics = new GateMetrics(registry);
  final String namespace;
  private final Operator operator;

  OperatorHarness(String prefix) {
    this(prefix, PollIntervals.DEFAULT);
  }

  /**
   * As above, looking at rollouts in flight and at idle or held policies as often as {@code poll}
   * says.
   */
  OperatorHarness(String prefix, PollIntervals poll) {
    namespace = cluster.newNamespace(prefix);
    operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
    var reconciler =
        new ReadinessPolicyReconciler(
            cloudRun, exits, probes, Clock.systemUTC(), new EventRecorder(client), poll, metrics);
    operator.register(reconciler, c -> c.settingNamespaces(namespace));
    operator.start();
  }

  /**
   * A service whose stable revision serves 100% and whose candidate is deployed, ready, without
   * traffic.
   */
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

  /**
   * Rounds the operator has finished, acting included (rungate_round_stage_seconds{stage="act"}),
   * over its policies.
   */
  long rounds() {
    var timer = registry.find("rungate.round.stage").tag("stage", "act").timer();
    return timer == null ? 0 : timer.count();
  }

  /**
   * Waits until the operator has finished {@code n} more rounds than now: it looked again, "nothing
   * happened" proven.
   */
  void awaitMoreRounds(int n) {
    long target = rounds() + n;
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .alias(n + " more rounds")
        .until(() -> rounds() >= target);
  }

  @Override
  public void close() {
    operator.stop();
    client.namespaces().withName(namespace).delete();
  }
}
