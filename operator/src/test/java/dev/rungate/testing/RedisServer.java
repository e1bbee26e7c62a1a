package dev.rungate.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server process on a free loopback port, for tests; killed on close (and at JVM
 * exit).
 */
public final class RedisServer implements AutoCloseable {
  public final int port;
  public final Path dir;
  private final Process process;
  private final Path log;
  private final List<String> args;

  private RedisServer(int port, Path dir, Process process, Path log, List<String> args) {
    this.port = port;
    this.dir = dir;
    this.process = process;
    this.log = log;
    this.args = args;
  }

  /**
   * Starts a stopped server again on the same port with the same arguments (a dependency coming
   * back).
   */
  public RedisServer restart() {
    close();
    return launch(port, dir, args, "Ready to accept connections");
  }

  /** Plain server; {@code extra} are redis-server arguments such as "--requirepass", "pw". */
  public static RedisServer start(String... extra) {
    int port = freePort();
    List<String> args = new ArrayList<>(List.of("--port", String.valueOf(port)));
    args.addAll(List.of(extra));
    return launch(port, args, "Ready to accept connections");
  }

  /** TLS-only server: no plaintext port. */
  public static RedisServer startTls(Path cert, Path key, Path ca, String... extra) {
    int port = freePort();
    List<String> args =
        new ArrayList<>(
            List.of(
                "--port",
                "0",
                "--tls-port",
                String.valueOf(port),
                "--tls-cert-file",
                cert.toString(),
                "--tls-key-file",
                key.toString(),
                "--tls-ca-cert-file",
                ca.toString(),
                "--tls-auth-clients",
                "no"));
    args.addAll(List.of(extra));
    return launch(port, args, "Ready to accept connections");
  }

  /** Replica of {@code master}; waits until the first sync finished. */
  public static RedisServer startReplica(RedisServer master) {
    int port = freePort();
    return launch(
        port,
        List.of(
            "--port",
            String.valueOf(port),
            "--replicaof",
            "127.0.0.1",
            String.valueOf(master.port)),
        "sync: Finished with success");
  }

  /**
   * Starts without waiting for readiness (e.g. to catch it while loading); waits only for the port.
   */
  public static RedisServer startNoWait(Path dir, String... extra) {
    int port = freePort();
    List<String> args = new ArrayList<>(List.of("--port", String.valueOf(port)));
    args.addAll(List.of(extra));
    return launch(port, dir, args, null);
  }

  private static RedisServer launch(int port, List<String> args, String readyLine) {
    try {
      return launch(port, Files.createTempDirectory("rungate-redis-"), args, readyLine);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static RedisServer launch(int port, Path dir, List<String> args, String readyLine) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                binary(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString(),
                "--daemonize",
                "no",
                "--protected-mode",
                "no",
                "--enable-debug-command",
                "yes"));
    cmd.addAll(args);
    Path log = dir.resolve("redis-" + port + ".log");
    try {
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      RedisServer server = new RedisServer(port, dir, p, log, args);
      Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
      server.await(readyLine);
      return server;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + cmd, e);
    }
  }

  private void await(String readyLine) throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited: " + Files.readString(log));
      }
      boolean ready =
          readyLine == null
              ? listening()
              : Files.exists(log) && Files.readString(log).contains(readyLine);
      if (ready) {
        return;
      }
      sleep(20);
    }
    close();
    throw new IllegalStateException(
        "redis-server on " + port + " not ready: " + Files.readString(log));
  }

  private boolean listening() {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public String logText() throws IOException {
    return Files.readString(log);
  }

  /** Stops the server (SIGTERM, then SIGKILL) and waits for it to exit. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** /usr/bin/redis-server, or the one on PATH. */
  public static String binary() {
    Path debian = Paths.get("/usr/bin/redis-server");
    if (Files.isExecutable(debian)) {
      return debian.toString();
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path p = Paths.get(dir, "redis-server");
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    throw new IllegalStateException("redis-server not found: run scripts/install-deps");
  }

  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
