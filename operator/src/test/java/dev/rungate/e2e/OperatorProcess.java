package dev.rungate.e2e;

import dev.rungate.testing.RungateJar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The operator as its own process from operator/target/rungate.jar, as it runs in a cluster. */
final class OperatorProcess implements AutoCloseable {
  private final List<String> command;
  private final Path log;
  private Process process;

  OperatorProcess(Path kubeconfig, String namespace, String cloudRunEndpoint, Path log, String... extra) {
    this.log = log;
    command = new ArrayList<>(List.of(RungateJar.java(), "-jar", RungateJar.jar().toString(), "run",
        "--kubeconfig", kubeconfig.toString(), "-n", namespace, "--cloud-run-endpoint", cloudRunEndpoint,
        "--plaintext", "--metrics-port", "0"));
    command.addAll(List.of(extra));
  }

  OperatorProcess start() throws IOException {
    process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    return this;
  }

  /** SIGKILL: no shutdown hook, no last status write. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  String log() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
