package dev.rungate.cli;

import dev.rungate.api.checks.Durations;
import dev.rungate.cloudrun.GoogleClients;
import dev.rungate.cloudrun.GoogleCloudRun;
import dev.rungate.probe.DefaultProbes;
import dev.rungate.reconciler.PollIntervals;
import dev.rungate.runtime.OperatorLauncher;
import dev.rungate.runtime.OperatorLauncher.Ports;
import dev.rungate.secrets.KubernetesSecretReader;
import dev.rungate.signals.LoggingExitSignals;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Runs the operator until stopped.")
public class RunCommand implements Callable<Integer> {
  @Mixin KubeOptions kube;

  @Mixin CloudRunOptions cloud;

  @Option(
      names = {"-n", "--namespace"},
      description = "Namespace to watch (repeatable). Default: all namespaces.")
  List<String> namespaces = new ArrayList<>();

  @Option(
      names = "--selector",
      description =
          "Only policies with these labels (e.g. shard=a), to split a fleet across operators.")
  String selector;

  @Option(
      names = "--metrics-port",
      defaultValue = "8080",
      description =
          "Port of /metrics, /healthz, /readyz; 0 = any free port. Default: ${DEFAULT-VALUE}.")
  int metricsPort;

  @Option(
      names = "--leader-election",
      description = "Run as one of several replicas: only the holder of the Lease reconciles.")
  boolean leaderElection;

  @Option(
      names = "--lease-namespace",
      description = "Namespace of the leader-election Lease. Default: the client's namespace.")
  String leaseNamespace;

  @Option(
      names = "--lease-name",
      defaultValue = OperatorLauncher.LEASE_NAME,
      description =
          "Name of the leader-election Lease; give each shard (--selector) its own. Default: ${DEFAULT-VALUE}.")
  String leaseName;

  @Option(
      names = "--lease-identity",
      defaultValue = "${env:POD_NAME}",
      description =
          "This replica's identity in the Lease (holderIdentity). Default: $POD_NAME, else host name and process id.")
  String leaseIdentity;

  @Option(
      names = "--lease-duration",
      defaultValue = "15s",
      description =
          "How long a Lease that is not renewed blocks the other replicas (the longest takeover). Default: ${DEFAULT-VALUE}.")
  String leaseDuration;

  @Option(
      names = "--renew-deadline",
      defaultValue = "10s",
      description =
          "How long the leader keeps trying to renew before it stops leading (and exits). Default: ${DEFAULT-VALUE}.")
  String renewDeadline;

  @Option(
      names = "--retry-period",
      defaultValue = "2s",
      description = "How often the Lease is renewed or tried. Default: ${DEFAULT-VALUE}.")
  String retryPeriod;

  @Option(
      names = "--poll-in-flight",
      defaultValue = "1s",
      description = "How often a rollout in flight is looked at. Default: ${DEFAULT-VALUE}.")
  String pollInFlight;

  @Option(
      names = "--poll-idle",
      defaultValue = "60s",
      description = "How often an idle policy is looked at. Default: ${DEFAULT-VALUE}.")
  String pollIdle;

  @Override
  public Integer call() throws Exception {
    PollIntervals poll =
        new PollIntervals(
            Durations.parse(pollInFlight, Duration.ofSeconds(1)),
            Durations.parse(pollIdle, Duration.ofSeconds(60)));
    String missing = cloud.missingCredentials();
    if (missing != null) {
      System.err.println(missing);
      return 2;
    }
    var client = kube.client();
    GoogleClients clients = cloud.cloudRunClients();
    GoogleClients logging = cloud.separateLoggingClients();
    GoogleClients logs = logging == null ? clients : logging;
    var memorystore = cloud.memorystore().connect();
    var probes =
        new DefaultProbes(new KubernetesSecretReader(client), cloud.idTokens(), memorystore);
    LoggingExitSignals exits = new LoggingExitSignals(logs.logging());
    Ports ports =
        new Ports(
            new GoogleCloudRun(clients),
            exits,
            probes,
            () -> {
              exits.close();
              probes.close();
              memorystore.close();
              clients.close();
              if (logging != null) {
                logging.close();
              }
            });
    var lease =
        new OperatorLauncher.Lease(
            leaseName,
            identity(),
            Durations.parse(leaseDuration, Duration.ofSeconds(15)),
            Durations.parse(renewDeadline, Duration.ofSeconds(10)),
            Durations.parse(retryPeriod, Duration.ofSeconds(2)));
    var settings =
        new OperatorLauncher.Settings(
            namespaces, selector, metricsPort, leaderElection, leaseNamespace, poll, lease);
    OperatorLauncher launcher = OperatorLauncher.start(client, ports, settings);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  launcher.close();
                  stopped.countDown();
                }));
    System.out.println(
        "rungate operator started; watching "
            + (namespaces.isEmpty() ? "all namespaces" : namespaces)
            + (selector == null ? "" : " with selector " + selector)
            + "; metrics on http://0.0.0.0:"
            + launcher.metricsPort()
            + "/metrics (every address)"
            + (leaderElection ? "; lease " + leaseName + " as " + lease.identity() : ""));
    stopped.await();
    return 0;
  }

  private String identity() {
    if (leaseIdentity != null && !leaseIdentity.isBlank()) {
      return leaseIdentity;
    }
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        host = "rungate";
      }
    }
    return host + "-" + ProcessHandle.current().pid();
  }
}
