package dev.rungate.reconciler;

import dev.rungate.api.Phase;
import dev.rungate.api.ReadinessPolicy;
import dev.rungate.api.ReadinessPolicyStatus;
import dev.rungate.api.status.CheckResult;
import dev.rungate.gate.observed.Observation;
import dev.rungate.gate.round.Action;
import dev.rungate.gate.round.Decision;
import dev.rungate.gate.status.Conditions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * rungate's own metrics, recorded from what each decision changed (Prometheus names in comments).
 */
public class GateMetrics {
  private final MeterRegistry registry;
  private final Map<String, Phase> phases = new ConcurrentHashMap<>();

  public GateMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public static GateMetrics none() {
    return new GateMetrics(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  void record(ReadinessPolicy policy, Observation observed, Decision decision, Instant now) {
    String ns = policy.getMetadata().getNamespace();
    String name = policy.getMetadata().getName();
    ReadinessPolicyStatus before = policy.getStatus();
    ReadinessPolicyStatus after = decision.status();
    if (became(before, after, Conditions.PROMOTED)) {
      // rungate_promotions_total
      Counter.builder("rungate.promotions")
          .description("Candidates promoted to 100%")
          .tags("namespace", ns, "policy", name)
          .register(registry)
          .increment();
    }
    if (became(before, after, Conditions.ROLLED_BACK)) {
      String reason = Conditions.reason(after.conditions, Conditions.ROLLED_BACK);
      // rungate_rollbacks_total
      Counter.builder("rungate.rollbacks")
          .description("Candidates rolled back, by reason")
          .tags("namespace", ns, "policy", name, "reason", reason)
          .register(registry)
          .increment();
    }
    long moves = decision.actions().stream().filter(Action.SetTraffic.class::isInstance).count();
    if (moves > 0) {
      // rungate_traffic_moves_total
      Counter.builder("rungate.traffic.moves")
          .description("Traffic updates sent to Cloud Run")
          .tags("namespace", ns, "policy", name)
          .register(registry)
          .increment(moves);
    }
    observed.dependencies().stream()
        .filter(c -> c.latencyMillis != null)
        .forEach(this::probeLatency);
    observed.probes().stream().filter(c -> c.latencyMillis != null).forEach(this::probeLatency);
    phase(ns, name, after.phase);
  }

  /** A rollback update Cloud Run accepted, {@code sinceFailure} after the failure behind it. */
  void rollbackAccepted(Duration sinceFailure) {
    // rungate_detection_to_rollback_seconds: from the failure (the exit log entry's time) to the
    // accepted update
    Timer.builder("rungate.detection.to.rollback")
        .description(
            "From the failure signal to Cloud Run accepting the update that puts the stable revision back")
        .publishPercentileHistogram()
        .register(registry)
        .record(sinceFailure.isNegative() ? Duration.ZERO : sinceFailure);
  }

  /** A rollback update Cloud Run refused; the gate retries it with backoff. */
  void rollbackFailed() {
    // rungate_rollback_failures_total
    Counter.builder("rungate.rollback.failures")
        .description("Rollback traffic updates Cloud Run refused (retried)")
        .register(registry)
        .increment();
  }

  /**
   * How long one stage of a round took (observe, decide, write, act): where a slow reconcile spends
   * its time.
   */
  void stage(String stage, long nanos) {
    // rungate_round_stage_seconds
    Timer.builder("rungate.round.stage")
        .description("Time in each stage of a reconcile round: observe, decide, write, act")
        .tags("stage", stage)
        .publishPercentileHistogram()
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  void cloudRunError(String code) {
    // rungate_cloudrun_api_errors_total
    Counter.builder("rungate.cloudrun.api.errors")
        .description("Cloud Run API calls that failed, by gRPC code")
        .tags("code", code)
        .register(registry)
        .increment();
  }

  private void probeLatency(CheckResult c) {
    // rungate_probe_latency_seconds
    DistributionSummary.builder("rungate.probe.latency")
        .baseUnit("seconds")
        .description("Probe latency by kind")
        .tags("kind", c.kind == null ? "unknown" : c.kind, "passed", String.valueOf(c.ok()))
        .publishPercentileHistogram()
        .register(registry)
        .record(c.latencyMillis / 1000.0);
  }

  private void phase(String ns, String name, Phase current) {
    String key = ns + "/" + name;
    if (current == null || phases.put(key, current) != null) {
      return;
    }
    for (Phase p : Phase.values()) {
      // rungate_policy_phase: 1 for the policy's current phase, 0 for the others
      Gauge.builder("rungate.policy.phase", phases, m -> m.get(key) == p ? 1 : 0)
          .description("Current phase")
          .tags("namespace", ns, "policy", name, "phase", p.name())
          .register(registry);
    }
  }

  private static boolean became(
      ReadinessPolicyStatus before, ReadinessPolicyStatus after, String type) {
    boolean was = before != null && Conditions.isTrue(before.conditions, type);
    return !was && Conditions.isTrue(after.conditions, type);
  }
}
