package dev.rungate.node;

import static dev.rungate.node.LocalNode.NODE_IP;

import dev.rungate.api.ReadinessPolicy;
import dev.rungate.testing.Processes;
import dev.rungate.testing.Repo;
import dev.rungate.testing.RungateJar;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * What the operator pods work against, inside the node's namespace on the node IP: the Cloud Run
 * emulator (gRPC, service and tag URLs), redis-server with AUTH, and the gunicorn+uvicorn worker as
 * revisions; plus the chart installed with helm-java ({@link OperatorRelease}). The emulator's CLI
 * is in {@link NodeEmulatorCli}, the operator's pods and Lease in {@link OperatorPods}.
 */
final class NodeStack implements AutoCloseable {
  static final String RELEASE = "rungate";
  static final String OPERATOR_NS = "rungate";
  static final String APPS = "apps";
  static final String PROJECT = "rungate-node";
  static final String REGION = "us-central1";
  static final String SERVICE = "web";
  static final String REDIS_PASSWORD = "node-auth-string-41c9";
  static final int EMULATOR_PORT = 8089;

  /**
   * The emulator's metadata server: the pods' ID tokens for the private services' tag URLs, as on
   * GKE.
   */
  static final int METADATA_PORT = 8090;

  static final int REDIS_PORT = 6379;

  final LocalNode node = LocalNode.get();
  final Path dir;
  private final Process emulator;
  private final Process redis;
  private final NodeEmulatorCli cli = new NodeEmulatorCli(node);
  private final OperatorRelease release = new OperatorRelease(node);
  private final OperatorPods pods = new OperatorPods(node);

  NodeStack() throws IOException {
    dir = Files.createTempDirectory("rungate-node-stack");
    redis =
        node.spawn(
            dir.resolve("redis.log"),
            "redis-server",
            "--bind",
            NODE_IP,
            "--port",
            String.valueOf(REDIS_PORT),
            "--requirepass",
            REDIS_PASSWORD,
            "--save",
            "",
            "--appendonly",
            "no");
    emulator =
        node.spawn(
            dir.resolve("emulator.log"),
            RungateJar.java(),
            "-jar",
            Repo.path("emulator/target/rungate-emulator.jar").toString(),
            "serve",
            "--host",
            NODE_IP,
            "--port",
            String.valueOf(EMULATOR_PORT),
            "--metadata-port",
            String.valueOf(METADATA_PORT),
            "--workdir",
            Repo.path("examples/worker").toString(),
            "--startup-timeout",
            "20");
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> Files.readString(dir.resolve("emulator.log")).contains("serving on"));
    node.client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(APPS).endMetadata().build())
        .serverSideApply();
    node.client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("redis-auth")
                .withNamespace(APPS)
                .endMetadata()
                .addToStringData("auth", REDIS_PASSWORD)
                .build())
        .serverSideApply();
  }

  String revision(int n, String suffix) {
    return String.format("%s-%05d-%s", SERVICE, n, suffix);
  }

  Processes.Result deploy(String revision, boolean noTraffic, String... env) {
    return cli.deploy(revision, noTraffic, env);
  }

  List<List<String>> trafficHistory() throws IOException {
    return cli.trafficHistory();
  }

  /**
   * The policy of the end-to-end tests, with every address on the node IP (a pod's loopback is its
   * own). The Redis timeout is 5 s, not 1 s: a replica that just took over runs its first checks
   * with a cold JIT on a busy 2-core machine, and a 1 s PING timed out there once (a rollback of a
   * healthy candidate).
   */
  ReadinessPolicy policy(String candidate, String firstPause) {
    String yaml =
        """
        apiVersion: rungate.dev/v1alpha1
        kind: ReadinessPolicy
        metadata: {name: gate, namespace: %s}
        spec:
          service: {project: %s, region: %s, name: %s}
          candidate: {revision: %s, tag: candidate}
          dependencies:
            memorystore:
              - {name: session-store, host: %s, port: %d, authSecretRef: {name: redis-auth, key: auth}, write: true, timeout: 5s}
          revision:
            probes:
              - {name: ready, http: {path: /health/ready, expectStatus: [200]}, timeout: 2s}
            failOnExitCodes: [3, 4]
            observeFor: 2s
          rollout:
            steps: [{percent: 10, pause: %s}, {percent: 50, pause: 2s}, {percent: 100}]
            progressDeadline: 3m
        """
            .formatted(APPS, PROJECT, REGION, SERVICE, candidate, NODE_IP, REDIS_PORT, firstPause);
    return node.client.getKubernetesSerialization().unmarshal(yaml, ReadinessPolicy.class);
  }

  ReadinessPolicy apply(ReadinessPolicy policy) {
    return node.client.resource(policy).serverSideApply();
  }

  ReadinessPolicy get() {
    return node.client.resources(ReadinessPolicy.class).inNamespace(APPS).withName("gate").get();
  }

  void install(Map<String, Object> extra) {
    release.install(extra);
  }

  void upgrade(String imageTag, Map<String, Object> extra) {
    release.upgrade(imageTag, extra);
  }

  void uninstall() {
    release.uninstall();
  }

  void uninstallQuietly() {
    release.uninstallQuietly();
  }

  static String[] execArgs(String pod, String... command) {
    return OperatorPods.execArgs(pod, command);
  }

  static String output(Processes.Result r) {
    return OperatorPods.output(r);
  }

  List<Pod> operatorPods() {
    return pods.operatorPods();
  }

  static boolean ready(Pod p) {
    return OperatorPods.ready(p);
  }

  void awaitTwoReadyReplicasAndALeader() {
    pods.awaitTwoReadyReplicasAndALeader();
  }

  String leaseHolder() {
    return pods.leaseHolder();
  }

  String log(String name) throws IOException {
    Path f = dir.resolve(name + ".log");
    return Files.exists(f) ? Files.readString(f) : "";
  }

  /**
   * Tears down in the order a user uninstalls: the policies first, while the operator still runs
   * (its finalizer sends any candidate's traffic back and lets each policy go), then the release,
   * then what the pods worked against. A policy still held by its finalizer 60 s after deletion
   * while the operator ran fails the test (the README's uninstall order did not work), after the
   * rest is torn down. A policy whose operator is already gone (a test uninstalled it) keeps its
   * finalizer: it is removed by hand, as the README's uninstall section says, and must then go.
   */
  @Override
  public void close() throws Exception {
    pods.saveOperatorLogs(dir);
    var policies = node.client.resources(ReadinessPolicy.class).inNamespace(APPS);
    policies.delete();
    AssertionError stuck =
        operatorPods().isEmpty() || within(60, () -> policies.list().getItems().isEmpty())
            ? null
            : new AssertionError(
                "uninstall order (README): policies "
                    + policies.list().getItems().stream()
                        .map(p -> p.getMetadata().getName())
                        .toList()
                    + " still held by their finalizer 60 s after deletion while"
                    + " the operator ran (logs: operator/target/node-logs)");
    for (ReadinessPolicy p : policies.list().getItems()) {
      policies
          .withName(p.getMetadata().getName())
          .edit(
              x -> {
                x.getMetadata().setFinalizers(null);
                return x;
              });
    }
    boolean handRemovalLetGo = within(30, () -> policies.list().getItems().isEmpty());
    uninstallQuietly();
    LocalNode.stop(emulator);
    LocalNode.stop(redis);
    node.client.namespaces().withName(APPS).delete();
    // the next test class on the same node makes the namespace again: wait until this one is gone
    node.client
        .namespaces()
        .withName(APPS)
        .waitUntilCondition(Objects::isNull, 2, TimeUnit.MINUTES);
    deleteQuietly(dir);
    if (stuck != null) {
      throw stuck;
    }
    if (!handRemovalLetGo) {
      throw new AssertionError(
          "uninstall (README): policies still there after their finalizer was removed by hand");
    }
  }

  private static boolean within(int seconds, Callable<Boolean> condition) {
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(seconds))
          .pollInterval(Duration.ofSeconds(1))
          .until(condition);
      return true;
    } catch (ConditionTimeoutException e) {
      return false;
    }
  }

  private static void deleteQuietly(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
