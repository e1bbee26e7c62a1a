package dev.rungate.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rungate.api.Phase;
import dev.rungate.api.ReadinessPolicy;
import dev.rungate.api.checks.DependenciesSpec;
import dev.rungate.api.checks.MemorystoreCheck;
import dev.rungate.api.spec.DeployWindow;
import dev.rungate.api.spec.ServiceRef;
import dev.rungate.api.status.TrafficEntry;
import dev.rungate.cloudrun.CloudRun;
import dev.rungate.cloudrun.InMemoryCloudRun;
import dev.rungate.domain.RevisionSnapshot;
import dev.rungate.domain.ServiceSnapshot;
import dev.rungate.probe.InMemoryProbes;
import dev.rungate.signals.InMemoryExitSignals;
import dev.rungate.testing.LocalCluster;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * A policy that holds (Blocked, PausedByUser, OutsideDeployWindow, TrafficChangedOutsideGate)
 * writes its status once and then only as its backoff or idle interval says, on the real apiserver:
 * the operator does not reconcile on its own status writes. Counts status writes (watch events) and
 * Cloud Run calls per policy over a minute.
 */
@Tag("real")
@Order(3) // the longest classes start first (scripts/test runs several at once)
@ResourceLock(value = "cpu", mode = ResourceAccessMode.READ)
class QuietHoldsIT {
  private static final Duration MEASURE = Duration.ofSeconds(60);

  @Test
  void holdsWriteTheirStatusOnceAndReadCloudRunOnlyAsOftenAsTheirIntervalSays() throws Exception {
    LocalCluster cluster = LocalCluster.get();
    var client = cluster.client();
    String ns = cluster.newNamespace("holds");
    InMemoryCloudRun memory = new InMemoryCloudRun();
    Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
    CloudRun counting =
        new CloudRun() {
          @Override
          public ServiceSnapshot getService(ServiceRef service) {
            reads.computeIfAbsent(service.name, k -> new AtomicInteger()).incrementAndGet();
            return memory.getService(service);
          }

          @Override
          public Optional<RevisionSnapshot> getRevision(ServiceRef service, String revision) {
            reads.computeIfAbsent(service.name, k -> new AtomicInteger()).incrementAndGet();
            return memory.getRevision(service, revision);
          }

          @Override
          public void updateTraffic(ServiceRef service, List<TrafficEntry> targets, String etag) {
            reads.computeIfAbsent(service.name, k -> new AtomicInteger()).incrementAndGet();
            memory.updateTraffic(service, targets, etag);
          }
        };
    InMemoryProbes probes = new InMemoryProbes();
    Operator operator =
        new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
    operator.register(
        new ReadinessPolicyReconciler(
            counting,
            new InMemoryExitSignals(),
            probes,
            Clock.systemUTC(),
            new EventRecorder(client)),
        c -> c.settingNamespaces(ns));
    operator.start();
    try {
      List<String> states = List.of("blocked", "paused", "window", "byhand");
      for (String state : states) {
        ServiceRef ref = new ServiceRef("holds-e2e", "us-central1", state);
        memory.deploy(ref, InMemoryCloudRun.readyRevision(state + "-00001"));
        memory.setTrafficByHand(ref, List.of(new TrafficEntry(state + "-00001", 100, null)));
        memory.deploy(ref, InMemoryCloudRun.readyRevision(state + "-00002"));
        ReadinessPolicy p = Policies.fast(state, ref, state + "-00002");
        p.getSpec().rollout.steps.get(0).pause = "10m";
        switch (state) {
          case "blocked" -> {
            p.getSpec().dependencies = new DependenciesSpec();
            MemorystoreCheck redis = new MemorystoreCheck();
            redis.name = "store-of-blocked";
            redis.host = "10.0.0.9";
            p.getSpec().dependencies.memorystore = new ArrayList<>(List.of(redis));
            probes.fail("store-of-blocked", "CONNECT", "connection refused");
          }
          case "paused" -> p.getSpec().paused = true;
          case "window" -> {
            p.getSpec().rollout.steps.get(0).pause = "1s";
            p.getSpec().rollout.window = new DeployWindow();
            p.getSpec().rollout.window.schedule = "* * * ? * * 2099";
          }
          default -> {}
        }
        client.resource(p).inNamespace(ns).create();
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  client
                              .resources(ReadinessPolicy.class)
                              .inNamespace(ns)
                              .withName("byhand")
                              .get()
                              .getStatus()
                          != null
                      && Integer.valueOf(10)
                          .equals(
                              client
                                  .resources(ReadinessPolicy.class)
                                  .inNamespace(ns)
                                  .withName("byhand")
                                  .get()
                                  .getStatus()
                                  .candidatePercent));
      ServiceRef byhand = new ServiceRef("holds-e2e", "us-central1", "byhand");
      memory.setTrafficByHand(
          byhand,
          List.of(
              new TrafficEntry("byhand-00001", 70, null),
              new TrafficEntry("byhand-00002", 30, "candidate")));
      Map<String, Phase> expected =
          Map.of(
              "blocked",
              Phase.Blocked,
              "paused",
              Phase.Paused,
              "window",
              Phase.Paused,
              "byhand",
              Phase.Paused);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  expected.entrySet().stream()
                      .allMatch(
                          e -> {
                            ReadinessPolicy p =
                                client
                                    .resources(ReadinessPolicy.class)
                                    .inNamespace(ns)
                                    .withName(e.getKey())
                                    .get();
                            return p.getStatus() != null && p.getStatus().phase == e.getValue();
                          }));
      Thread.sleep(2000);

      Map<String, AtomicInteger> writes = new ConcurrentHashMap<>();
      reads.clear();
      try (Watch w =
          client
              .resources(ReadinessPolicy.class)
              .inNamespace(ns)
              .watch(
                  new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, ReadinessPolicy p) {
                      if (action == Action.MODIFIED) {
                        writes
                            .computeIfAbsent(p.getMetadata().getName(), k -> new AtomicInteger())
                            .incrementAndGet();
                      }
                    }

                    @Override
                    public void onClose(WatcherException cause) {}
                  })) {
        Thread.sleep(MEASURE.toMillis());
      }
      for (String state : states) {
        int w = writes.getOrDefault(state, new AtomicInteger()).get();
        int r = reads.getOrDefault(state, new AtomicInteger()).get();
        System.out.printf("%-8s status writes/min %d, Cloud Run calls/min %d%n", state, w, r);
        assertThat(w)
            .as(state + ": status writes in a minute")
            .isLessThanOrEqualTo(state.equals("blocked") ? 6 : 1);
        assertThat(r)
            .as(state + ": Cloud Run calls in a minute")
            .isLessThanOrEqualTo(state.equals("byhand") ? 40 : 12);
      }
    } finally {
      operator.stop();
      client.namespaces().withName(ns).delete();
    }
  }
}
