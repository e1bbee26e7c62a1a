package dev.rungate.runtime;

import dev.rungate.cloudrun.CloudRun;
import dev.rungate.probe.Probes;
import dev.rungate.reconciler.EventRecorder;
import dev.rungate.reconciler.GateMetrics;
import dev.rungate.reconciler.PollIntervals;
import dev.rungate.reconciler.ReadinessPolicyReconciler;
import dev.rungate.signals.ExitSignals;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds and starts the JOSDK operator with its ports, metrics and health endpoints. */
public final class OperatorLauncher implements AutoCloseable {
  public static final String LEASE_NAME = "rungate-operator";

  /** The side-effect adapters, and what to close with them. */
  public record Ports(CloudRun cloudRun, ExitSignals exits, Probes probes, Runnable onClose) {}

  public record Settings(
      List<String> namespaces,
      String selector,
      int metricsPort,
      boolean leaderElection,
      String leaseNamespace,
      PollIntervals poll,
      Lease lease) {
    public Settings(
        List<String> namespaces,
        String selector,
        int metricsPort,
        boolean leaderElection,
        String leaseNamespace,
        PollIntervals poll) {
      this(namespaces, selector, metricsPort, leaderElection, leaseNamespace, poll, Lease.DEFAULT);
    }
  }

  /**
   * The leader-election Lease: its name (one per shard), this replica's identity (the Lease's
   * holderIdentity), and the timings (how long a dead leader blocks takeover: {@code duration}).
   */
  public record Lease(
      String name,
      String identity,
      Duration duration,
      Duration renewDeadline,
      Duration retryPeriod,
      boolean exitOnStopLeading) {
    public static final Lease DEFAULT =
        new Lease(
            LEASE_NAME,
            null,
            LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
            LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
            LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE);

    /**
     * A replica that loses the Lease exits (JOSDK's default), so it can never reconcile alongside
     * the new leader.
     */
    public Lease(
        String name,
        String identity,
        Duration duration,
        Duration renewDeadline,
        Duration retryPeriod) {
      this(name, identity, duration, renewDeadline, retryPeriod, true);
    }

    /**
     * This replica's holderIdentity: the given one, else $HOSTNAME (a pod's name), else a random
     * one.
     */
    String resolvedIdentity() {
      if (identity != null && !identity.isBlank()) {
        return identity;
      }
      String host = System.getenv("HOSTNAME");
      return host == null || host.isBlank() ? UUID.randomUUID().toString() : host;
    }

    LeaseHandoff handoff(String namespace) {
      return new LeaseHandoff(namespace, name, resolvedIdentity(), exitOnStopLeading);
    }

    /**
     * JOSDK never exits on its own here (see {@link LeaseHandoff}): the handoff's callbacks decide.
     */
    LeaderElectionConfiguration configuration(String namespace, LeaseHandoff handoff) {
      return new LeaderElectionConfiguration(
          name,
          namespace,
          duration,
          renewDeadline,
          retryPeriod,
          handoff.identity(),
          handoff.callbacks(),
          false);
    }
  }

  /** The most a stopping leader waits for its rounds in flight before it gives the Lease up. */
  static final Duration ROUNDS_GRACE = Duration.ofSeconds(10);

  private static final Logger LOG = LoggerFactory.getLogger(OperatorLauncher.class);

  private final Operator operator;
  private final ReadinessPolicyReconciler reconciler;
  private final HealthServer http;
  private final Ports ports;
  private final KubernetesClient client;
  private final LeaseHandoff handoff;

  private OperatorLauncher(
      Operator operator,
      ReadinessPolicyReconciler reconciler,
      HealthServer http,
      Ports ports,
      KubernetesClient client,
      LeaseHandoff handoff) {
    this.operator = operator;
    this.reconciler = reconciler;
    this.http = http;
    this.ports = ports;
    this.client = client;
    this.handoff = handoff;
  }

  public static OperatorLauncher start(KubernetesClient client, Ports ports, Settings s)
      throws IOException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(new MetricHelp());
    AtomicBoolean started = new AtomicBoolean();
    String leaseNamespace = s.leaseNamespace() == null ? client.getNamespace() : s.leaseNamespace();
    LeaseHandoff handoff = s.leaderElection() ? s.lease().handoff(leaseNamespace) : null;
    Operator operator =
        new Operator(
            o -> {
              // the client stays open after the operator stops: the Lease is released with it, then
              // it is closed
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  // JOSDK's metrics per controller, not per policy: per resource they put a
                  // 69-bucket reconcile histogram
                  // and ~10 counters per policy on /metrics (11 MB a scrape at 500 policies);
                  // rungate_* carry the policy
                  .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
              if (handoff != null) {
                o.withLeaderElectionConfiguration(s.lease().configuration(leaseNamespace, handoff));
              }
            });
    var reconciler =
        new ReadinessPolicyReconciler(
            ports.cloudRun(),
            ports.exits(),
            ports.probes(),
            Clock.systemUTC(),
            new EventRecorder(client),
            s.poll(),
            new GateMetrics(registry));
    operator.register(
        reconciler,
        c -> {
          if (!s.namespaces().isEmpty()) {
            c.settingNamespaces(s.namespaces().toArray(String[]::new));
          }
          if (s.selector() != null && !s.selector().isBlank()) {
            c.withLabelSelector(s.selector());
          }
        });
    HealthServer http = new HealthServer(s.metricsPort(), registry, started::get);
    operator.start();
    started.set(true);
    return new OperatorLauncher(operator, reconciler, http, ports, client, handoff);
  }

  public int metricsPort() {
    return http.port();
  }

  /**
   * Stops reconciling and gives the Lease up first thing, so a stand-by takes over at its next try:
   * no new round starts, the rounds in flight finish, this replica's election stops (it would
   * otherwise take the released Lease back) and the Lease is released; only then are the informers
   * and executors stopped, which takes longer. Safe to call from a shutdown hook.
   */
  @Override
  public void close() {
    try {
      if (handoff != null) {
        handoff.stopping();
        handOver();
      }
      operator.stop();
      if (handoff != null) {
        handoff.release(
            client); // when handOver could not: nothing happens if another replica holds it already
      }
    } finally {
      client.close();
      http.close();
      ports.onClose().run();
    }
  }

  private void handOver() {
    long start = System.nanoTime();
    try {
      if (!reconciler.stopRounds(ROUNDS_GRACE)) {
        LOG.warn(
            "Rounds still running after {}; the Lease is released once the operator has stopped",
            ROUNDS_GRACE);
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (LeaseHandoff.stopElection(operator) && handoff.release(client)) {
      LOG.info(
          "Handed the Lease over {} ms after the stop began",
          (System.nanoTime() - start) / 1_000_000);
    }
  }
}
