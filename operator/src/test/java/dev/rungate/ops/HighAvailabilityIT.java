package dev.rungate.ops;

import static dev.rungate.testing.Processes.assertOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rungate.e2e.stack.OperatorProcess;
import dev.rungate.e2e.stack.Stack;
import dev.rungate.testing.Processes;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Two operator processes with --leader-election on the real apiserver and the emulator: the leader
 * is SIGKILLed during step 2 and the other takes the Lease over within the lease duration and
 * finishes the rollout without repeating or skipping a step.
 */
@Tag("real")
@Order(3)
@ResourceLock(value = "cpu", mode = ResourceAccessMode.READ)
class HighAvailabilityIT {
  static final Duration LEASE = Duration.ofSeconds(8);
  static final Duration RETRY = Duration.ofSeconds(1);

  @Test
  void theStandbyTakesOverFromAKilledLeaderAndFinishesTheRolloutExactlyOnce() throws Exception {
    try (Stack s = new Stack("ha")) {
      String stable = s.revision(1, "stable");
      String candidate = s.revision(2, "good");
      assertOk(s.deploy(stable, false));
      assertOk(s.deploy(candidate, true));
      Map<String, OperatorProcess> replicas =
          Map.of("replica-a", replica(s, "replica-a"), "replica-b", replica(s, "replica-b"));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> holder(s) != null && replicas.containsKey(holder(s)));
      String leader = holder(s);
      String standby = leader.equals("replica-a") ? "replica-b" : "replica-a";

      var policy = s.policy(candidate, "2s");
      policy.getSpec().rollout.steps.get(1).pause = "12s";
      s.apply(policy);
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () ->
                  s.get().getStatus() != null
                      && Integer.valueOf(2).equals(s.get().getStatus().step)
                      && Integer.valueOf(50).equals(s.get().getStatus().candidatePercent));
      assertThat(holder(s)).isEqualTo(leader);
      assertThat(replicas.get(standby).alive()).isTrue();

      replicas.get(leader).kill();
      long killed = System.nanoTime();
      await()
          .atMost(LEASE.plus(Duration.ofSeconds(10)))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> standby.equals(holder(s)));
      Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
      System.out.printf(
          "HA: %s killed during step 2; %s holds the Lease after %d ms (lease duration %s)%n",
          leader, standby, takeover.toMillis(), LEASE);
      // The Lease expires LEASE after the leader's last renewal (at most one RETRY before the kill)
      // and the
      // standby tries every RETRY (jittered up to x1.2): no takeover before expiry (no two
      // leaders), and
      // none much later. One second of slack for API latency on a busy machine.
      assertThat(takeover)
          .isGreaterThanOrEqualTo(LEASE.minus(RETRY.multipliedBy(2)))
          .isLessThanOrEqualTo(LEASE.plus(RETRY.multipliedBy(2)).plusSeconds(1));

      Processes.Result wait =
          s.kubectl(
              "wait", "-n", s.namespace, "--for=condition=Promoted", "--timeout=120s", "rpol/gate");
      assertThat(wait.exitCode()).as(wait.stderr() + replicas.get(standby).log()).isZero();
      List<List<String>> history = s.trafficHistory();
      assertThat(history.subList(2, history.size()))
          .as("the gate's traffic moves after the two deploys")
          .containsExactly(
              List.of(stable + "=90", candidate + "=10"),
              List.of(stable + "=50", candidate + "=50"),
              List.of(stable + "=0", candidate + "=100"));
      assertThat(holder(s)).isEqualTo(standby);
    }
  }

  @Test
  void aLeaderStoppedWithSigtermReleasesTheLeaseSoTheStandbyTakesOverAtOnce() throws Exception {
    Duration lease = Duration.ofSeconds(15);
    try (Stack s = new Stack("ha-term")) {
      Map<String, OperatorProcess> replicas =
          Map.of("term-a", replica(s, "term-a", lease), "term-b", replica(s, "term-b", lease));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> holder(s) != null && replicas.containsKey(holder(s)));
      String leader = holder(s);
      String standby = leader.equals("term-a") ? "term-b" : "term-a";

      long termed = System.nanoTime();
      // SIGTERM, and the Lease watched while the leader stops (not only once its JVM has exited)
      var exit =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return replicas.get(leader).terminate(Duration.ofSeconds(20));
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });
      await()
          .atMost(lease)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> standby.equals(holder(s)));
      Duration takeover = Duration.ofNanos(System.nanoTime() - termed);
      // 143 = 128 + SIGTERM: the JVM ran its shutdown hook and exited; -1 would be the old hang
      assertThat(exit.get()).as(replicas.get(leader).log()).isEqualTo(143);
      assertThat(replicas.get(leader).log())
          .contains("Released the Lease")
          .contains("Handed the Lease over");
      System.out.printf(
          "HA: %s got SIGTERM; %s holds the Lease after %d ms (lease duration %s, retry %s); %s%n",
          leader,
          standby,
          takeover.toMillis(),
          lease,
          RETRY,
          replicas
                  .get(leader)
                  .log()
                  .lines()
                  .filter(l -> l.contains("Handed the Lease over"))
                  .findFirst()
                  .orElse("(released after the operator stopped)")
              + "; stand-by: "
              + replicas
                  .get(standby)
                  .log()
                  .lines()
                  .filter(l -> l.contains("Leading as"))
                  .findFirst()
                  .orElse("?"));
      // released, not expired: the standby takes it at its next try (every RETRY, jittered up to
      // x2.2),
      // long before the 15 s lease would have run out
      assertThat(takeover).isLessThan(lease.dividedBy(2));
      assertThat(replicas.get(standby).alive()).isTrue();
    }
  }

  private static OperatorProcess replica(Stack s, String identity) throws IOException {
    return replica(s, identity, LEASE);
  }

  private static OperatorProcess replica(Stack s, String identity, Duration lease)
      throws IOException {
    return s.launch(
        s.cluster.kubeconfig(),
        identity,
        "--leader-election",
        "--lease-namespace",
        s.namespace,
        "--lease-identity",
        identity,
        "--lease-duration",
        lease.toSeconds() + "s",
        "--renew-deadline",
        "5s",
        "--retry-period",
        RETRY.toSeconds() + "s");
  }

  private static String holder(Stack s) {
    Lease lease =
        s.client.resources(Lease.class).inNamespace(s.namespace).withName("rungate-operator").get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }
}
