package dev.rungate.probe.memorystore;

import dev.rungate.api.checks.Durations;
import dev.rungate.api.checks.MemorystoreCheck;
import dev.rungate.api.checks.TlsSpec;
import dev.rungate.api.status.CheckResult;
import dev.rungate.api.status.CheckStep;
import dev.rungate.probe.step.Attempt;
import dev.rungate.probe.step.HostResolver;
import dev.rungate.probe.step.StepFailure;
import dev.rungate.secrets.SecretReader;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * One-shot probe of a Memorystore for Redis instance: DNS, CONNECT, TLS, AUTH, PING, ROLE, optional
 * WRITE round trip, LATENCY. Uses the shared Lettuce resources; one connection per probe, never
 * reconnected, closed at the end.
 */
public final class MemorystoreProbe {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
  private final ClientResources resources;
  private final SecretReader secrets;
  private final HostResolver resolver;
  private final Set<CompletableFuture<Void>> closing = ConcurrentHashMap.newKeySet();

  private final Executor blocking;

  /**
   * @param blocking runs Secret reads (a Kubernetes API call) so that they too are bounded by the
   *     check's timeout
   */
  public MemorystoreProbe(
      ClientResources resources, SecretReader secrets, HostResolver resolver, Executor blocking) {
    this.resources = resources;
    this.blocking = blocking;
    this.secrets = secrets;
    this.resolver = resolver;
  }

  public CheckResult probe(String namespace, MemorystoreCheck check) {
    return probe(namespace, check, (InstanceLookup) null);
  }

  /**
   * With {@code lookup} and a check naming an instance: host, port, TLS and CAs come from the
   * instance, the AUTH string from it too with auth: FromInstance.
   */
  public CheckResult probe(String namespace, MemorystoreCheck check, InstanceLookup lookup) {
    if (check.instance != null && lookup != null) {
      Attempt a = new Attempt(check.name, "memorystore", check.instance, timeoutOr(check));
      try {
        InstanceLookup.Resolved r = lookup.resolve(check, a);
        return probe(namespace, FromInstance.effective(check, r.instance()), r);
      } catch (StepFailure f) {
        return a.failed(f);
      } catch (RuntimeException e) {
        return a.probeError(e);
      }
    }
    return probe(namespace, check, (InstanceLookup.Resolved) null);
  }

  private static Duration timeoutOr(MemorystoreCheck check) {
    try {
      return Durations.parse(check.timeout, DEFAULT_TIMEOUT);
    } catch (IllegalArgumentException e) {
      return DEFAULT_TIMEOUT;
    }
  }

  private CheckResult probe(
      String namespace, MemorystoreCheck check, InstanceLookup.Resolved resolved) {
    int port = check.port == null ? 6379 : check.port;
    TlsSpec.Mode mode =
        check.tls == null
            ? TlsSpec.Mode.Disabled
            : check.tls.mode == null ? TlsSpec.Mode.VerifyCA : check.tls.mode;
    String target =
        (resolved == null ? "" : resolved.instance().name() + " at ")
            + check.host
            + ":"
            + port
            + (mode == TlsSpec.Mode.Disabled ? "" : " (TLS " + mode + ")");
    Duration timeout;
    try {
      timeout = Durations.parse(check.timeout, DEFAULT_TIMEOUT);
    } catch (IllegalArgumentException e) {
      return new Attempt(check.name, "memorystore", target, Duration.ZERO)
          .failed(
              CheckStep.SPEC.name(), "SPEC failed: timeout " + e.getMessage() + " (InvalidSpec)");
    }
    Attempt a = new Attempt(check.name, "memorystore", target, timeout);
    try {
      return run(a, namespace, check, port, mode, resolved);
    } catch (StepFailure f) {
      return a.failed(f);
    } catch (RuntimeException e) {
      return a.probeError(e);
    }
  }

  private CheckResult run(
      Attempt a,
      String namespace,
      MemorystoreCheck check,
      int port,
      TlsSpec.Mode mode,
      InstanceLookup.Resolved resolved) {
    if (check.host == null || check.host.isBlank()) {
      throw new StepFailure(CheckStep.SPEC.name(), "SPEC failed: host is empty (InvalidSpec)");
    }
    Duration maxLatency = parseOrFail(check.maxLatency, "maxLatency");
    String password =
        resolved != null && resolved.authString() != null
            ? resolved.authString()
            : check.authSecretRef == null
                ? null
                : SecretValues.require(
                    secrets, namespace, check.authSecretRef, "authSecretRef", a, blocking);
    a.redact(password);
    String ca =
        resolved != null
            ? FromInstance.caBundle(resolved.instance())
            : mode == TlsSpec.Mode.Disabled || check.tls.caSecretRef == null
                ? null
                : SecretValues.require(
                    secrets, namespace, check.tls.caSecretRef, "tls.caSecretRef", a, blocking);
    List<String> addresses = resolver.resolve(check.host, a);
    RedisFailures.Context ctx =
        new RedisFailures.Context(
            a.target, mode != TlsSpec.Mode.Disabled, password != null, a.timeout.toMillis());

    RedisClient client = RedisClient.create(resources);
    client.setOptions(
        ConnectionOptions.options(
            a,
            mode,
            ca,
            resolved == null
                ? ConnectionOptions.caLabel(check)
                : "server_ca_certs of " + resolved.instance().name()));
    StatefulRedisConnection<String, String> conn = null;
    try {
      RedisURI uri =
          RedisURI.Builder.redis(check.host, port)
              .withSsl(mode != TlsSpec.Mode.Disabled)
              .withVerifyPeer(
                  mode == TlsSpec.Mode.VerifyFull ? SslVerifyMode.FULL : SslVerifyMode.CA)
              .withTimeout(a.timeout)
              .build();
      // Until the TCP+TLS connection and Lettuce's handshake answer, the step is CONNECT; if TCP
      // connected (no connect timeout fired) but nothing answered, the server is silent: PING.
      conn =
          RedisSteps.await(
              a,
              "CONNECT",
              client.connectAsync(StringCodec.UTF8, uri),
              ctx,
              mode == TlsSpec.Mode.Disabled ? "PING" : "TLS");
      RedisAsyncCommands<String, String> redis = conn.async();
      if (password != null) {
        RedisSteps.await(a, "AUTH", redis.auth(password), ctx, "AUTH");
      }
      long pingStart = System.nanoTime();
      String pong = RedisSteps.await(a, "PING", redis.ping(), ctx, "PING");
      long pingMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pingStart);
      if (!"PONG".equals(pong)) {
        throw new StepFailure(
            "PING", "PING failed: expected PONG, got '" + pong + "' (UnexpectedReply)");
      }
      String role = RedisSteps.role(a, redis, ctx);
      if (Boolean.TRUE.equals(check.write)) {
        if ("replica".equals(role)) {
          throw new StepFailure(
              "ROLE",
              "ROLE failed: the instance is a replica (read-only) but the check has write: true;"
                  + " writes need the primary endpoint (ReplicaRole)");
        }
        RedisSteps.writeRoundTrip(a, redis, ctx);
      }
      if (maxLatency != null && pingMillis > maxLatency.toMillis()) {
        throw new StepFailure(
            "LATENCY",
            "LATENCY failed: PING took "
                + pingMillis
                + "ms, more than maxLatency "
                + Durations.format(maxLatency)
                + " (SlowReply)");
      }
      return a.passed(
          "PONG in "
              + pingMillis
              + "ms, role "
              + role
              + (addresses.isEmpty()
                  ? ""
                  : ", " + check.host + " -> " + String.join(",", addresses))
              + (Boolean.TRUE.equals(check.write) ? ", write round trip ok" : "")
              + (password != null ? ", AUTH ok" : "")
              + (mode != TlsSpec.Mode.Disabled ? ", TLS " + mode : ""));
    } finally {
      release(client, conn);
    }
  }

  /**
   * Closes the connection, then the client (not the shared resources); {@link #drain} waits for
   * these.
   */
  private void release(RedisClient client, StatefulRedisConnection<String, String> conn) {
    CompletableFuture<Void> closed =
        conn == null ? CompletableFuture.completedFuture(null) : conn.closeAsync();
    CompletableFuture<Void> done =
        closed
            .handle((x, e) -> null)
            .thenCompose(x -> client.shutdownAsync(0, 2, TimeUnit.SECONDS));
    closing.add(done);
    done.whenComplete((x, e) -> closing.remove(done));
  }

  /** Waits (bounded) until every probe's client has shut down, before the shared resources go. */
  public void drain(Duration max) {
    try {
      CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
          .get(max.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // shutting down anyway
    }
  }

  private static Duration parseOrFail(String text, String field) {
    try {
      return Durations.parse(text, null);
    } catch (IllegalArgumentException e) {
      throw new StepFailure(
          CheckStep.SPEC.name(), "SPEC failed: " + field + " " + e.getMessage() + " (InvalidSpec)");
    }
  }
}
