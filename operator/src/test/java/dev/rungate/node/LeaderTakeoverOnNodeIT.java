package dev.rungate.node;

import static dev.rungate.node.NodeStack.OPERATOR_NS;
import static dev.rungate.testing.Processes.assertOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rungate.api.ReadinessPolicy;
import dev.rungate.testing.Repo;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * Leader pods leaving on the real node: deleted (SIGTERM from the kubelet: the Lease is released,
 * the stand-by takes over at its next try) and SIGKILLed (the stand-by waits for the Lease to
 * expire); and a helm upgrade to a new image tag in the middle of a rollout.
 */
@Tag("real")
@ResourceLock("local-node")
@Order(2)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LeaderTakeoverOnNodeIT {
  static final Duration LEASE = Duration.ofSeconds(15);
  static final Duration RETRY = Duration.ofSeconds(1);
  NodeStack s;

  @BeforeAll
  void install() throws Exception {
    s = new NodeStack();
    assertOk(s.deploy(s.revision(1, "stable"), false));
    s.install(Map.of("leaderElection.leaseDuration", LEASE.toSeconds() + "s"));
  }

  @AfterAll
  void close() throws Exception {
    if (s != null) {
      s.close();
    }
  }

  String standbyOf(String leader) {
    return s.operatorPods().stream()
        .map(p -> p.getMetadata().getName())
        .filter(n -> !n.equals(leader))
        .findFirst()
        .orElseThrow();
  }

  @Test
  @Order(1)
  void aDeletedLeaderPodReleasesTheLeaseAndTheStandbyTakesOverAtOnce() throws Exception {
    s.awaitTwoReadyReplicasAndALeader();
    String leader = s.leaseHolder();
    String standby = standbyOf(leader);
    // the leader's log outlives its pod: how long its stop took is in it ("Handed the Lease over")
    Path logs = Repo.path("operator/target/node-logs");
    Files.createDirectories(logs);
    Process follow =
        s.node.kubectlInBackground(
            logs.resolve(leader + ".sigterm.log"), "logs", "-f", "-n", OPERATOR_NS, leader);
    Thread.sleep(500);
    long t0 = System.nanoTime();
    s.node.client.pods().inNamespace(OPERATOR_NS).withName(leader).delete();
    await()
        .atMost(LEASE.plusSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> standby.equals(s.leaseHolder()));
    Duration takeover = Duration.ofNanos(System.nanoTime() - t0);
    System.out.printf(
        "node: leader pod %s deleted (SIGTERM); %s holds the Lease after %d ms (lease %s, retry %s)%n",
        leader, standby, takeover.toMillis(), LEASE, RETRY);
    // released, not expired: well before the Lease would have run out
    assertThat(takeover).isLessThan(LEASE.dividedBy(2));
    await()
        .atMost(Duration.ofSeconds(40))
        .until(() -> s.node.client.pods().inNamespace(OPERATOR_NS).withName(leader).get() == null);
    follow.waitFor(5, TimeUnit.SECONDS);
    follow.destroy();
  }

  @Test
  @Order(2)
  void aSigkilledLeaderIsReplacedOnceTheLeaseExpires() {
    s.awaitTwoReadyReplicasAndALeader();
    String leader = s.leaseHolder();
    String standby = standbyOf(leader);
    Pod pod = s.node.client.pods().inNamespace(OPERATOR_NS).withName(leader).get();
    String container =
        pod.getStatus().getContainerStatuses().get(0).getContainerID().replace("containerd://", "");
    String pid =
        s.node
            .exec(
                "ctr",
                "--address",
                s.node.dir.resolve("containerd/containerd.sock").toString(),
                "-n",
                "k8s.io",
                "tasks",
                "ls")
            .stdout()
            .lines()
            .filter(l -> l.startsWith(container))
            .findFirst()
            .orElseThrow()
            .trim()
            .split("\\s+")[1];
    ZonedDateTime killedAt = ZonedDateTime.now();
    long t0 = System.nanoTime();
    assertOk(s.node.exec("kill", "-KILL", pid));
    // the kubelet restarts the killed container under the same pod name (the same identity):
    // whoever renews
    // the Lease first after the kill, the standby once it expired or the restarted leader, leads
    // again
    await()
        .atMost(LEASE.plusSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> renewedAfter(killedAt));
    Duration takeover = Duration.ofNanos(System.nanoTime() - t0);
    String holder = s.leaseHolder();
    System.out.printf(
        "node: leader %s SIGKILLed; %s renewed the Lease after %d ms (lease %s)%n",
        leader, holder, takeover.toMillis(), LEASE);
    assertThat(holder).isIn(leader, standby);
    if (standby.equals(holder)) {
      // nobody released it: the standby waited until the last renewal (at most one retry before the
      // kill) expired
      assertThat(takeover).isGreaterThanOrEqualTo(LEASE.minus(RETRY.multipliedBy(2)));
    }
  }

  boolean renewedAfter(ZonedDateTime t) {
    var lease =
        s.node
            .client
            .resources(Lease.class)
            .inNamespace(OPERATOR_NS)
            .withName(NodeStack.RELEASE)
            .get();
    return lease != null
        && lease.getSpec().getRenewTime() != null
        && lease.getSpec().getRenewTime().isAfter(t);
  }

  @Test
  @Order(3)
  void aHelmUpgradeToANewImageTagMidRolloutFinishesItWithEveryStepOnce() throws Exception {
    s.awaitTwoReadyReplicasAndALeader();
    String stable = s.revision(1, "stable");
    String candidate = s.revision(2, "good");
    assertOk(s.deploy(candidate, true));
    ReadinessPolicy policy = s.policy(candidate, "20s");
    s.apply(policy);
    await()
        .atMost(Duration.ofMinutes(3))
        .until(
            () -> {
              ReadinessPolicy p = s.get();
              return p != null
                  && p.getStatus() != null
                  && Integer.valueOf(10).equals(p.getStatus().candidatePercent);
            });
    // the same image under a new tag, as a release would publish it
    String newTag = s.node.imageTag + "-upgrade";
    assertOk(
        s.node.exec(
            "ctr",
            "--address",
            s.node.dir.resolve("containerd/containerd.sock").toString(),
            "-n",
            "k8s.io",
            "images",
            "tag",
            "--force",
            LocalNode.IMAGE_REPOSITORY + ":" + s.node.imageTag,
            LocalNode.IMAGE_REPOSITORY + ":" + newTag));
    s.upgrade(newTag, Map.of("leaderElection.leaseDuration", LEASE.toSeconds() + "s"));
    await()
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> OperatorOnNodeIT.promoted(s.get()));
    // the Deployment rolls on to the new tag (the rollout may well have finished before it did)
    await()
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                s.operatorPods().size() == 2
                    && s.operatorPods().stream()
                        .allMatch(
                            p ->
                                NodeStack.ready(p)
                                    && p.getSpec()
                                        .getContainers()
                                        .get(0)
                                        .getImage()
                                        .endsWith(":" + newTag)));
    List<List<String>> history = s.trafficHistory();
    assertThat(history.subList(2, history.size()))
        .as("the gate's moves after the two deploys")
        .containsExactly(
            List.of(stable + "=90", candidate + "=10"),
            List.of(stable + "=50", candidate + "=50"),
            List.of(stable + "=0", candidate + "=100"));
  }
}
