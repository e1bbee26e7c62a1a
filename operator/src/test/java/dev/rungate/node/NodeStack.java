package dev.rungate.node;

import static dev.rungate.node.LocalNode.NODE_IP;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.UpgradeCommand;
import dev.rungate.api.ReadinessPolicy;
import dev.rungate.testing.Processes;
import dev.rungate.testing.Repo;
import dev.rungate.testing.RungateJar;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
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
 * revisions; plus the chart installed with helm-java.
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

  /**
   * rungate-emulator deploy inside the node: the worker as a revision, talking to redis on the node
   * IP.
   */
  Processes.Result deploy(String revision, boolean noTraffic, String... env) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                RungateJar.java(),
                "-jar",
                Repo.path("emulator/target/rungate-emulator.jar").toString(),
                "deploy",
                "--endpoint",
                NODE_IP + ":" + EMULATOR_PORT,
                "--project",
                PROJECT,
                "--region",
                REGION,
                "--service",
                SERVICE,
                "--revision",
                revision,
                "--workdir",
                Repo.path("examples/worker").toString(),
                "--startup-timeout",
                "20",
                "--env",
                "REDIS_HOST=" + NODE_IP,
                "--env",
                "REDIS_PORT=" + REDIS_PORT,
                "--env",
                "REDIS_PASSWORD=" + REDIS_PASSWORD,
                "--env",
                "STARTUP_TIMEOUT=2",
                "--env",
                "REDIS_TIMEOUT=0.5"));
    for (String e : env) {
      cmd.addAll(List.of("--env", e));
    }
    if (noTraffic) {
      cmd.addAll(List.of("--no-traffic", "--tag", "candidate"));
    }
    cmd.addAll(
        List.of(
            "--",
            "/bin/sh",
            "-c",
            "exec /usr/bin/gunicorn -k uvicorn.workers.UvicornWorker -w 1 --bind 127.0.0.1:$PORT app:app"));
    return node.exec(cmd.toArray(String[]::new));
  }

  /**
   * The traffic of every accepted Create/UpdateService call, in order, as "revision=percent" lists.
   */
  List<List<String>> trafficHistory() throws IOException {
    Processes.Result r =
        Processes.assertOk(
            node.exec(
                RungateJar.java(),
                "-jar",
                Repo.path("emulator/target/rungate-emulator.jar").toString(),
                "history",
                "--endpoint",
                NODE_IP + ":" + EMULATOR_PORT,
                "--project",
                PROJECT,
                "--region",
                REGION,
                "--service",
                SERVICE));
    List<List<String>> out = new ArrayList<>();
    for (JsonNode c : new ObjectMapper().readTree(r.stdout()).path("changes")) {
      if ("OK".equals(c.path("outcome").asText())) {
        List<String> t = new ArrayList<>();
        c.path("traffic")
            .forEach(x -> t.add(x.path("revision").asText() + "=" + x.path("percent").asInt()));
        out.add(t);
      }
    }
    return out;
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

  /**
   * helm install rungate helm/rungate -n rungate --create-namespace, pointed at the emulator on the
   * node IP.
   */
  void install(Map<String, Object> extra) {
    InstallCommand install =
        new Helm(Repo.path("helm/rungate"))
            .install()
            .withName(RELEASE)
            .withNamespace(OPERATOR_NS)
            .createNamespace()
            .withKubeConfig(node.kubeconfig);
    values(node.imageTag).forEach(install::set);
    extra.forEach(install::set);
    install.call();
  }

  void upgrade(String imageTag, Map<String, Object> extra) {
    UpgradeCommand upgrade =
        new Helm(Repo.path("helm/rungate"))
            .upgrade()
            .withName(RELEASE)
            .withNamespace(OPERATOR_NS)
            .withKubeConfig(node.kubeconfig);
    values(imageTag).forEach(upgrade::set);
    extra.forEach(upgrade::set);
    upgrade.call();
  }

  void uninstall() {
    Helm.uninstall(RELEASE).withNamespace(OPERATOR_NS).withKubeConfig(node.kubeconfig).call();
  }

  private static Map<String, Object> values(String tag) {
    // the services are private (as on Cloud Run): the pods mint ID tokens from the emulator's
    // metadata server,
    // which a pod on GKE reaches as metadata.google.internal through Workload Identity
    return Map.of(
        "image.tag",
        tag,
        "cloudRun.endpoint",
        NODE_IP + ":" + EMULATOR_PORT,
        "cloudRun.plaintext",
        true,
        "logging.endpoint",
        NODE_IP + ":" + EMULATOR_PORT,
        "leaderElection.retryPeriod",
        "1s",
        "serviceAccount.gcpServiceAccount",
        "rungate@rungate-node.iam.gserviceaccount.com",
        "extraEnv[0].name",
        "GCE_METADATA_HOST",
        "extraEnv[0].value",
        NODE_IP + ":" + METADATA_PORT);
  }

  void uninstallQuietly() {
    try {
      uninstall();
    } catch (RuntimeException alreadyGone) {
      // uninstalled by the test itself
    }
  }

  /** kubectl exec -n rungate POD -c operator -- COMMAND... */
  static String[] execArgs(String pod, String... command) {
    List<String> args =
        new ArrayList<>(List.of("exec", "-n", OPERATOR_NS, pod, "-c", "operator", "--"));
    args.addAll(List.of(command));
    return args.toArray(String[]::new);
  }

  static String output(Processes.Result r) {
    return r.stdout() + r.stderr();
  }

  /** The operator pods that are not being deleted. */
  List<Pod> operatorPods() {
    return node
        .client
        .pods()
        .inNamespace(OPERATOR_NS)
        .withLabel("app.kubernetes.io/name", "rungate")
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  static boolean ready(Pod p) {
    return p.getStatus() != null
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** Two Ready operator pods, one of which (by pod name) holds the Lease. */
  void awaitTwoReadyReplicasAndALeader() {
    Awaitility.await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              var pods = operatorPods();
              return pods.size() == 2
                  && pods.stream().allMatch(NodeStack::ready)
                  && pods.stream().anyMatch(p -> p.getMetadata().getName().equals(leaseHolder()));
            });
  }

  String leaseHolder() {
    Lease lease =
        node.client.resources(Lease.class).inNamespace(OPERATOR_NS).withName(RELEASE).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
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
    saveOperatorLogs();
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

  /**
   * Every operator container's log (and its previous run's), kept under operator/target/node-logs
   * for a failed run.
   */
  void saveOperatorLogs() throws IOException {
    Path out = Repo.path("operator/target/node-logs");
    Files.createDirectories(out);
    for (var p : node.client.pods().inNamespace(OPERATOR_NS).list().getItems()) {
      String name = p.getMetadata().getName();
      Files.writeString(
          out.resolve(name + ".log"), node.kubectl("logs", "-n", OPERATOR_NS, name).stdout());
      Processes.Result previous = node.kubectl("logs", "-n", OPERATOR_NS, name, "--previous");
      if (previous.exitCode() == 0) {
        Files.writeString(out.resolve(name + ".previous.log"), previous.stdout());
      }
    }
    Files.writeString(
        out.resolve("policies.yaml"), node.kubectl("get", "rpol", "-A", "-o", "yaml").stdout());
    Files.copy(
        dir.resolve("emulator.log"),
        out.resolve("emulator.log"),
        StandardCopyOption.REPLACE_EXISTING);
  }

  private static void deleteQuietly(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
