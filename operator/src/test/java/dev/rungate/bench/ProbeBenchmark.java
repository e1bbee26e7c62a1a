package dev.rungate.bench;

import dev.rungate.testing.RedisServer;
import dev.rungate.api.status.CheckResult;
import dev.rungate.api.checks.MemorystoreCheck;
import dev.rungate.api.checks.NetworkCheck;
import dev.rungate.api.checks.TlsSpec;
import dev.rungate.probe.Checks;
import dev.rungate.probe.DefaultProbes;
import dev.rungate.probe.EventsServer;
import dev.rungate.secrets.InMemorySecretReader;
import dev.rungate.probe.SilentListener;
import dev.rungate.probe.TestCerts;
import dev.rungate.probe.TestHttpServer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Not a test (surefire does not run it): run with scripts/bench-probes. Starts its own
 * redis-servers and reports p50/p99 of single Memorystore probes and the wall time of a gate of
 * 50 mixed probes, one of which is a silent listener with a 2 s timeout.
 */
public final class ProbeBenchmark {
  private static final String NS = "bench";
  private static final String PASSWORD = "bench-auth-string";

  public static void main(String[] args) throws Exception {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    TestCerts certs = TestCerts.create();
    try (RedisServer plain = RedisServer.start();
        RedisServer tls = RedisServer.startTls(certs.ipCert, certs.ipKey, certs.caCert, "--requirepass", PASSWORD);
        TestHttpServer http = TestHttpServer.http();
        EventsServer ws = new EventsServer();
        SilentListener silent = new SilentListener();
        DefaultProbes probes = new DefaultProbes(new InMemorySecretReader()
            .put(NS, "redis-auth", "password", PASSWORD).put(NS, "redis-ca", "ca.pem", certs.pem(certs.caCert)))) {
      System.out.printf("rungate probe benchmark: %d iterations per probe, %d cores%n", iterations,
          Runtime.getRuntime().availableProcessors());
      MemorystoreCheck plainCheck = Checks.redis("plain", plain.port);
      MemorystoreCheck tlsAuth = Checks.withAuth(Checks.withTls(Checks.redis("tls-auth", tls.port),
          TlsSpec.Mode.VerifyCA, "redis-ca"), "redis-auth", "password");
      MemorystoreCheck write = Checks.redis("plain-write", plain.port);
      write.write = true;
      MemorystoreCheck tlsWrite = Checks.withAuth(Checks.withTls(Checks.redis("tls-auth-write", tls.port),
          TlsSpec.Mode.VerifyCA, "redis-ca"), "redis-auth", "password");
      tlsWrite.write = true;
      for (MemorystoreCheck c : List.of(plainCheck, tlsAuth, write, tlsWrite)) {
        latency(probes, c, iterations);
      }
      for (int run = 1; run <= 3; run++) {
        gate(probes, plain, tls, http, ws, silent.port(), run);
      }
    }
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
    System.out.printf("memorystore %-15s p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms%n", c.name,
        nanos[iterations / 2] / 1e6, nanos[(int) Math.ceil(iterations * 0.99) - 1] / 1e6, nanos[iterations - 1] / 1e6);
  }

  private static CheckResult one(DefaultProbes probes, MemorystoreCheck c) {
    return probes.checkDependencies(NS, Checks.deps(List.of(c), List.of())).get(0);
  }

  private static void gate(DefaultProbes probes, RedisServer plain, RedisServer tls, TestHttpServer http,
      EventsServer ws, int silentPort, int run) {
    List<MemorystoreCheck> redis = new ArrayList<>();
    MemorystoreCheck blackhole = Checks.redis("blackhole", silentPort);
    blackhole.timeout = "2s";
    redis.add(blackhole);
    for (int i = 0; i < 19; i++) {
      MemorystoreCheck c = i % 2 == 0 ? Checks.redis("redis-" + i, plain.port)
          : Checks.withAuth(Checks.withTls(Checks.redis("redis-" + i, tls.port), TlsSpec.Mode.VerifyCA, "redis-ca"),
              "redis-auth", "password");
      c.write = i % 3 == 0;
      redis.add(c);
    }
    List<NetworkCheck> network = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      network.add(Checks.tcp("tcp-" + i, "127.0.0.1", plain.port, "2s"));
      network.add(Checks.http("http-" + i, http.url("/ok"), "2s"));
      network.add(Checks.websocket("ws-" + i, ws.url("/ws/events"), "{\"type\":\"chat\"}", EventsServer.EVENTS, "2s"));
    }
    long start = System.nanoTime();
    List<CheckResult> results = probes.checkDependencies(NS, Checks.deps(redis, network));
    double wall = (System.nanoTime() - start) / 1e9;
    long failed = results.stream().filter(r -> !r.ok()).count();
    CheckResult hole = results.get(0);
    System.out.printf("gate run %d: %d probes, wall %.3f s (goal < 2.15 s), %d failed (expected 1: %s at %s after %d ms)%n",
        run, results.size(), wall, failed, hole.name, hole.failedStep, hole.latencyMillis);
    results.stream().filter(r -> !r.ok() && r != hole).forEach(r -> System.out.println("  unexpected: " + r));
  }
}
