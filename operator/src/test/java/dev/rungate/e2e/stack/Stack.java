package dev.rungate.e2e.stack;

import static dev.rungate.testing.Processes.assertOk;

import dev.rungate.api.ReadinessPolicy;
import dev.rungate.emulator.EmulatorConfig;
import dev.rungate.emulator.EmulatorServer;
import dev.rungate.emulator.UpdateHistory;
import dev.rungate.emulator.cli.EmulatorCli;
import dev.rungate.emulator.rules.AdminSettings;
import dev.rungate.testing.LocalCluster;
import dev.rungate.testing.Processes;
import dev.rungate.testing.RedisServer;
import dev.rungate.testing.Repo;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;

/**
 * Everything real, from a clean state: the local cluster (own namespace), a redis-server with AUTH,
 * the Cloud Run emulator running the gunicorn + uvicorn worker as revisions, and the operator as
 * its own process talking to the emulator with the real google-cloud-run client.
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

  /**
   * Deploys the worker like a pipeline would, with rungate-emulator deploy (in process); returns
   * the CLI's result.
   */
  public Processes.Result deploy(String revision, boolean noTraffic, String... env) {
    return deploy(revision, noTraffic, List.of(), env);
  }

  /** As above, with extra rungate-emulator deploy flags (e.g. --vpc-connector). */
  public Processes.Result deploy(
      String revision, boolean noTraffic, List<String> flags, String... env) {
    return deployTo(service, revision, noTraffic, flags, env);
  }

  /** As above, to another service of this stack's project. */
  public Processes.Result deployTo(
      String service, String revision, boolean noTraffic, List<String> flags, String... env) {
    return deployCommand(service, revision, noTraffic, flags, WORKER, env);
  }

  /** The gunicorn + uvicorn worker, as the demo's Cloud Run service runs it. */
  public static final String WORKER =
      "exec /usr/bin/gunicorn -k uvicorn.workers.UvicornWorker -w 1 --bind 127.0.0.1:$PORT app:app";

  /** As above with another container command (a shell line, run in examples/worker). */
  public Processes.Result deployCommand(
      String service,
      String revision,
      boolean noTraffic,
      List<String> flags,
      String command,
      String... env) {
    return deployCommand(PROJECT, service, revision, noTraffic, flags, command, env);
  }

  /**
   * As above, in another project. The emulator's own CLI command ({@code rungate-emulator deploy},
   * the same arguments and gcloud's semantics) runs in this JVM on the real google-cloud-run
   * client: a set-up deploy starts no JVM of its own. What the CLI printed comes back as a process
   * result would.
   */
  public Processes.Result deployCommand(
      String project,
      String service,
      String revision,
      boolean noTraffic,
      List<String> flags,
      String command,
      String... env) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "deploy",
                "--endpoint",
                emulator.endpoint(),
                "--project",
                project,
                "--region",
                REGION,
                "--service",
                service,
                "--revision",
                revision,
                "--workdir",
                Repo.path("examples/worker").toString(),
                "--startup-timeout",
                "20",
                "--env",
                "REDIS_HOST=127.0.0.1",
                "--env",
                "REDIS_PORT=" + redis.port,
                "--env",
                "REDIS_PASSWORD=" + REDIS_PASSWORD,
                "--env",
                "STARTUP_TIMEOUT=2",
                "--env",
                "REDIS_TIMEOUT=4"));
    for (String e : env) {
      cmd.add("--env");
      cmd.add(e);
    }
    if (noTraffic) {
      cmd.addAll(List.of("--no-traffic", "--tag", "candidate"));
    }
    if (publicService) {
      cmd.add("--allow-unauthenticated"); // Cloud Run services are private by default
    }
    cmd.addAll(flags);
    cmd.add("--");
    cmd.addAll(command.startsWith(BUILTIN) ? List.of(command) : List.of("/bin/sh", "-c", command));
    return emulatorCli(cmd.toArray(String[]::new));
  }

  /**
   * A container command the emulator serves itself, no process ({@code builtin:ok}: 200 on every
   * path; {@code builtin:exit=3}: crash-loops with the worker's "Container called exit(3)."
   * entries); for set-ups where the worker is not what is tested. It answers no WebSocket: gate it
   * with {@link #withoutWebSocketProbe}.
   */
  public static final String BUILTIN = "builtin:";

  /** The policy without its WebSocket probe (for builtin revisions, which answer HTTP only). */
  public static ReadinessPolicy withoutWebSocketProbe(ReadinessPolicy policy) {
    policy.getSpec().revision.probes.removeIf(p -> p.websocket != null);
    return policy;
  }

  /**
   * Runs {@code rungate-emulator ARGS...} in this JVM, its output captured per call; returns it as
   * a process result.
   */
  public static Processes.Result emulatorCli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        EmulatorCli.commandLine()
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(args);
    return new Processes.Result(code, out.toString(), err.toString());
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

  /** Waits until the operator reports the candidate at this percent of traffic. */
  public void awaitCandidateAt(int percent) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () -> {
              ReadinessPolicy p = get();
              return p != null
                  && p.getStatus() != null
                  && candidate.equals(p.getStatus().candidateRevision)
                  && Integer.valueOf(percent).equals(p.getStatus().candidatePercent);
            });
  }

  /** kubectl wait --for=condition=Promoted, as a pipeline would. */
  public Processes.Result kubectlWaitPromoted() {
    return kubectl(
        "wait", "-n", namespace, "--for=condition=Promoted", "--timeout=120s", "rpol/gate");
  }

  public String revision(int n, String suffix) {
    return String.format("%s-%05d-%s", service, n, suffix);
  }

  /**
   * The e2e policy: the real Redis with AUTH from a Secret, HTTP and WebSocket probes on the tag
   * URL.
   */
  public ReadinessPolicy policy(String candidate, String firstPause) {
    return policyFor("gate", service, candidate, firstPause);
  }

  /**
   * The e2e policy named {@code name} for another service of this stack's project. Its timeouts (5
   * s, and the worker's own Redis timeout, 4 s) leave room for a starved machine: with twenty
   * workers booting on a 2-core CI machine a loopback Redis write once took over 1 s and a good
   * candidate was rolled back (DependencyUnreachable). What the tests break still fails at once: a
   * Redis that is gone or a closed port refuses the connection.
   */
  public ReadinessPolicy policyFor(
      String name, String service, String candidate, String firstPause) {
    String yaml =
        """
        apiVersion: rungate.dev/v1alpha1
        kind: ReadinessPolicy
        metadata: {name: %s}
        spec:
          service: {project: %s, region: %s, name: %s}
          candidate: {revision: %s, tag: candidate}
          dependencies:
            memorystore:
              - {name: session-store, host: 127.0.0.1, port: %d, authSecretRef: {name: redis-auth, key: auth},
                 write: true, timeout: 5s}
          revision:
            probes:
              - {name: ready, http: {path: /health/ready, expectStatus: [200]}, timeout: 5s}
              - name: golden-path
                websocket: {path: /ws, send: '{"type":"chat","text":"hello"}',
                            expectEvents: [agent_started, agent_thinking, tool_executing, tool_completed, agent_completed]}
                timeout: 5s
            failOnExitCodes: [3, 4]
            observeFor: 2s
          rollout:
            steps: [{percent: 10, pause: %s}, {percent: 50, pause: 2s}, {percent: 100}]
            progressDeadline: 2m
        """
            .formatted(name, PROJECT, REGION, service, candidate, redis.port, firstPause);
    return client.getKubernetesSerialization().unmarshal(yaml, ReadinessPolicy.class);
  }

  public ReadinessPolicy apply(ReadinessPolicy policy) {
    return client.resource(policy).inNamespace(namespace).serverSideApply();
  }

  public ReadinessPolicy get() {
    return get("gate");
  }

  public ReadinessPolicy get(String name) {
    return client.resources(ReadinessPolicy.class).inNamespace(namespace).withName(name).get();
  }

  public Optional<Condition> condition(String type) {
    ReadinessPolicy p = get();
    return p == null || p.getStatus() == null
        ? Optional.empty()
        : p.getStatus().conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public boolean is(String type, String status) {
    return condition(type).map(c -> status.equals(c.getStatus())).orElse(false);
  }

  /**
   * The traffic every accepted Create/UpdateService call set, in order, as "revision=percent"
   * lists.
   */
  public List<List<String>> trafficHistory() {
    return trafficHistory(service);
  }

  /** As above, for another service of this stack. */
  public List<List<String>> trafficHistory(String service) {
    List<List<String>> out = new ArrayList<>();
    for (UpdateHistory.Change c : emulator.history().of(service)) {
      if (c.accepted()) {
        out.add(
            c.traffic().stream()
                .map(
                    t ->
                        (t.getRevision().isEmpty() ? "LATEST" : t.getRevision())
                            + "="
                            + t.getPercent())
                .toList());
      }
    }
    return out;
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
