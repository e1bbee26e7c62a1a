package dev.rungate.cli;

import dev.rungate.cloudrun.CloudRun;
import dev.rungate.cloudrun.SeededCloudRun;
import dev.rungate.probe.InMemoryProbes;
import dev.rungate.probe.Probes;
import dev.rungate.reconciler.EventRecorder;
import dev.rungate.reconciler.ReadinessPolicyReconciler;
import dev.rungate.runtime.HealthServer;
import dev.rungate.signals.ExitSignals;
import dev.rungate.signals.InMemoryExitSignals;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true, description = "Runs the operator until stopped.")
public class RunCommand implements Callable<Integer> {
  @Mixin
  KubeOptions kube;

  @Option(names = {"-n", "--namespace"}, description = "Namespace to watch (repeatable). Default: all namespaces.")
  List<String> namespaces = new ArrayList<>();

  @Option(names = "--metrics-port", defaultValue = "8080", description = "Port of /metrics, /healthz, /readyz; 0 = any free port. Default: ${DEFAULT-VALUE}.")
  int metricsPort;

  @Option(names = "--fake-cloud-run", description = "Use an in-memory Cloud Run seeded with a stable and a candidate revision per service (local demos and tests).")
  boolean fakeCloudRun;

  @Override
  public Integer call() throws Exception {
    KubernetesClient client = kube.client();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AtomicBoolean started = new AtomicBoolean();
    CloudRun cloudRun;
    ExitSignals exits;
    Probes probes;
    if (fakeCloudRun) {
      cloudRun = new SeededCloudRun();
      exits = new InMemoryExitSignals();
      probes = new InMemoryProbes();
    } else {
      System.err.println("rungate run: the Google Cloud Run adapter is not available in this build; use --fake-cloud-run");
      return 2;
    }
    Operator operator = new Operator(o -> o.withKubernetesClient(client)
        .withMetrics(MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry).build()));
    var reconciler = new ReadinessPolicyReconciler(cloudRun, exits, probes, Clock.systemUTC(), new EventRecorder(client));
    operator.register(reconciler, c -> {
      if (!namespaces.isEmpty()) {
        c.settingNamespaces(namespaces.toArray(String[]::new));
      }
    });
    try (HealthServer http = new HealthServer(metricsPort, registry, started::get)) {
      operator.start();
      started.set(true);
      System.out.println("rungate operator started; watching " + (namespaces.isEmpty() ? "all namespaces" : namespaces)
          + "; metrics on http://127.0.0.1:" + http.port() + "/metrics");
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        operator.stop();
        stop.countDown();
      }));
      stop.await();
    }
    return 0;
  }
}
