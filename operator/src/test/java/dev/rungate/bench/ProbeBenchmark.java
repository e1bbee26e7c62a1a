package dev.rungate.bench;

import dev.rungate.api.checks.MemorystoreCheck;
import dev.rungate.api.checks.NetworkCheck;
import dev.rungate.api.checks.TlsSpec;
import dev.rungate.api.status.CheckResult;
import dev.rungate.probe.Checks;
import dev.rungate.probe.DefaultProbes;
import dev.rungate.probe.EventsServer;
import dev.rungate.probe.SilentListener;
import dev.rungate.probe.TestCerts;
import dev.rungate.probe.TestHttpServer;
import dev.rungate.secrets.InMemorySecretReader;
import dev.rungate.secrets.SecretReader;
import dev.rungate.testing.RedisServer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Not a test (surefire does not run it): run with scripts/bench-probes. Starts its own
 * redis-servers and reports p50/p99 of single Memorystore probes, the wall time of a gate of 50
 * mixed probes, one of which is a silent listener with a 2 s timeout, the wall time of ten 500 ms
 * HTTP checks run at once, and how soon a Secret read that hangs for 5 s is ended by a 500 ms check
 * timeout (the last two were upper bounds in DefaultProbesTest: timings belong here, not in tests).
 */
public final class ProbeBenchmark {
  private static final String NS = "bench";
  private static final String PASSWORD = "bench-auth-string";

  public static void main(String[] args) throws Exception {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    TestCerts certs = TestCerts.create();
    try (RedisServer plain = RedisServer.start();
        RedisServer tls =
            RedisServer.startTls(
                certs.ipCert, certs.ipKey, certs.caCert, "--requirepass", PASSWORD);
        TestHttpServer http = TestHttpServer.http();
        EventsServer ws = new EventsServer();
        SilentListener silent = new SilentListener();
        DefaultProbes probes =
            new DefaultProbes(
                new InMemorySecretReader()
                    .put(NS, "redis-auth", "password", PASSWORD)
                    .put(NS, "redis-ca", "ca.pem", certs.pem(certs.caCert)))) {
      System.out.printf(
          "rungate probe benchmark: %d iterations per probe, %d cores%n",
          iterations, Runtime.getRuntime().availableProcessors());
      MemorystoreCheck plainCheck = Checks.redis("plain", plain.port);
      MemorystoreCheck tlsAuth =
          Checks.withAuth(
              Checks.withTls(Checks.redis("tls-auth", tls.port), TlsSpec.Mode.VerifyCA, "redis-ca"),
              "redis-auth",
              "password");
      MemorystoreCheck write = Checks.redis("plain-write", plain.port);
      write.write = true;
      MemorystoreCheck tlsWrite =
          Checks.withAuth(
              Checks.withTls(
                  Checks.redis("tls-auth-write", tls.port), TlsSpec.Mode.VerifyCA, "redis-ca"),
              "redis-auth",
              "password");
      tlsWrite.write = true;
      for (MemorystoreCheck c : List.of(plainCheck, tlsAuth, write, tlsWrite)) {
        latency(probes, c, iterations);
      }
      long[] gates = new long[3];
      for (int run = 1; run <= gates.length; run++) {
        gates[run - 1] = gate(probes, plain, tls, http, ws, silent.port(), run);
      }
      report("gate of 50 probes, one silent (2 s timeout)", gates, "goal < 2,150 ms");
      report("ten 500 ms HTTP checks at once", tenAtOnce(probes, http, 10), "serial 5,000 ms");
      report(
          "Secret read hanging 5 s, check timeout 500 ms, to SECRET",
          slowSecret(plain, 10),
          "timeout 500 ms");
    }
  }

  private static long[] tenAtOnce(DefaultProbes probes, TestHttpServer http, int runs) {
    List<NetworkCheck> slow = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      slow.add(Checks.http("slow-" + i, http.url("/sleep?ms=500"), "5s"));
    }
    long[] nanos = new long[runs];
    for (int run = 0; run < runs; run++) {
      long start = System.nanoTime();
      List<CheckResult> results = probes.checkDependencies(NS, Checks.deps(List.of(), slow));
      nanos[run] = System.nanoTime() - start;
      if (!results.stream().allMatch(CheckResult::ok)) {
        throw new IllegalStateException("benchmark checks failed: " + results);
      }
    }
    return nanos;
  }

  private static long[] slowSecret(RedisServer plain, int runs) {
    SecretReader hangs =
        (namespace, ref) -> {
          RedisServer.sleep(5000);
          return Optional.of("late");
        };
    long[] nanos = new long[runs];
    try (DefaultProbes probes = new DefaultProbes(hangs)) {
      MemorystoreCheck c =
          Checks.withAuth(Checks.redis("cache", plain.port), "redis-auth", "password");
      c.timeout = "500ms";
      for (int run = 0; run < runs; run++) {
        long start = System.nanoTime();
        CheckResult r = one(probes, c);
        nanos[run] = System.nanoTime() - start;
        if (!"SECRET".equals(r.failedStep)) {
          throw new IllegalStateException("expected a SECRET failure: " + r);
        }
      }
    }
    return nanos;
  }

  /** p50/p95/max of the runs, in ms. */
  private static void report(String what, long[] nanos, String reference) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    System.out.printf(
        "%-55s p50 %7.1f ms  p95 %7.1f ms  max %7.1f ms  (%d runs; %s)%n",
        what,
        sorted[(n - 1) / 2] / 1e6,
        sorted[(int) Math.ceil(n * 0.95) - 1] / 1e6,
        sorted[n - 1] / 1e6,
        n,
        reference);
  }

  private static void latency(DefaultProbes probes, MemorystoreCheck c, int iterations) {
    for (int i = 0; i < 100; i++) { // warm the JIT on this probe kind first
      one(probes, c);
    }
    long[] nanos = new long[iterations];
    for (int i = 0; i < iterations; i++) {
      long start = System.nanoTime();
      CheckResult r = one(probes, c);
      nanos[i] = System.nanoTime() - start;
      if (!r.ok()) {
        throw new IllegalStateException("benchmark probe failed: " + r);
      }
    }
    Arrays.sort(nanos);
    System.out.printf(
        "memorystore %-15s p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms%n",
        c.name,
        nanos[iterations / 2] / 1e6,
        nanos[(int) Math.ceil(iterations * 0.99) - 1] / 1e6,
        nanos[iterations - 1] / 1e6);
  }

  private static CheckResult one(DefaultProbes probes, MemorystoreCheck c) {
    return probes.checkDependencies(NS, Checks.deps(List.of(c), List.of())).get(0);
  }

  private static long gate(
      DefaultProbes probes,
      RedisServer plain,
      RedisServer tls,
      TestHttpServer http,
      EventsServer ws,
      int silentPort,
      int run) {
    List<MemorystoreCheck> redis = new ArrayList<>();
    MemorystoreCheck blackhole = Checks.redis("blackhole", silentPort);
    blackhole.timeout = "2s";
    redis.add(blackhole);
    for (int i = 0; i < 19; i++) {
      MemorystoreCheck c =
          i % 2 == 0
              ? Checks.redis("redis-" + i, plain.port)
              : Checks.withAuth(
                  Checks.withTls(
                      Checks.redis("redis-" + i, tls.port), TlsSpec.Mode.VerifyCA, "redis-ca"),
                  "redis-auth",
                  "password");
      c.write = i % 3 == 0;
      redis.add(c);
    }
    List<NetworkCheck> network = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      network.add(Checks.tcp("tcp-" + i, "127.0.0.1", plain.port, "2s"));
      network.add(Checks.http("http-" + i, http.url("/ok"), "2s"));
      network.add(
          Checks.websocket(
              "ws-" + i, ws.url("/ws/events"), "{\"type\":\"chat\"}", EventsServer.EVENTS, "2s"));
    }
    long start = System.nanoTime();
    List<CheckResult> results = probes.checkDependencies(NS, Checks.deps(redis, network));
    long nanos = System.nanoTime() - start;
    double wall = nanos / 1e9;
    long failed = results.stream().filter(r -> !r.ok()).count();
    CheckResult hole = results.get(0);
    System.out.printf(
        "gate run %d: %d probes, wall %.3f s (goal < 2.15 s), %d failed (expected 1: %s at %s after %d ms)%n",
        run, results.size(), wall, failed, hole.name, hole.failedStep, hole.latencyMillis);
    results.stream()
        .filter(r -> !r.ok() && r != hole)
        .forEach(r -> System.out.println("  unexpected: " + r));
    return nanos;
  }
}
