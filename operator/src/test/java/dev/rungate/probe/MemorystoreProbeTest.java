package dev.rungate.probe;

import static dev.rungate.probe.Checks.NS;
import static dev.rungate.probe.Checks.redis;
import static dev.rungate.probe.Checks.withAuth;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rungate.api.checks.MemorystoreCheck;
import dev.rungate.api.status.CheckResult;
import dev.rungate.secrets.InMemorySecretReader;
import dev.rungate.testing.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Memorystore probe against real plaintext redis-servers: AUTH variants, write round trip, slow
 * replies.
 */
@Tag("real")
class MemorystoreProbeTest {
  static final String PASSWORD = "Zebra-7731-distinctive-pass";
  static final String WRONG = "Okapi-9924-wrong-distinctive";
  static RedisServer plain;
  static RedisServer secured;
  static InMemorySecretReader secrets =
      new InMemorySecretReader()
          .put(NS, "redis-auth", "password", PASSWORD)
          .put(NS, "stale-auth", "password", WRONG)
          .put(NS, "blank-auth", "password", " ");
  static DefaultProbes probes;

  @BeforeAll
  static void start() {
    plain = RedisServer.start();
    secured = RedisServer.start("--requirepass", PASSWORD);
    probes = new DefaultProbes(secrets);
  }

  @AfterAll
  static void stop() {
    probes.close();
    plain.close();
    secured.close();
  }

  static CheckResult probe(MemorystoreCheck c) {
    List<CheckResult> r = probes.checkDependencies(NS, Checks.deps(List.of(c), List.of()));
    assertThat(r).hasSize(1);
    return r.get(0);
  }

  @Test
  void plainServerPassesWithRoleMasterAndTimestamps() {
    CheckResult r = probe(redis("cache", plain.port));
    assertThat(r.ok()).as(r.toString()).isTrue();
    assertThat(r.failedStep).isNull();
    assertThat(r.kind).isEqualTo("memorystore");
    assertThat(r.target).isEqualTo("127.0.0.1:" + plain.port);
    assertThat(r.message).contains("PONG").contains("role master");
    assertThat(Instant.parse(r.checkedAt)).isBefore(Instant.now().plusSeconds(1));
    assertThat(r.latencyMillis)
        .isNotNull()
        .isNotNegative(); // how long: scripts/bench-probes (p50/p99)
  }

  @Test
  void writeRoundTripLeavesNoCanaryKeyBehind() {
    MemorystoreCheck c = redis("cache", plain.port);
    c.write = true;
    CheckResult r = probe(c);
    assertThat(r.ok()).as(r.toString()).isTrue();
    assertThat(r.message).contains("write round trip ok");
    RedisClient client = RedisClient.create("redis://127.0.0.1:" + plain.port);
    try (StatefulRedisConnection<String, String> conn = client.connect()) {
      assertThat(conn.sync().keys("rungate:canary:*")).isEmpty();
    } finally {
      client.shutdown();
    }
  }

  @Test
  void correctAuthStringPasses() {
    CheckResult r = probe(withAuth(redis("session", secured.port), "redis-auth", "password"));
    assertThat(r.ok()).as(r.toString()).isTrue();
    assertThat(r.message).contains("AUTH ok");
  }

  @Test
  void missingAuthIsNoauthAtAuthStep() {
    CheckResult r = probe(redis("session", secured.port));
    assertThat(r.ok()).isFalse();
    assertThat(r.failedStep).as(r.toString()).isEqualTo("AUTH");
    assertThat(r.message)
        .contains("requires an AUTH string")
        .contains("no authSecretRef")
        .contains("RedisCommandExecutionException")
        .contains("NOAUTH");
  }

  @Test
  void wrongPasswordIsWrongpassAndNeverLeaksTheSecret() throws Exception {
    CheckResult r = probe(withAuth(redis("session", secured.port), "stale-auth", "password"));
    assertThat(r.failedStep).as(r.toString()).isEqualTo("AUTH");
    assertThat(r.message).contains("WRONGPASS").contains("rejected the AUTH string");
    String everything = new ObjectMapper().writeValueAsString(r) + r;
    assertThat(everything).doesNotContain(WRONG).doesNotContain("Okapi").doesNotContain(PASSWORD);
  }

  @Test
  void passwordAgainstServerWithoutOneIsReportedAsMisconfiguredAuth() throws Exception {
    CheckResult r = probe(withAuth(redis("cache", plain.port), "redis-auth", "password"));
    assertThat(r.failedStep).as(r.toString()).isEqualTo("AUTH");
    assertThat(r.message)
        .contains("called without any password configured")
        .contains("remove authSecretRef");
    assertThat(new ObjectMapper().writeValueAsString(r)).doesNotContain(PASSWORD);
  }

  @Test
  void missingSecretNamesSecretAndKey() {
    CheckResult r = probe(withAuth(redis("cache", plain.port), "nope", "auth-string"));
    assertThat(r.failedStep).as(r.toString()).isEqualTo("SECRET");
    assertThat(r.message)
        .contains("Secret apps/nope")
        .contains("'auth-string'")
        .contains("not found");
  }

  @Test
  void blankSecretIsInvalidSpecNotAuthAttempt() {
    CheckResult r = probe(withAuth(redis("cache", secured.port), "blank-auth", "password"));
    assertThat(r.failedStep).as(r.toString()).isEqualTo("SECRET");
    assertThat(r.message).contains("blank-auth").contains("empty or only whitespace");
  }

  @Test
  void slowPingFailsLatencyBound() throws Exception {
    try (DelayProxy slowPath = new DelayProxy(plain.port, 150)) {
      MemorystoreCheck c = redis("cache", slowPath.port());
      c.maxLatency = "100ms";
      c.timeout = "3s";
      CheckResult r = probe(c);
      assertThat(r.failedStep).as(r.toString()).isEqualTo("LATENCY");
      assertThat(r.message).contains("more than maxLatency 100ms").contains("SlowReply");
      c.maxLatency = "1s";
      assertThat(probe(c).ok()).isTrue();
    }
  }

  @Test
  void serverThatDoesNotReplyInTimeFailsAtPingWithinTheTimeout() throws Exception {
    RedisServer slow = RedisServer.start();
    try {
      blockServerFor(slow, 3);
      MemorystoreCheck c = redis("cache", slow.port);
      c.timeout = "700ms";
      CheckResult r = probe(c);
      // the server answers after 3 s: failing at PING with "no reply" means the 700 ms timeout
      // ended it first
      assertThat(r.failedStep).as(r.toString()).isEqualTo("PING");
      assertThat(r.message).contains("no reply").contains("within 700ms");
    } finally {
      slow.close();
    }
  }

  /** Blocks the whole server with DEBUG SLEEP from another connection (a real slow server). */
  static void blockServerFor(RedisServer server, double seconds) throws InterruptedException {
    RedisClient client = RedisClient.create("redis://127.0.0.1:" + server.port);
    StatefulRedisConnection<String, String> conn = client.connect();
    conn.async()
        .dispatch(
            CommandType.DEBUG,
            new StatusOutput<>(StringCodec.UTF8),
            new CommandArgs<>(StringCodec.UTF8).add("SLEEP").add(String.valueOf(seconds)))
        .whenComplete(
            (ok, err) -> {
              conn.closeAsync();
              client.shutdownAsync();
            });
    Thread.sleep(50); // let the server start sleeping
  }
}
