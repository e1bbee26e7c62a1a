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
import java.util.concurrent.atomic.AtomicBoolean;

/** Builds and starts the JOSDK operator with its ports, metrics and health endpoints. */
public final class OperatorLauncher implements AutoCloseable {
  public static final String LEASE_NAME = "rungate-operator";

  /** The side-effect adapters, and what to close with them. */
  public record Ports(CloudRun cloudRun, ExitSignals exits, Probes probes, Runnable onClose) {}

  public record Settings(List<String> namespaces, String selector, int metricsPort, boolean leaderElection,
      String leaseNamespace, PollIntervals poll, Lease lease) {
    public Settings(List<String> namespaces, String selector, int metricsPort, boolean leaderElection,
        String leaseNamespace, PollIntervals poll) {
      this(namespaces, selector, metricsPort, leaderElection, leaseNamespace, poll, Lease.DEFAULT);
    }
  }

  /**
   * The leader-election Lease: its name (one per shard), this replica's identity (the Lease's
   * holderIdentity), and the timings (how long a dead leader blocks takeover: {@code duration}).
   */
  public record Lease(String name, String identity, Duration duration, Duration renewDeadline, Duration retryPeriod,
      boolean exitOnStopLeading) {
    public static final Lease DEFAULT = new Lease(LEASE_NAME, null, LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE, LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE);

    /** A replica that loses the Lease exits (JOSDK's default), so it can never reconcile alongside the new leader. */
    public Lease(String name, String identity, Duration duration, Duration renewDeadline, Duration retryPeriod) {
      this(name, identity, duration, renewDeadline, retryPeriod, true);
    }

    /** This replica's holderIdentity: the given one, else $HOSTNAME (a pod's name), else a random one. */
    String resolvedIdentity() {
      if (identity != null && !identity.isBlank()) {
        return identity;
      }
      String host = System.getenv("HOSTNAME");
      return host == null || host.isBlank() ? java.util.UUID.randomUUID().toString() : host;
    }

    LeaseHandoff handoff(String namespace) {
      return new LeaseHandoff(namespace, name, resolvedIdentity(), exitOnStopLeading);
    }

    /** JOSDK never exits on its own here (see {@link LeaseHandoff}): the handoff's callbacks decide. */
    LeaderElectionConfiguration configuration(String namespace, LeaseHandoff handoff) {
      return new LeaderElectionConfiguration(name, namespace, duration, renewDeadline, retryPeriod, handoff.identity(),
          handoff.callbacks(), false);
    }
  }

  private final Operator operator;
  private final HealthServer http;
  private final Ports ports;
  private final KubernetesClient client;
  private final LeaseHandoff handoff;

  private OperatorLauncher(Operator operator, HealthServer http, Ports ports, KubernetesClient client,
      LeaseHandoff handoff) {
    this.operator = operator;
    this.http = http;
    this.ports = ports;
    this.client = client;
    this.handoff = handoff;
  }

  public static OperatorLauncher start(KubernetesClient client, Ports ports, Settings s) throws IOException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(new MetricHelp());
    AtomicBoolean started = new AtomicBoolean();
    String leaseNamespace = s.leaseNamespace() == null ? client.getNamespace() : s.leaseNamespace();
    LeaseHandoff handoff = s.leaderElection() ? s.lease().handoff(leaseNamespace) : null;
    Operator operator = new Operator(o -> {
      // the client stays open after the operator stops: the Lease is released with it, then it is closed
      o.withKubernetesClient(client).withCloseClientOnStop(false)
          .withMetrics(MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry).build());
      if (handoff != null) {
        o.withLeaderElectionConfiguration(s.lease().configuration(leaseNamespace, handoff));
      }
    });
    var reconciler = new ReadinessPolicyReconciler(ports.cloudRun(), ports.exits(), ports.probes(), Clock.systemUTC(),
        new EventRecorder(client), s.poll(), new GateMetrics(registry));
    operator.register(reconciler, c -> {
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
    return new OperatorLauncher(operator, http, ports, client, handoff);
  }

  public int metricsPort() {
    return http.port();
  }

  /**
   * Stops reconciling (in-flight reconciliations finish), then gives the Lease up so a stand-by takes
   * over at once; safe to call from a shutdown hook.
   */
  @Override
  public void close() {
    if (handoff != null) {
      handoff.stopping();
    }
    try {
      operator.stop();
      if (handoff != null) {
        handoff.release(client);
      }
    } finally {
      client.close();
      http.close();
      ports.onClose().run();
    }
  }
}
