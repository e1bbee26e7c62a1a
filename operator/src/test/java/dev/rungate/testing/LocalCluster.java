package dev.rungate.testing;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The real local control plane (etcd + kube-apiserver + kube-controller-manager) started by
 * scripts/local-cluster, once per test JVM and stopped when it exits. Tests get their own
 * namespace.
 */
public final class LocalCluster {
  private static LocalCluster instance;
  private final Path dir;
  private final Path kubeconfig;
  private final KubernetesClient client;

  private LocalCluster(Path dir, Path kubeconfig) throws IOException {
    this.dir = dir;
    this.kubeconfig = kubeconfig;
    this.client = clientFor(kubeconfig);
  }

  /**
   * Starts the cluster on first use (the CRD applied), or returns the running one. Its tests poll
   * the apiserver every 250 ms when they wait (Awaitility's default is 100 ms): several classes
   * wait at once on 2 cores, and each look is a GET that the apiserver, etcd and the test JVM pay
   * for.
   */
  public static synchronized LocalCluster get() {
    if (instance == null) {
      Awaitility.setDefaultPollInterval(Duration.ofMillis(250));
      try {
        Path dir = Files.createTempDirectory("rungate-cluster-");
        Path kubeconfig =
            Path.of(
                Processes.run(
                        Repo.path("scripts/local-cluster").toString(), "start", dir.toString())
                    .trim()
                    .lines()
                    .reduce((a, b) -> b)
                    .orElseThrow());
        instance = new LocalCluster(dir, kubeconfig);
        Runtime.getRuntime().addShutdownHook(new Thread(instance::stop));
        instance.applyCrd();
      } catch (IOException e) {
        throw new IllegalStateException("could not start the local cluster: " + e.getMessage(), e);
      }
    }
    return instance;
  }

  public static KubernetesClient clientFor(Path kubeconfig) throws IOException {
    return new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
        .build();
  }

  public KubernetesClient client() {
    return client;
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  /**
   * The process id of one of the control plane's processes ("etcd", "kube-apiserver"), for
   * benchmarks.
   */
  public long pid(String process) {
    try {
      return Long.parseLong(Files.readString(dir.resolve(process + ".pid")).trim());
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  /** A fresh namespace for one test. */
  public String newNamespace(String prefix) {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    return name;
  }

  /**
   * Runs the real kubectl (Debian's 1.20, installed by scripts/install-deps) against this cluster.
   */
  public Processes.Result kubectl(String... args) {
    String[] cmd = new String[args.length + 3];
    cmd[0] = Repo.kubectl();
    cmd[1] = "--kubeconfig";
    cmd[2] = kubeconfig.toString();
    System.arraycopy(args, 0, cmd, 3, args.length);
    return Processes.exec(cmd);
  }

  private void applyCrd() throws IOException {
    Path crd = Repo.generatedCrd();
    try (var in = Files.newInputStream(crd)) {
      var loaded = client.apiextensions().v1().customResourceDefinitions().load(in).item();
      client.resource(loaded).serverSideApply();
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName(loaded.getMetadata().getName())
          .waitUntilCondition(LocalCluster::established, 30, TimeUnit.SECONDS);
    }
  }

  private static boolean established(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private void stop() {
    client.close();
    Processes.exec(Repo.path("scripts/local-cluster").toString(), "stop", dir.toString());
  }
}
