package dev.rungate.e2e.stack;

import dev.rungate.testing.RungateJar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** The operator as its own process from operator/target/rungate.jar, as it runs in a cluster. */
public final class OperatorProcess implements AutoCloseable {
  private final List<String> command;
  private final Path log;
  private final Map<String, String> env = new HashMap<>();
  private Process process;

  public OperatorProcess(
      Path kubeconfig, String namespace, String cloudRunEndpoint, Path log, String... extra) {
    this.log = log;
    command = new ArrayList<>(List.of(RungateJar.java()));
    command.addAll(RungateJar.operatorFlags());
    command.addAll(
        List.of(
            "-jar",
            RungateJar.jar().toString(),
            "run",
            "--kubeconfig",
            kubeconfig.toString(),
            "-n",
            namespace,
            "--cloud-run-endpoint",
            cloudRunEndpoint,
            "--plaintext",
            "--metrics-port",
            "0"));
    command.addAll(List.of(extra));
  }

  /**
   * Extra environment of the process, e.g. GCE_METADATA_HOST for the emulator's metadata server.
   */
  public OperatorProcess withEnv(Map<String, String> extra) {
    env.putAll(extra);
    return this;
  }

  public OperatorProcess start() throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    process = builder.start();
    return this;
  }

  /** SIGKILL: no shutdown hook, no last status write. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /**
   * SIGTERM, as the kubelet stops a pod: returns the exit code, or -1 if it is still running after
   * {@code within}.
   */
  public int terminate(Duration within) throws InterruptedException {
    process.destroy();
    return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  public String log() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** The operator JVM's process id (for jcmd and /proc in benchmarks). */
  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process != null && process.isAlive();
  }

  /**
   * The port of /metrics, /healthz, /readyz, from the started line (the operator is run with
   * --metrics-port 0).
   */
  public OptionalInt metricsPort() throws IOException {
    var m = Pattern.compile("metrics on http://[^:/]+:(\\d+)/metrics").matcher(log());
    return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
  }

  /**
   * Waits until this operator has looked {@code n} more times than when called (its observed
   * rounds, all policies; see {@link Rounds}): "nothing happened" is then proven, not slept on.
   */
  public void awaitMoreRounds(int n, Duration atMost) {
    Rounds.ofOperator(this).awaitMore(n, atMost);
  }

  @Override
  public void close() throws InterruptedException {
    RungateJar.noteCpu(process);
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
