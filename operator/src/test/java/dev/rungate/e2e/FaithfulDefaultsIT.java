package dev.rungate.e2e;

import static dev.rungate.testing.Processes.assertOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rungate.api.Phase;
import dev.rungate.api.ReadinessPolicy;
import dev.rungate.e2e.stack.Stack;
import dev.rungate.emulator.CallStats;
import dev.rungate.emulator.UpdateHistory;
import dev.rungate.emulator.rules.AdminSettings;
import dev.rungate.testing.Parallel;
import dev.rungate.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The gate on the emulator's faithful defaults (platform-facts.md): Cloud Logging's read quota of
 * 60 ListLogEntries per minute per project, its ingestion delay and tail sessions, UpdateService as
 * a long-running operation that keeps the service reconciling.
 */
@Tag("real")
@ResourceLock(value = "cpu", mode = ResourceAccessMode.READ_WRITE)
@Order(1)
class FaithfulDefaultsIT {
  private static final int POLICIES = 20;

  @Test
  void twentyRolloutsInOneProjectFinishWithoutOneQuotaRejection() throws Exception {
    try (Stack s = new Stack("many")) {
      List<String> services = new ArrayList<>();
      for (int i = 1; i <= POLICIES; i++) {
        services.add(String.format("svc-%02d", i));
      }
      deployAll(s, services);
      s.startOperator();
      for (String service : services) {
        var policy = s.policyFor(service, service, candidate(service), "2s");
        s.apply(realWorker(service) ? policy : Stack.withoutWebSocketProbe(policy));
      }

      await()
          .atMost(Duration.ofMinutes(8))
          .pollInterval(Duration.ofSeconds(2))
          .until(() -> services.stream().allMatch(svc -> finished(s.get(svc))));

      for (String service : services) {
        ReadinessPolicy p = s.get(service);
        List<List<String>> traffic = s.trafficHistory(service);
        if (failing(service)) {
          assertThat(p.getStatus().phase)
              .as(service + s.operator.log())
              .isEqualTo(Phase.RolledBack);
          if (realWorker(service) || p.getStatus().lastExit != null) {
            // a builtin revision fails as soon as its crash loop ends: the gate may act on the
            // failed revision
            // before Logging delivers the exit; the real workers' exits are always read
            assertThat(p.getStatus().lastExit).as(service + ": " + rolledBackWhy(p)).isNotNull();
            assertThat(p.getStatus().lastExit.exitCode).as(service).isEqualTo(3);
          }
          assertThat(traffic)
              .as(service + ": the crash-looping candidate never served")
              .allSatisfy(
                  t ->
                      assertThat(t)
                          .noneMatch(e -> e.startsWith(candidate(service)) && !e.endsWith("=0")));
        } else {
          assertThat(p.getStatus().phase)
              .as(service + ": " + rolledBackWhy(p) + s.operator.log())
              .isEqualTo(Phase.Promoted);
          assertThat(traffic.get(traffic.size() - 1))
              .as(service)
              .contains(candidate(service) + "=100");
        }
      }
      Map<String, CallStats.Counts> calls = s.emulator.stats().of(Stack.PROJECT);
      System.out.println("calls by method for " + POLICIES + " rollouts: " + calls);
      assertThat(calls).containsKey("google.logging.v2.LoggingServiceV2/TailLogEntries");
      assertThat(calls)
          .allSatisfy((method, counts) -> assertThat(counts.rejected()).as(method).isZero());
    }
  }

  @Test
  void aRollbackDuringAThirtySecondReconcilingWindowIsSentAtOnce() throws Exception {
    Duration window = Duration.ofSeconds(30);
    try (Stack s = new Stack("slowsettle", AdminSettings.defaults().withReconcile(window))) {
      s.withStableAndCandidate();
      s.startOperator();
      s.apply(s.policy(s.candidate, "10m"));
      s.awaitCandidateAt(10); // reported once Cloud Run settled the move: the candidate serves 10%

      // someone deploys another revision without traffic: the service reconciles for the window and
      // more
      assertOk(
          s.deployTo(s.service, s.revision(3, "other"), false, List.of("--no-traffic", "--async")));
      UpdateHistory.Change deployed = last(s);
      s.redis.close();
      List<String> back = List.of(s.stable + "=100", s.candidate + "=0");
      await().atMost(window).until(() -> names(last(s)).containsAll(back));
      UpdateHistory.Change rollback = last(s);
      assertThat(Duration.between(deployed.at(), rollback.at()))
          .as("sent inside the deploy's reconciling window")
          .isLessThan(window);
      assertThat(s.get().getStatus().phase).isEqualTo(Phase.RollingBack);
      assertThat(s.is("RolledBack", "True"))
          .as("not rolled back until Cloud Run reports it")
          .isFalse();

      await().atMost(window.multipliedBy(3)).until(() -> s.is("RolledBack", "True"));
      assertThat(s.condition("RolledBack").orElseThrow().getReason())
          .isIn("DependencyUnreachable", "ProbeFailed");
      assertThat(s.get().getStatus().phase).isEqualTo(Phase.RolledBack);
    }
  }

  @Test
  void aCandidateThatFailsToStartIsRolledBackAndTheStatusSaysSo() throws Exception {
    try (Stack s = new Stack("nostart")) {
      assertOk(s.deploy(s.stable, false));
      String candidate = s.revision(2, "nostart");
      // exits before it listens: the revision fails (HEALTH_CHECK_CONTAINER_ERROR) and the service
      // reports the
      // failed deploy (ConfigurationsReady failed) while its routes keep serving the stable
      // revision
      s.deployCommand(
          s.service,
          candidate,
          true,
          List.of(),
          "echo 'Application startup failed. Exiting.' >&2; exit 3");
      s.startOperator();
      s.apply(s.policy(candidate, "2s"));

      await().atMost(Duration.ofMinutes(2)).until(() -> s.is("RolledBack", "True"));
      assertThat(s.get().getStatus().phase).isEqualTo(Phase.RolledBack);
      assertThat(s.condition("RolledBack").orElseThrow().getReason())
          .isIn("ContainerFailedToStart", "WorkerBootError", "RevisionFailed");
      assertThat(s.trafficHistory())
          .allSatisfy(
              t -> assertThat(t).noneMatch(e -> e.startsWith(candidate) && !e.endsWith("=0")));
    }
  }

  /**
   * Every service's stable revision serving, its candidate at 0% under its tag; the even ones exit
   * 3 on boot. The first {@value #REAL_WORKERS} services run the real gunicorn + uvicorn worker
   * (two good, two that exit 3 on a stale REDIS_PORT); the others are builtin revisions with the
   * same Admin API operations and the same crash-loop log entries, so Logging's quota, tail
   * sessions and long-running operations are exercised exactly as by 20 workers.
   */
  private static void deployAll(Stack s, List<String> services) throws Exception {
    Parallel.each(
        4,
        services,
        service -> {
          if (realWorker(service)) {
            assertOk(s.deployTo(service, stable(service), false, List.of()));
            // a stale REDIS_HOST, as in the incident: a closed loopback port stands in for the
            // deleted instance
            String[] env =
                failing(service)
                    ? new String[] {"REDIS_PORT=" + RedisServer.freePort()}
                    : new String[0];
            s.deployTo(service, candidate(service), true, List.of(), env);
          } else {
            assertOk(
                s.deployCommand(service, stable(service), false, List.of(), Stack.BUILTIN + "ok"));
            s.deployCommand(
                service,
                candidate(service),
                true,
                List.of(),
                Stack.BUILTIN + (failing(service) ? "exit=3" : "ok"));
          }
        });
  }

  private static final int REAL_WORKERS = 4;

  private static boolean realWorker(String service) {
    return Integer.parseInt(service.substring(service.length() - 2)) <= REAL_WORKERS;
  }

  private static boolean failing(String service) {
    return Integer.parseInt(service.substring(service.length() - 2)) % 2 == 0;
  }

  private static String stable(String service) {
    return service + "-00001-stable";
  }

  private static String candidate(String service) {
    return service + "-00002-next";
  }

  private static boolean finished(ReadinessPolicy p) {
    return p != null
        && p.getStatus() != null
        && (p.getStatus().phase == Phase.Promoted
            || p.getStatus().phase == Phase.RolledBack
                && p.getStatus().conditions.stream()
                    .anyMatch(
                        c -> c.getType().equals("RolledBack") && c.getStatus().equals("True")));
  }

  private static List<UpdateHistory.Change> accepted(Stack s) {
    return s.emulator.history().of(s.service).stream()
        .filter(UpdateHistory.Change::accepted)
        .toList();
  }

  private static UpdateHistory.Change last(Stack s) {
    List<UpdateHistory.Change> all = accepted(s);
    return all.get(all.size() - 1);
  }

  private static List<String> names(UpdateHistory.Change c) {
    return c.traffic().stream()
        .map(t -> (t.getRevision().isEmpty() ? "LATEST" : t.getRevision()) + "=" + t.getPercent())
        .toList();
  }

  private static String rolledBackWhy(ReadinessPolicy p) {
    var rb = p.getStatus().rollback;
    return rb == null ? "no rollback" : rb.reason + ": " + rb.message;
  }
}
