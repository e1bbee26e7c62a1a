package dev.rungate.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rungate.api.Phase;
import dev.rungate.api.ReadinessPolicy;
import dev.rungate.api.spec.ServiceRef;
import dev.rungate.api.status.TrafficEntry;
import dev.rungate.cloudrun.InMemoryCloudRun;
import dev.rungate.domain.ServiceSnapshot;
import dev.rungate.probe.InMemoryProbes;
import dev.rungate.reconciler.PollIntervals;
import dev.rungate.runtime.OperatorLauncher;
import dev.rungate.signals.InMemoryExitSignals;
import dev.rungate.testing.LocalCluster;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two operators (OperatorLauncher, as `rungate run` builds it) on the real apiserver, one with
 * --selector shard=a and one with shard=b, each with its own Lease: each reconciles only its own
 * policies, and a policy with no shard label is left alone by both.
 */
@Tag("real")
class ShardingIT {
  final LocalCluster cluster = LocalCluster.get();
  final KubernetesClient admin = cluster.client();

  @Test
  void eachShardReconcilesOnlyThePoliciesItsSelectorMatches() throws Exception {
    String ns = cluster.newNamespace("shard");
    ServiceRef svcA = new ServiceRef("rungate-shard", "us-central1", "svc-a");
    ServiceRef svcB = new ServiceRef("rungate-shard", "us-central1", "svc-b");
    ServiceRef svcNone = new ServiceRef("rungate-shard", "us-central1", "svc-none");
    CountingCloudRun cloudA = cloudRun(svcA, svcB, svcNone);
    CountingCloudRun cloudB = cloudRun(svcA, svcB, svcNone);
    try (var a = shard(ns, "shard=a", "rungate-shard-a", cloudA);
        var b = shard(ns, "shard=b", "rungate-shard-b", cloudB)) {
      admin.resource(policy("pa", "a", svcA)).inNamespace(ns).create();
      admin.resource(policy("pb", "b", svcB)).inNamespace(ns).create();
      admin.resource(policy("pnone", null, svcNone)).inNamespace(ns).create();

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> phase(ns, "pa") == Phase.Promoted && phase(ns, "pb") == Phase.Promoted);
      // each shard looks at its own (promoted) policy every second: two more looks each give a
      // stray reconcile of
      // someone else's policy time to show, proven by the rounds rather than slept on
      long readsA = cloudA.reads(svcA);
      long readsB = cloudB.reads(svcB);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> cloudA.reads(svcA) >= readsA + 2 && cloudB.reads(svcB) >= readsB + 2);

      assertThat(cloudA.traffic(svcA)).contains(new TrafficEntry("svc-a-2", 100, "candidate"));
      assertThat(cloudB.traffic(svcB)).contains(new TrafficEntry("svc-b-2", 100, "candidate"));
      assertThat(cloudA.traffic(svcB))
          .as("shard a never touched b's service")
          .containsExactly(stable("svc-b"));
      assertThat(cloudB.traffic(svcA))
          .as("shard b never touched a's service")
          .containsExactly(stable("svc-a"));
      assertThat(cloudA.traffic(svcNone)).containsExactly(stable("svc-none"));
      assertThat(cloudB.traffic(svcNone)).containsExactly(stable("svc-none"));
      assertThat(get(ns, "pnone").getStatus())
          .as("an unlabelled policy belongs to no shard: no status at all")
          .isNull();
      assertThat(holder(ns, "rungate-shard-a")).isEqualTo("op-shard=a");
      assertThat(holder(ns, "rungate-shard-b")).isEqualTo("op-shard=b");
    } finally {
      admin.namespaces().withName(ns).delete();
    }
  }

  private OperatorLauncher shard(
      String ns, String selector, String leaseName, InMemoryCloudRun cloudRun) throws Exception {
    var ports =
        new OperatorLauncher.Ports(
            cloudRun, new InMemoryExitSignals(), new InMemoryProbes(), () -> {});
    var lease =
        new OperatorLauncher.Lease(
            leaseName,
            "op-" + selector,
            Duration.ofSeconds(15),
            Duration.ofSeconds(10),
            Duration.ofSeconds(2),
            false); // in the test JVM: stopping must not System.exit
    var settings =
        new OperatorLauncher.Settings(
            List.of(ns),
            selector,
            0,
            true,
            ns,
            new PollIntervals(Duration.ofMillis(500), Duration.ofSeconds(1)),
            lease);
    return OperatorLauncher.start(LocalCluster.clientFor(cluster.kubeconfig()), ports, settings);
  }

  /** The in-memory Cloud Run, counting each service's reads (a shard's looks at its policies). */
  static final class CountingCloudRun extends InMemoryCloudRun {
    private final Map<String, AtomicLong> reads = new ConcurrentHashMap<>();

    @Override
    public synchronized ServiceSnapshot getService(ServiceRef ref) {
      reads.computeIfAbsent(ref.name, r -> new AtomicLong()).incrementAndGet();
      return super.getService(ref);
    }

    long reads(ServiceRef ref) {
      var n = reads.get(ref.name);
      return n == null ? 0 : n.get();
    }
  }

  private static CountingCloudRun cloudRun(ServiceRef... services) {
    CountingCloudRun cloudRun = new CountingCloudRun();
    for (ServiceRef ref : services) {
      cloudRun.deploy(ref, InMemoryCloudRun.readyRevision(ref.name + "-1"));
      cloudRun.setTrafficByHand(ref, List.of(stable(ref.name)));
      cloudRun.deploy(ref, InMemoryCloudRun.readyRevision(ref.name + "-2"));
    }
    return cloudRun;
  }

  private static TrafficEntry stable(String service) {
    return new TrafficEntry(service + "-1", 100, null);
  }

  private ReadinessPolicy policy(String name, String shard, ServiceRef service) {
    String yaml =
        """
        apiVersion: rungate.dev/v1alpha1
        kind: ReadinessPolicy
        metadata: {name: %s%s}
        spec:
          service: {project: %s, region: %s, name: %s}
          candidate: {revision: %s-2, tag: candidate}
          revision: {observeFor: 1s}
          rollout:
            steps: [{percent: 10, pause: 1s}, {percent: 50, pause: 1s}, {percent: 100}]
            progressDeadline: 2m
        """
            .formatted(
                name,
                shard == null ? "" : ", labels: {shard: " + shard + "}",
                service.project,
                service.region,
                service.name,
                service.name);
    return admin.getKubernetesSerialization().unmarshal(yaml, ReadinessPolicy.class);
  }

  private ReadinessPolicy get(String ns, String name) {
    return admin.resources(ReadinessPolicy.class).inNamespace(ns).withName(name).get();
  }

  private Phase phase(String ns, String name) {
    ReadinessPolicy p = get(ns, name);
    return p == null || p.getStatus() == null ? null : p.getStatus().phase;
  }

  private String holder(String ns, String lease) {
    Lease l = admin.resources(Lease.class).inNamespace(ns).withName(lease).get();
    return l == null ? null : l.getSpec().getHolderIdentity();
  }
}
