package dev.rungate.gate;

import dev.rungate.api.ReadinessPolicySpec;
import dev.rungate.api.checks.DependenciesSpec;
import dev.rungate.api.checks.HttpCheck;
import dev.rungate.api.checks.MemorystoreCheck;
import dev.rungate.api.spec.CandidateSpec;
import dev.rungate.api.spec.RevisionProbe;
import dev.rungate.api.spec.RevisionSpec;
import dev.rungate.api.spec.RolloutSpec;
import dev.rungate.api.spec.RolloutStep;
import dev.rungate.api.spec.ServiceRef;
import dev.rungate.api.status.CheckResult;
import dev.rungate.api.status.TrafficEntry;
import dev.rungate.domain.RevisionSnapshot;
import dev.rungate.domain.ServiceSnapshot;
import dev.rungate.domain.VpcSettings;
import dev.rungate.gate.traffic.TrafficPlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Specs, services and revisions for the core's tests. */
public final class Fixtures {
  static final String STABLE = "svc-00001-abc";
  public static final String CANDIDATE = "svc-00002-def";
  public static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

  private Fixtures() {}

  /**
   * Steps 10% (pause 60s), 50% (pause 120s), 100%; observeFor 30s; one Redis dependency; one HTTP
   * probe.
   */
  public static ReadinessPolicySpec spec() {
    ReadinessPolicySpec spec = new ReadinessPolicySpec();
    spec.service = new ServiceRef("netra-staging", "us-central1", "svc");
    spec.candidate = new CandidateSpec();
    spec.candidate.revision = CANDIDATE;
    spec.candidate.tag = "candidate";
    spec.dependencies = new DependenciesSpec();
    MemorystoreCheck redis = new MemorystoreCheck();
    redis.name = "session-store";
    redis.host = "10.0.0.3";
    redis.port = 6379;
    spec.dependencies.memorystore = new ArrayList<>(List.of(redis));
    spec.revision = new RevisionSpec();
    RevisionProbe ready = new RevisionProbe();
    ready.name = "ready";
    ready.http = new HttpCheck();
    ready.http.path = "/health/ready";
    spec.revision.probes = new ArrayList<>(List.of(ready));
    spec.revision.observeFor = "30s";
    spec.rollout = new RolloutSpec();
    spec.rollout.steps =
        new ArrayList<>(
            List.of(
                new RolloutStep(10, "60s"),
                new RolloutStep(50, "120s"),
                new RolloutStep(100, null)));
    spec.rollout.progressDeadline = "10m";
    return spec;
  }

  static ServiceSnapshot service(List<TrafficEntry> traffic) {
    return new ServiceSnapshot(
        "etag-" + traffic.hashCode(),
        traffic,
        Map.of("candidate", "http://127.0.0.1:9001"),
        CANDIDATE,
        STABLE,
        false,
        "http://127.0.0.1:9000");
  }

  public static List<TrafficEntry> split(int candidatePercent) {
    return TrafficPlan.split(STABLE, CANDIDATE, "candidate", candidatePercent);
  }

  static RevisionSnapshot ready() {
    return new RevisionSnapshot(
        CANDIDATE, RevisionSnapshot.ReadyState.SUCCEEDED, null, null, VpcSettings.NONE, T0);
  }

  static RevisionSnapshot pending() {
    return new RevisionSnapshot(
        CANDIDATE, RevisionSnapshot.ReadyState.RECONCILING, null, null, VpcSettings.NONE, T0);
  }

  static RevisionSnapshot failedToStart() {
    return new RevisionSnapshot(
        CANDIDATE,
        RevisionSnapshot.ReadyState.FAILED,
        "HEALTH_CHECK_CONTAINER_ERROR",
        "The user-provided container failed to start and listen on the port defined provided by the PORT=8080"
            + " environment variable within the allocated timeout.",
        VpcSettings.NONE,
        T0);
  }

  static CheckResult redisOk() {
    return CheckResult.passed(
        "session-store", "memorystore", "10.0.0.3:6379", 3, "PONG in 3ms (master)");
  }

  static CheckResult redisDown() {
    return CheckResult.failed(
        "session-store",
        "memorystore",
        "10.0.0.3:6379",
        "CONNECT",
        2000,
        "connect timed out after 2s (io.netty.channel.ConnectTimeoutException)");
  }

  static CheckResult probeOk() {
    return CheckResult.passed("ready", "http", "http://127.0.0.1:9001/health/ready", 5, "200 OK");
  }

  static CheckResult probeFails() {
    return CheckResult.failed(
        "ready",
        "http",
        "http://127.0.0.1:9001/health/ready",
        "STATUS",
        5,
        "status 503, expected [200]");
  }
}
