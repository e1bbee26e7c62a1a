package dev.rungate.reconciler.model;

import dev.rungate.api.Copies;
import dev.rungate.api.ReadinessPolicy;
import dev.rungate.api.ReadinessPolicySpec;
import dev.rungate.api.ReadinessPolicyStatus;
import dev.rungate.api.spec.ServiceRef;
import dev.rungate.api.status.TrafficEntry;
import dev.rungate.cloudrun.InMemoryCloudRun;
import dev.rungate.domain.MemorystoreInstance;
import dev.rungate.domain.RevisionSnapshot;
import dev.rungate.domain.VpcSettings;
import dev.rungate.probe.InMemoryProbes;
import dev.rungate.reconciler.GateMetrics;
import dev.rungate.reconciler.PolicyObserver;
import dev.rungate.reconciler.PolicyRound;
import dev.rungate.reconciler.PollIntervals;
import dev.rungate.signals.InMemoryExitSignals;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The whole decision loop in memory: the real {@link PolicyRound} (observe, decide, write, act, and
 * the finalizer's release) on the in-memory Cloud Run (two services, reconciles, failed operations,
 * etag races), exit signals (late entries, outages and the catch-up after them) and probes
 * (Memorystore instances too), a stored policy standing in for the API server, a clock the test
 * moves (also backwards), and a second policy on the service.
 */
public final class ModelWorld {
  public static final ServiceRef SERVICE = new ServiceRef("netra-staging", "us-central1", "svc");
  static final ServiceRef OTHER = new ServiceRef("netra-staging", "us-central1", "web");
  static final String INSTANCE = "projects/netra-staging/locations/us-central1/instances/sessions";
  static final String REDIS_HOST = "10.0.0.3";
  static final VpcSettings CONNECTOR =
      new VpcSettings(
          "projects/netra-staging/locations/us-central1/connectors/vpc", null, null, null);

  final InMemoryCloudRun cloudRun = new InMemoryCloudRun();
  final InMemoryExitSignals exits = new InMemoryExitSignals();
  final InMemoryProbes probes = new InMemoryProbes();
  final ModelCheckRunner checks = new ModelCheckRunner();
  Instant now = Instant.parse("2026-11-27T10:00:00Z");
  ReadinessPolicy stored;
  PolicyRound round;
  final Map<String, Integer> revisions = new HashMap<>();

  /**
   * The next status write fails: before it is stored (a lost race) or after it (a crash before the
   * traffic move).
   */
  String nextWrite = "ok";

  /** Another, older policy on the gated service, or null. */
  String conflict;

  /** The policy is being deleted: rounds run its finalizer. */
  boolean deleting;

  private int uid = 1;
  String instanceState = MemorystoreInstance.READY;

  /**
   * The Secret a check names is deleted (a spec error the gate reports; failures still roll back).
   */
  boolean secretMissing;

  /** The deploy window the model sets: open in the first half of every hour (UTC). */
  static final String WINDOW = "* 0-29 * * * ?";

  ModelWorld(ReadinessPolicySpec spec, boolean foreignRoute) {
    cloudRun.setClock(this::worldNow);
    exits.setClock(this::worldNow);
    probes.setClock(() -> now);
    if (foreignRoute) {
      deploy(SERVICE, true, true);
    }
    deploy(SERVICE, true, true);
    String first = revisionName(SERVICE, revisions.get(SERVICE.name));
    cloudRun.setTrafficByHand(
        SERVICE,
        foreignRoute
            ? List.of(
                new TrafficEntry(first, 90, null),
                new TrafficEntry(revisionName(SERVICE, 1), 10, "blue"))
            : List.of(new TrafficEntry(first, 100, null)));
    deploy(OTHER, true, true);
    cloudRun.setTrafficByHand(OTHER, List.of(new TrafficEntry(revisionName(OTHER, 1), 100, null)));
    describeInstance();
    stored = policy(spec);
    restart();
  }

  private ReadinessPolicy policy(ReadinessPolicySpec spec) {
    ReadinessPolicy p = new ReadinessPolicy();
    p.setMetadata(
        new ObjectMetaBuilder()
            .withName("gate")
            .withNamespace("model")
            .withUid("uid-" + uid++)
            .withGeneration(1L)
            .withAnnotations(new HashMap<>())
            .withCreationTimestamp("2026-11-27T09:00:00Z")
            .build());
    p.setSpec(spec);
    return p;
  }

  private Instant world = now;

  /**
   * Google's time: Cloud Run and Cloud Logging stamp and settle by it, and it never goes back;
   * {@link #now} is the operator's clock, which can also be behind (a replica whose clock lags).
   */
  Instant worldNow() {
    return world;
  }

  /** Time passes, for the operator and the world alike. */
  void advance(Duration d) {
    now = now.plus(d);
    world = world.plus(d);
  }

  /** A new operator process: nothing kept in memory survives. */
  void restart() {
    Clock clock =
        new Clock() {
          @Override
          public ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now;
          }
        };
    round =
        new PolicyRound(
            new PolicyObserver(cloudRun, exits, probes, checks),
            cloudRun,
            (p, type, reason, m) -> {},
            GateMetrics.none(),
            clock,
            PollIntervals.DEFAULT);
  }

  void describeInstance() {
    MemorystoreInstance.Window window =
        MemorystoreInstance.READY.equals(instanceState)
            ? null
            : new MemorystoreInstance.Window(now.minusSeconds(60), now.plusSeconds(600));
    probes.describe(
        "session-store",
        new MemorystoreInstance(
            INSTANCE,
            REDIS_HOST,
            6379,
            null,
            0,
            false,
            false,
            List.of(),
            instanceState,
            null,
            window,
            List.of(),
            "projects/netra-staging/global/networks/default",
            "DIRECT_PEERING"));
  }

  String revisionName(ServiceRef service, int n) {
    return String.format("%s-%05d-x", service.name, n);
  }

  /**
   * Deploys the next revision with no traffic (gcloud run deploy --no-traffic); returns its name.
   */
  String deploy(ServiceRef service, boolean ready, boolean envMatches) {
    int n = revisions.merge(service.name, 1, Integer::sum);
    String name = revisionName(service, n);
    cloudRun.deploy(
        service,
        new RevisionSnapshot(
            name,
            ready ? RevisionSnapshot.ReadyState.SUCCEEDED : RevisionSnapshot.ReadyState.RECONCILING,
            null,
            null,
            CONNECTOR,
            worldNow(),
            Map.of("REDIS_HOST", envMatches ? REDIS_HOST : "10.9.9.9")));
    return name;
  }

  /**
   * One reconcile as JOSDK would run it (the finalizer while deleting); null when the policy is
   * gone.
   */
  Duration reconcile() {
    if (stored == null) {
      return Duration.ofSeconds(5);
    }
    ReadinessPolicy seen = copy(stored);
    if (deleting) {
      if (conflict != null || round.release(seen)) {
        round.forget(seen);
        stored = null;
        deleting = false;
        return Duration.ofSeconds(5);
      }
      return Duration.ofSeconds(2);
    }
    return round.run(
        seen,
        conflict,
        (p, status) -> {
          String mode = nextWrite;
          nextWrite = "ok";
          if ("conflict".equals(mode)) {
            throw new IllegalStateException("409 Conflict: the object has been modified");
          }
          stored.setStatus(Copies.of(status));
          if ("crash".equals(mode)) {
            throw new IllegalStateException("operator killed after the status write");
          }
        });
  }

  /** The policy applied again after its deletion (GitOps): a new object with a fresh status. */
  void recreate(ReadinessPolicySpec spec) {
    stored = policy(spec);
  }

  /** The stored policy's generation (null while none is stored). */
  Long generation() {
    return stored == null ? null : stored.getMetadata().getGeneration();
  }

  ReadinessPolicyStatus status() {
    return stored == null ? null : stored.getStatus();
  }

  ReadinessPolicySpec spec() {
    return stored.getSpec();
  }

  ServiceRef gated() {
    return stored == null ? SERVICE : stored.getSpec().service;
  }

  List<TrafficEntry> traffic(ServiceRef service) {
    return cloudRun.traffic(service);
  }

  void editSpec(Consumer<ReadinessPolicySpec> edit) {
    if (stored == null) {
      return;
    }
    edit.accept(stored.getSpec());
    stored.getMetadata().setGeneration(stored.getMetadata().getGeneration() + 1);
  }

  void annotate(String command, String value) {
    if (stored != null) {
      stored.getMetadata().getAnnotations().put("rungate.dev/" + command, value);
    }
  }

  boolean windowOpen() {
    var spec = stored == null ? null : stored.getSpec();
    return spec == null
        || spec.rollout.window == null
        || now.atZone(ZoneOffset.UTC).getMinute() < 30;
  }

  private static ReadinessPolicy copy(ReadinessPolicy p) {
    return Copies.of(p);
  }
}
