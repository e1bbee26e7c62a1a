package dev.rungate.node;

import static dev.rungate.node.NodeStack.APPS;
import static dev.rungate.node.NodeStack.OPERATOR_NS;
import static dev.rungate.testing.Processes.assertOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rungate.api.ReadinessPolicy;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The chart installed with helm-java into a real kubelet node (scripts/local-node), the operator
 * running as two pods of the project's Jib image: Ready, one Lease holder, the securityContext
 * enforced, a promotion and an exit-3 rollback, `rungate wait` from the image, and uninstall.
 */
@Tag("real")
@ResourceLock("local-node")
@Order(1) // the longest classes start first (scripts/test runs several at once)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorOnNodeIT {
  static final Duration ROLLOUT = Duration.ofMinutes(4);
  NodeStack s;
  String stable;
  String good;

  @BeforeAll
  void install() throws Exception {
    s = new NodeStack();
    stable = s.revision(1, "stable");
    good = s.revision(2, "good");
    assertOk(s.deploy(stable, false));
    s.install(Map.of());
  }

  @AfterAll
  void close() throws Exception {
    if (s != null) {
      s.close();
    }
  }

  List<Pod> operatorPods() {
    return s.operatorPods();
  }

  void awaitTwoReadyReplicasAndALeader() {
    s.awaitTwoReadyReplicasAndALeader();
  }

  String exec(String pod, String... command) {
    return NodeStack.output(s.node.kubectl(NodeStack.execArgs(pod, command)));
  }

  @Test
  @Order(1)
  void twoReplicasRunReadyAndThePodNamedLeaderHoldsTheLease() {
    awaitTwoReadyReplicasAndALeader();
    List<Pod> pods = operatorPods();
    assertThat(pods)
        .allSatisfy(
            p -> {
              assertThat(p.getStatus().getContainerStatuses().get(0).getImage())
                  .endsWith("rungate:" + s.node.imageTag);
              assertThat(p.getStatus().getContainerStatuses().get(0).getRestartCount()).isZero();
            });
    var sa = s.node.client.serviceAccounts().inNamespace(OPERATOR_NS).withName("rungate").get();
    assertThat(sa.getMetadata().getAnnotations())
        .containsEntry(
            "iam.gke.io/gcp-service-account", "rungate@rungate-node.iam.gserviceaccount.com");
    // the startupProbe holds readiness and liveness back until the JVM answers: neither ever found
    // the port
    // closed (/readyz may still say 503 "starting" for a moment, which is what readiness is for)
    List<String> names = pods.stream().map(p -> p.getMetadata().getName()).toList();
    String events = s.node.kubectl("get", "events", "-n", OPERATOR_NS).stdout();
    assertThat(events.lines().filter(l -> names.stream().anyMatch(l::contains)))
        .noneMatch(
            l ->
                (l.contains("Readiness probe failed") || l.contains("Liveness probe failed"))
                    && l.contains("connection refused"));
  }

  @Test
  @Order(2)
  void theContainerRunsNonRootReadOnlyWithoutCapabilitiesUnderSeccomp() {
    String pod = s.leaseHolder();
    assertThat(exec(pod, "id", "-u").trim()).isEqualTo("65532");
    assertThat(exec(pod, "id", "-un").trim()).as("a passwd entry for the uid").isEqualTo("rungate");
    assertThat(exec(pod, "printenv", "HOME").trim()).isEqualTo("/home/rungate");
    assertThat(exec(pod, "touch", "/app/x")).contains("Read-only file system");
    assertThat(exec(pod, "touch", "/tmp/x")).doesNotContain("Read-only");
    String status = exec(pod, "cat", "/proc/1/status");
    assertThat(status)
        .containsPattern("CapEff:\\s+0000000000000000")
        .containsPattern("CapPrm:\\s+0000000000000000")
        .containsPattern("NoNewPrivs:\\s+1")
        .containsPattern("Seccomp:\\s+2");
    // the heap follows the 1Gi limit (MaxRAMPercentage=50), not the node's memory
    String flags = exec(pod, "java", "-XX:+PrintFlagsFinal", "-version");
    long maxHeap = Long.parseLong(flags.replaceFirst("(?s).*MaxHeapSize\\s*=\\s*(\\d+).*", "$1"));
    assertThat(maxHeap).isBetween(480L << 20, 540L << 20);
    // under the 1Gi limit the JVM is no "server class machine": the serial collector, which the
    // real-part tier's operator processes are given too
    assertThat(flags).containsPattern("UseSerialGC\\s*=\\s*true");
  }

  @Test
  @Order(3)
  void theOperatorInPodsPromotesAGoodCandidateAndRunsWaitFromTheImage() throws Exception {
    assertOk(s.deploy(good, true));
    s.apply(s.policy(good, "2s"));
    await().atMost(ROLLOUT).pollInterval(Duration.ofSeconds(1)).until(() -> promoted(s.get()));
    assertThat(s.trafficHistory())
        .contains(
            List.of(stable + "=90", good + "=10"),
            List.of(stable + "=50", good + "=50"),
            List.of(stable + "=0", good + "=100"));

    // a pipeline step as a pod: the image's CLI with the in-cluster ServiceAccount
    Pod waiter =
        new PodBuilder()
            .withNewMetadata()
            .withName("rungate-wait")
            .withNamespace(OPERATOR_NS)
            .endMetadata()
            .withNewSpec()
            .withServiceAccountName("rungate")
            .withRestartPolicy("Never")
            .addNewContainer()
            .withName("wait")
            .withImage(LocalNode.IMAGE_REPOSITORY + ":" + s.node.imageTag)
            .withImagePullPolicy("IfNotPresent")
            .withArgs("wait", "gate", "-n", APPS, "--timeout", "60s")
            .endContainer()
            .endSpec()
            .build();
    s.node.client.resource(waiter).create();
    await()
        .atMost(Duration.ofMinutes(2))
        .until(
            () -> {
              Pod p = s.node.client.pods().inNamespace(OPERATOR_NS).withName("rungate-wait").get();
              return p.getStatus() != null
                  && List.of("Succeeded", "Failed").contains(p.getStatus().getPhase());
            });
    Pod done = s.node.client.pods().inNamespace(OPERATOR_NS).withName("rungate-wait").get();
    String logs = s.node.kubectl("logs", "-n", OPERATOR_NS, "rungate-wait").stdout();
    assertThat(done.getStatus().getPhase()).as(logs).isEqualTo("Succeeded");
    assertThat(logs).contains("Promoted");
    s.node.client.resource(done).delete();
  }

  @Test
  @Order(4)
  void anExit3CandidateIsRolledBackByTheOperatorInPods() {
    String bad = s.revision(3, "stale-host");
    // the incident's stale Redis address: a port nothing listens on, so the worker exits 3 on boot
    s.deploy(bad, true, "REDIS_PORT=6390");
    s.apply(s.policy(bad, "2s"));
    await()
        .atMost(ROLLOUT)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> is(s.get(), "RolledBack"));
    ReadinessPolicy p = s.get();
    var cond =
        p.getStatus().conditions.stream()
            .filter(c -> "RolledBack".equals(c.getType()))
            .findFirst()
            .orElseThrow();
    assertThat(cond.getReason()).isEqualTo("WorkerBootError");
    assertThat(p.getStatus().lastExit.exitCode).isEqualTo(3);
  }

  /**
   * 200 policies with the chart's default memory limit: each on a Cloud Run service of its own that
   * the emulator does not have (ServiceNotFound, re-read every 5 s: busier than 200 promoted
   * policies, read once a minute). The operator pods are neither OOMKilled nor restarted and stay
   * Ready; the memory they used is printed.
   */
  @Test
  @Order(5)
  void theMemoryLimitHoldsUnderTwoHundredPolicies() {
    var policies = s.node.client.resources(ReadinessPolicy.class).inNamespace(APPS);
    for (int i = 0; i < LOAD; i++) {
      policies.resource(idlePolicy(i)).create();
    }
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () ->
                policies.list().getItems().stream()
                        .filter(p -> p.getMetadata().getName().startsWith("idle-"))
                        .filter(p -> p.getStatus() != null && p.getStatus().conditions != null)
                        .count()
                    == LOAD);
    Map<String, PodMemory> highest = new TreeMap<>();
    long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < until) {
      for (Pod p : operatorPods()) {
        PodMemory m = PodMemory.of(s, p.getMetadata().getName());
        highest.merge(
            p.getMetadata().getName(), m, (a, b) -> a.workingSet() >= b.workingSet() ? a : b);
      }
      sleep(Duration.ofSeconds(5));
    }
    String leader = s.leaseHolder();
    highest.forEach(
        (pod, m) ->
            System.out.printf(
                "node: %d policies, %s %s: highest %s%n",
                LOAD, pod.equals(leader) ? "leader" : "stand-by", pod, m));
    assertThat(operatorPods())
        .hasSize(2)
        .allSatisfy(
            p -> {
              var c = p.getStatus().getContainerStatuses().get(0);
              assertThat(c.getRestartCount()).as(p.getMetadata().getName() + " restarts").isZero();
              assertThat(c.getLastState().getTerminated())
                  .as(p.getMetadata().getName() + " last termination")
                  .isNull();
              assertThat(NodeStack.ready(p)).as(p.getMetadata().getName() + " Ready").isTrue();
            });
    assertThat(highest.values()).allSatisfy(m -> assertThat(m.peak()).isLessThan(m.limit()));
    policies.withLabel("rungate.dev/load", "idle").delete();
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> policies.withLabel("rungate.dev/load", "idle").list().getItems().isEmpty());
  }

  static final int LOAD = 200;

  ReadinessPolicy idlePolicy(int i) {
    String yaml =
        """
        apiVersion: rungate.dev/v1alpha1
        kind: ReadinessPolicy
        metadata: {name: idle-%03d, namespace: %s, labels: {rungate.dev/load: idle}}
        spec:
          service: {project: %s, region: %s, name: idle-%03d}
          rollout:
            steps: [{percent: 10, pause: 1m}, {percent: 100}]
        """
            .formatted(i, APPS, NodeStack.PROJECT, NodeStack.REGION, i);
    return s.node.client.getKubernetesSerialization().unmarshal(yaml, ReadinessPolicy.class);
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  @Order(9)
  void uninstallLeavesTheCrdAndThePolicies() {
    s.uninstall();
    await().atMost(Duration.ofMinutes(1)).until(() -> operatorPods().isEmpty());
    assertThat(
            s.node
                .client
                .resources(CustomResourceDefinition.class)
                .withName("readinesspolicies.rungate.dev")
                .get())
        .isNotNull();
    assertThat(s.get()).isNotNull();
  }

  static boolean promoted(ReadinessPolicy p) {
    return is(p, "Promoted");
  }

  static boolean is(ReadinessPolicy p, String type) {
    return p != null
        && p.getStatus() != null
        && p.getStatus().conditions != null
        && p.getStatus().conditions.stream()
            .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
