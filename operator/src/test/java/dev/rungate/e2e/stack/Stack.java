package dev.rungate.e2e.stack;

import static dev.rungate.testing.Processes.assertOk;

import dev.rungate.api.ReadinessPolicy;
import dev.rungate.emulator.EmulatorConfig;
import dev.rungate.emulator.EmulatorServer;
import dev.rungate.emulator.rules.AdminSettings;
import dev.rungate.testing.LocalCluster;
import dev.rungate.testing.Processes;
import dev.rungate.testing.RedisServer;
import dev.rungate.testing.Repo;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything real, from a clean state: the local cluster (own namespace), a redis-server with AUTH,
 * the Cloud Run emulator running the gunicorn + uvicorn worker as revisions, and the operator as
 * its own process talking to the emulator with the real google-cloud-run client. Its deploys and
 * traffic history are in {@link StackDeploys}, its policies in {@link StackPolicies}.
 */
public final class Stack implements AutoCloseable {
  public static final String PROJECT = "rungate-e2e";
  public static final String REGION = "us-central1";
  public static final String REDIS_PASSWORD = "e2e-auth-string-7d1f";

  public final LocalCluster cluster = LocalCluster.get();
  public final KubernetesClient client = cluster.client();
  public final String namespace;
  public final String service;

  /** The revision serving 100% before the gate starts, and a candidate that boots fine. */
  public final String stable;

  public final String candidate;
  public final Path dir;
  public RedisServer redis;
  public final EmulatorServer emulator;
  public OperatorProcess operator;
  private final List<OperatorProcess> others = new ArrayList<>();

  /**
   * Deploy with --allow-unauthenticated (default); false leaves the service private: its URLs need
   * an ID token.
   */
  public boolean publicService = true;

  /** Extra environment of the operator processes this stack starts. */
  public final Map<String, String> operatorEnv = new HashMap<>();

  private final StackDeploys deploys = new StackDeploys(this);
  private final StackPolicies policies = new StackPolicies(this);

  public Stack(String name) throws IOException {
    this(name, AdminSettings.defaults());
  }

  /** As above, with the emulated Admin API's pacing (e.g. a longer reconciling window). */
  public Stack(String name, AdminSettings admin) throws IOException {
    namespace = cluster.newNamespace(name);
    service = name;
    stable = revision(1, "stable");
    candidate = revision(2, "good");
    dir = Files.createTempDirectory("rungate-e2e-" + name);
    redis = RedisServer.start("--requirepass", REDIS_PASSWORD);
    emulator =
        EmulatorServer.start(
            "127.0.0.1",
            0,
            EmulatorConfig.defaults()
                .withWorkdir(Repo.path("examples/worker").toFile())
                .withDefaultStartup(Duration.ofSeconds(20)),
            admin);
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("redis-auth")
                .endMetadata()
                .addToStringData("auth", REDIS_PASSWORD)
                .build())
        .inNamespace(namespace)
        .create();
  }

  public Stack startOperator(String... extra) throws IOException {
    operator =
        new OperatorProcess(
                cluster.kubeconfig(),
                namespace,
                emulator.endpoint(),
                dir.resolve("operator.log"),
                extra)
            .withEnv(operatorEnv)
            .start();
    return this;
  }

  /**
   * One more operator process on this stack's emulator, as the identity in {@code kubeconfig};
   * closed with the stack.
   */
  public OperatorProcess launch(Path kubeconfig, String logName, String... extra)
      throws IOException {
    OperatorProcess p =
        new OperatorProcess(
                kubeconfig, namespace, emulator.endpoint(), dir.resolve(logName + ".log"), extra)
            .start();
    others.add(p);
    return p;
  }

  // the deploys with the emulator's CLI: StackDeploys

  public Processes.Result deploy(String revision, boolean noTraffic, String... env) {
    return deploys.deploy(revision, noTraffic, env);
  }

  public Processes.Result deploy(
      String revision, boolean noTraffic, List<String> flags, String... env) {
    return deploys.deploy(revision, noTraffic, flags, env);
  }

  public Processes.Result deployTo(
      String service, String revision, boolean noTraffic, List<String> flags, String... env) {
    return deploys.deployTo(service, revision, noTraffic, flags, env);
  }

  /** The gunicorn + uvicorn worker, as the demo's Cloud Run service runs it. */
  public static final String WORKER =
      "exec /usr/bin/gunicorn -k uvicorn.workers.UvicornWorker -w 1 --bind 127.0.0.1:$PORT app:app";

  public Processes.Result deployCommand(
      String service,
      String revision,
      boolean noTraffic,
      List<String> flags,
      String command,
      String... env) {
    return deploys.deployCommand(service, revision, noTraffic, flags, command, env);
  }

  public Processes.Result deployCommand(
      String project,
      String service,
      String revision,
      boolean noTraffic,
      List<String> flags,
      String command,
      String... env) {
    return deploys.deployCommand(project, service, revision, noTraffic, flags, command, env);
  }

  /**
   * A container command the emulator serves itself, no process ({@code builtin:ok}: 200 on every
   * path; {@code builtin:exit=3}: crash-loops with the worker's "Container called exit(3)."
   * entries); for set-ups where the worker is not what is tested. It answers no WebSocket: gate it
   * with {@link #withoutWebSocketProbe}.
   */
  public static final String BUILTIN = "builtin:";

  public static ReadinessPolicy withoutWebSocketProbe(ReadinessPolicy policy) {
    return StackPolicies.withoutWebSocketProbe(policy);
  }

  public static Processes.Result emulatorCli(String... args) {
    return StackDeploys.emulatorCli(args);
  }

  public List<List<String>> trafficHistory() {
    return deploys.trafficHistory();
  }

  public List<List<String>> trafficHistory(String service) {
    return deploys.trafficHistory(service);
  }

  /**
   * The usual start: the stable revision serving 100%, the good candidate deployed at 0% under its
   * tag.
   */
  public Stack withStableAndCandidate() {
    assertOk(deploy(stable, false));
    assertOk(deploy(candidate, true));
    return this;
  }

  /**
   * Stable and candidate deployed, the operator running (with {@code operatorArgs}), the rollout
   * holding at 10% for a minute.
   */
  public Stack rolloutHeldAtTenPercent(String... operatorArgs) throws IOException {
    withStableAndCandidate();
    startOperator(operatorArgs);
    apply(policy(candidate, "60s"));
    awaitCandidateAt(10);
    return this;
  }

  // the policies in the cluster: StackPolicies

  public void awaitCandidateAt(int percent) {
    policies.awaitCandidateAt(percent);
  }

  public Processes.Result kubectlWaitPromoted() {
    return policies.kubectlWaitPromoted();
  }

  public ReadinessPolicy policy(String candidate, String firstPause) {
    return policies.policy(candidate, firstPause);
  }

  public ReadinessPolicy policyFor(
      String name, String service, String candidate, String firstPause) {
    return policies.policyFor(name, service, candidate, firstPause);
  }

  public ReadinessPolicy apply(ReadinessPolicy policy) {
    return policies.apply(policy);
  }

  public ReadinessPolicy get() {
    return policies.get();
  }

  public ReadinessPolicy get(String name) {
    return policies.get(name);
  }

  public Optional<Condition> condition(String type) {
    return policies.condition(type);
  }

  public boolean is(String type, String status) {
    return policies.is(type, status);
  }

  public String revision(int n, String suffix) {
    return String.format("%s-%05d-%s", service, n, suffix);
  }

  public Processes.Result kubectl(String... args) {
    return cluster.kubectl(args);
  }

  @Override
  public void close() throws Exception {
    if (operator != null) {
      operator.close();
    }
    for (OperatorProcess p : others) {
      p.close();
    }
    emulator.close();
    redis.close();
    client.namespaces().withName(namespace).delete();
  }
}
