package dev.rungate.reconciler;

import dev.rungate.api.ReadinessPolicy;
import dev.rungate.api.ReadinessPolicySpec;
import dev.rungate.api.ReadinessPolicyStatus;
import dev.rungate.api.ServiceRef;
import dev.rungate.api.TrafficEntry;
import dev.rungate.cloudrun.InMemoryCloudRun;
import dev.rungate.cloudrun.RevisionSnapshot;
import dev.rungate.cloudrun.VpcSettings;
import dev.rungate.probe.InMemoryProbes;
import dev.rungate.signals.InMemoryExitSignals;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * The whole decision loop in memory: the real {@link PolicyRound} (observe, decide, write, act) on the in-memory
 * Cloud Run, exit signals and probes, a stored policy standing in for the API server, a clock the test moves,
 * and every fault the real parts can show: refused reads and updates, etag races, status-write races, crashes
 * between the status write and the traffic move, Logging outages.
 */
final class ModelWorld {
  static final ServiceRef SERVICE = new ServiceRef("netra-staging", "us-central1", "svc");
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  final InMemoryCloudRun cloudRun = new InMemoryCloudRun();
  final InMemoryExitSignals exits = new InMemoryExitSignals();
  final InMemoryProbes probes = new InMemoryProbes();
  final List<String> events = new ArrayList<>();
  Instant now = Instant.parse("2026-11-27T10:00:00Z");
  ReadinessPolicy stored;
  PolicyRound round;
  int revisions;
  /** The next status write fails: before it is stored (a lost race) or after it (a crash before the traffic move). */
  String nextWrite = "ok";
  final List<String> log = new ArrayList<>();

  ModelWorld(ReadinessPolicySpec spec) {
    deploy(true);
    cloudRun.setTrafficByHand(SERVICE, List.of(new TrafficEntry(revisionName(1), 100, null)));
    stored = new ReadinessPolicy();
    stored.setMetadata(new ObjectMetaBuilder().withName("gate").withNamespace("model").withUid("uid-1")
        .withGeneration(1L).withAnnotations(new HashMap<>()).withCreationTimestamp("2026-11-27T09:00:00Z").build());
    stored.setSpec(spec);
    restart();
  }

  /** A new operator process: nothing kept in memory survives. */
  void restart() {
    Clock clock = new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now;
      }
    };
    round = new PolicyRound(new PolicyObserver(cloudRun, exits, probes, CheckRunner.direct()), cloudRun,
        (p, type, reason, message) -> events.add(type + " " + reason), GateMetrics.none(), clock, PollIntervals.DEFAULT);
  }

  String revisionName(int n) {
    return String.format("svc-%05d-x", n);
  }

  /** Deploys the next revision with no traffic (gcloud run deploy --no-traffic); returns its name. */
  String deploy(boolean ready) {
    String name = revisionName(++revisions);
    cloudRun.deploy(SERVICE, new RevisionSnapshot(name, ready ? RevisionSnapshot.ReadyState.SUCCEEDED
        : RevisionSnapshot.ReadyState.RECONCILING, null, null, VpcSettings.NONE, now));
    return name;
  }

  /** One reconcile as JOSDK would run it; returns false when the round had to stop (crash or lost race). */
  Duration reconcile() {
    ReadinessPolicy seen = copy(stored);
    return round.run(seen, null, (p, status) -> {
      String mode = nextWrite;
      nextWrite = "ok";
      if ("conflict".equals(mode)) {
        throw new IllegalStateException("409 Conflict: the object has been modified");
      }
      stored.setStatus(copyStatus(status));
      if ("crash".equals(mode)) {
        throw new IllegalStateException("operator killed after the status write");
      }
    });
  }

  ReadinessPolicyStatus status() {
    return stored.getStatus();
  }

  List<TrafficEntry> traffic() {
    return cloudRun.traffic(SERVICE);
  }

  void editSpec(java.util.function.Consumer<ReadinessPolicySpec> edit) {
    edit.accept(stored.getSpec());
    stored.getMetadata().setGeneration(stored.getMetadata().getGeneration() + 1);
  }

  static ReadinessPolicy copy(ReadinessPolicy p) {
    return JSON.clone(p);
  }

  static ReadinessPolicyStatus copyStatus(ReadinessPolicyStatus s) {
    return JSON.clone(s);
  }

  static int sizeOf(ReadinessPolicyStatus s) {
    return s == null ? 0 : JSON.asJson(s).length();
  }
}
