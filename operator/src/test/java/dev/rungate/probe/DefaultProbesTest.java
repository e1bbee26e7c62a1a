package dev.rungate.probe;

import static dev.rungate.probe.Checks.NS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rungate.api.checks.MemorystoreCheck;
import dev.rungate.api.checks.NetworkCheck;
import dev.rungate.api.status.CheckResult;
import dev.rungate.secrets.SecretReader;
import dev.rungate.testing.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The fan-out: checks run in parallel, results keep the spec's order, our bugs are ProbeErrors.
 * Wall times are not asserted here (the load of the machine decides them): scripts/bench-probes
 * reports them (p50/p95/max).
 */
@Tag("real")
class DefaultProbesTest {
  static TestHttpServer http;
  static RedisServer redis;

  @BeforeAll
  static void start() throws Exception {
    http = TestHttpServer.http();
    redis = RedisServer.start();
  }

  @AfterAll
  static void stop() {
    http.close();
    redis.close();
  }

  @Test
  void tenChecksOfHalfASecondEachRunAtOnce() {
    List<NetworkCheck> slow = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      slow.add(Checks.http("slow-" + i, http.url("/sleep?ms=500"), "5s"));
    }
    try (DefaultProbes probes = new DefaultProbes(SecretReader.NONE)) {
      probes.checkDependencies(NS, Checks.deps(List.of(), slow.subList(0, 1))); // warm the JVM once
      http.mostSleepingAtOnce();
      List<CheckResult> results = probes.checkDependencies(NS, Checks.deps(List.of(), slow));
      assertThat(results).allMatch(CheckResult::ok);
      assertThat(results)
          .extracting(r -> r.name)
          .containsExactly(
              "slow-0", "slow-1", "slow-2", "slow-3", "slow-4", "slow-5", "slow-6", "slow-7",
              "slow-8", "slow-9");
      assertThat(http.mostSleepingAtOnce())
          .as("requests the server held at once (serial: 1)")
          .isEqualTo(10);
    }
  }

  @Test
  void silentRedisFailsAtPingAndTheOtherChecksStillPass() throws Exception {
    try (SilentListener silent = new SilentListener();
        DefaultProbes probes = new DefaultProbes(SecretReader.NONE)) {
      MemorystoreCheck hung = Checks.redis("hung", silent.port());
      hung.timeout = "1s";
      MemorystoreCheck ok = Checks.redis("ok", redis.port);
      long start = System.nanoTime();
      List<CheckResult> results =
          probes.checkDependencies(
              NS,
              Checks.deps(
                  List.of(hung, ok),
                  List.of(
                      Checks.http("api", http.url("/ok"), "5s"),
                      Checks.tcp("tcp", "127.0.0.1", redis.port, "1s"))));
      long wall = (System.nanoTime() - start) / 1_000_000;
      assertThat(results).extracting(r -> r.name).containsExactly("hung", "ok", "api", "tcp");
      assertThat(results.get(0).failedStep).as(results.toString()).isEqualTo("PING");
      assertThat(results.subList(1, 4)).as(results.toString()).allMatch(CheckResult::ok);
      assertThat(wall).as("the hung check waited out its 1 s timeout").isGreaterThanOrEqualTo(900L);
    }
  }

  @Test
  void aBugInsideAProbeIsAProbeErrorWithItsClassNeverUnreachable() {
    SecretReader broken =
        (namespace, ref) -> {
          throw new IllegalStateException("secret cache not initialised");
        };
    try (DefaultProbes probes = new DefaultProbes(broken)) {
      MemorystoreCheck c =
          Checks.withAuth(Checks.redis("cache", redis.port), "redis-auth", "password");
      CheckResult r = probes.checkDependencies(NS, Checks.deps(List.of(c), List.of())).get(0);
      assertThat(r.ok()).isFalse();
      assertThat(r.failedStep).isEqualTo("ProbeError");
      assertThat(r.message)
          .contains("java.lang.IllegalStateException")
          .contains("secret cache not initialised")
          .contains("bug in rungate")
          .doesNotContainIgnoringCase("unreachable");
      assertThat(r.checkedAt).isNotNull();
    }
  }

  @Test
  void slowSecretReadIsBoundedByTheCheckTimeout() {
    SecretReader slow =
        (namespace, ref) -> {
          RedisServer.sleep(5000);
          return Optional.of("late");
        };
    try (DefaultProbes probes = new DefaultProbes(slow)) {
      MemorystoreCheck c =
          Checks.withAuth(Checks.redis("cache", redis.port), "redis-auth", "password");
      c.timeout = "500ms";
      CheckResult r = probes.checkDependencies(NS, Checks.deps(List.of(c), List.of())).get(0);
      // the 5 s read did not finish (it would have passed SECRET): the check's timeout ended it
      assertThat(r.failedStep).as(r.toString()).isEqualTo("SECRET");
      assertThat(r.message).contains("apps/redis-auth").contains("longer than the check's timeout");
    }
  }

  @Test
  void malformedTimeoutIsSpecError() {
    try (DefaultProbes probes = new DefaultProbes(SecretReader.NONE)) {
      MemorystoreCheck c = Checks.redis("cache", redis.port);
      c.timeout = "soon";
      CheckResult r = probes.checkDependencies(NS, Checks.deps(List.of(c), List.of())).get(0);
      assertThat(r.failedStep).isEqualTo("SPEC");
      assertThat(r.message).contains("'soon' is not a duration");
    }
  }

  @Test
  void allMemorystoreProbesShareOneSmallEventLoopThatCloseShutsDown() throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    DefaultProbes probes = new DefaultProbes(SecretReader.NONE);
    List<MemorystoreCheck> many = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      many.add(Checks.redis("cache-" + i, redis.port));
    }
    assertThat(probes.checkDependencies(NS, Checks.deps(many, List.of())))
        .allMatch(CheckResult::ok);
    assertThat(probes.checkDependencies(NS, Checks.deps(many, List.of())))
        .allMatch(CheckResult::ok);
    List<Thread> lettuce =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> !before.contains(t) && t.getName().startsWith("lettuce-"))
            .toList();
    assertThat(lettuce).as("2 I/O + 2 computation threads for 60 probes").hasSizeBetween(1, 4);
    probes.close();
    for (Thread t : lettuce) {
      t.join(5000);
    }
    assertThat(lettuce).noneMatch(Thread::isAlive);
  }

  @Test
  void emptyDependenciesGiveNoResults() {
    try (DefaultProbes probes = new DefaultProbes(SecretReader.NONE)) {
      assertThat(probes.checkDependencies(NS, null)).isEmpty();
      assertThat(probes.probeRevision("https://x.example", null)).isEmpty();
    }
  }
}
