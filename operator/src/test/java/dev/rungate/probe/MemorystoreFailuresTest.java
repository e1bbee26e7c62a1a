package dev.rungate.probe;

import static dev.rungate.probe.Checks.NS;
import static dev.rungate.probe.Checks.redis;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rungate.api.checks.MemorystoreCheck;
import dev.rungate.api.status.CheckResult;
import dev.rungate.probe.memorystore.RedisFailures;
import dev.rungate.probe.step.StepFailure;
import dev.rungate.secrets.InMemorySecretReader;
import dev.rungate.testing.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisReadOnlyException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Memorystore failure signatures produced by real servers and sockets: refused, timeouts, replica,
 * loading, DNS.
 */
@Tag("real")
class MemorystoreFailuresTest {
  static RedisServer master;
  static RedisServer replica;
  static DefaultProbes probes;

  @BeforeAll
  static void start() {
    master = RedisServer.start();
    replica = RedisServer.startReplica(master);
    probes = new DefaultProbes(new InMemorySecretReader());
  }

  @AfterAll
  static void stop() {
    probes.close();
    replica.close();
    master.close();
  }

  static CheckResult probe(MemorystoreCheck c) {
    return probes.checkDependencies(NS, Checks.deps(List.of(c), List.of())).get(0);
  }

  @Test
  void stoppedServerIsConnectionRefused() {
    RedisServer doomed = RedisServer.start();
    int port = doomed.port;
    assertThat(probe(redis("cache", port)).ok()).isTrue();
    doomed.close();
    CheckResult r = probe(redis("cache", port));
    assertThat(r.failedStep).as(r.toString()).isEqualTo("CONNECT");
    assertThat(r.message)
        .contains("connection refused")
        .contains("127.0.0.1:" + port)
        .contains("ConnectException");
  }

  @Test
  void listenerThatNeverAnswersFailsAtPingWithinTimeout() throws Exception {
    try (SilentListener silent = new SilentListener()) {
      MemorystoreCheck c = redis("cache", silent.port());
      c.timeout = "800ms";
      long start = System.nanoTime();
      CheckResult r = probe(c);
      long took = (System.nanoTime() - start) / 1_000_000;
      assertThat(r.failedStep).as(r.toString()).isEqualTo("PING");
      assertThat(r.message)
          .contains("no reply")
          .contains("within 800ms")
          .contains("TimeoutException");
      assertThat(took).isBetween(700L, 1600L);
    }
  }

  @Test
  void fullAcceptQueueIsConnectTimeout() throws Exception {
    // A listener that never accepts, with its accept queue filled: the kernel drops further SYNs,
    // as a blackholed route does.
    try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      List<Socket> fillers = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          Socket s = new Socket();
          try {
            s.connect(full.getLocalSocketAddress(), 200);
            fillers.add(s);
          } catch (IOException e) {
            s.close();
          }
        }
        MemorystoreCheck c = redis("cache", full.getLocalPort());
        c.timeout = "1s";
        CheckResult r = probe(c);
        assertThat(r.failedStep).as(r.toString()).isEqualTo("CONNECT");
        assertThat(r.message).contains("connect timeout").contains("ConnectTimeoutException");
        assertThat(r.latencyMillis).isLessThan(1500L);
      } finally {
        for (Socket s : fillers) {
          s.close();
        }
      }
    }
  }

  @Test
  void replicaPassesReadOnlyCheckAndReportsRole() {
    CheckResult r = probe(redis("read-endpoint", replica.port));
    assertThat(r.ok()).as(r.toString()).isTrue();
    assertThat(r.message).contains("role replica");
  }

  @Test
  void writeCheckOnReplicaFailsAtRole() {
    MemorystoreCheck c = redis("primary", replica.port);
    c.write = true;
    CheckResult r = probe(c);
    assertThat(r.failedStep).as(r.toString()).isEqualTo("ROLE");
    assertThat(r.message).contains("replica").contains("write: true");
  }

  @Test
  void readonlyReplyFromRealReplicaMapsToWriteStep() {
    RedisClient client = RedisClient.create("redis://127.0.0.1:" + replica.port);
    try (StatefulRedisConnection<String, String> conn = client.connect()) {
      Exception thrown = null;
      try {
        conn.sync().set("k", "v");
      } catch (Exception e) {
        thrown = e;
      }
      assertThat(thrown).isInstanceOf(RedisReadOnlyException.class);
      StepFailure f =
          RedisFailures.map(
              "WRITE",
              thrown,
              new RedisFailures.Context("127.0.0.1:" + replica.port, false, false, 2000));
      assertThat(f.step).isEqualTo("WRITE");
      assertThat(f.getMessage())
          .contains("read-only replica")
          .contains("READONLY")
          .contains("RedisReadOnlyException");
    } finally {
      client.shutdown();
    }
  }

  @Test
  void unknownHostFailsAtDns() {
    MemorystoreCheck c = redis("cache", 6379);
    c.host = "your-redis-instance-ip.invalid";
    CheckResult r = probe(c);
    assertThat(r.failedStep).as(r.toString()).isEqualTo("DNS");
    assertThat(r.message).contains("your-redis-instance-ip.invalid");
  }

  @Test
  void hostNameIsResolvedAndReported() {
    MemorystoreCheck c = redis("cache", master.port);
    c.host = "localhost";
    CheckResult r = probe(c);
    assertThat(r.ok()).as(r.toString()).isTrue();
    assertThat(r.message).contains("localhost -> ");
  }

  @Test
  void serverLoadingItsDatasetFailsWithLoading() throws Exception {
    Path dir = Files.createTempDirectory("rungate-loading-");
    try (RedisServer writer = RedisServer.startNoWait(dir, "--rdbcompression", "no")) {
      RedisClient client = RedisClient.create("redis://127.0.0.1:" + writer.port);
      try (StatefulRedisConnection<String, String> conn = client.connect()) {
        conn.sync()
            .dispatch(
                CommandType.DEBUG,
                new StatusOutput<>(StringCodec.UTF8),
                new CommandArgs<>(StringCodec.UTF8).add("POPULATE").add(400).add("k").add(2000));
        conn.sync().save();
      } finally {
        client.shutdown();
      }
    }
    // 400 keys at 20 ms each: about 8 s of loading, with the event loop served every 1 KB.
    try (RedisServer loading =
        RedisServer.startNoWait(
            dir, "--key-load-delay", "20000", "--loading-process-events-interval-bytes", "1024")) {
      CheckResult r = probe(redis("cache", loading.port));
      assertThat(r.failedStep).as(r.toString()).isEqualTo("PING");
      assertThat(r.message).contains("loading its dataset").contains("LOADING");
    }
  }
}
