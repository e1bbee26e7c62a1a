package dev.rungate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;

/** Runs a command to completion (bounded), capturing its output. */
public final class Processes {
  public record Result(int exitCode, String stdout, String stderr) {}

  private Processes() {}

  public static Result exec(String... command) {
    try {
      Process p = new ProcessBuilder(List.of(command)).start();
      var out = p.getInputStream();
      var err = p.getErrorStream();
      var stdout = new CompletableFuture<String>();
      var stderr = new CompletableFuture<String>();
      new Thread(() -> stdout.complete(read(out))).start();
      new Thread(() -> stderr.complete(read(err))).start();
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + String.join(" ", command));
      }
      return new Result(p.exitValue(), stdout.get(), stderr.get());
    } catch (IOException | InterruptedException | ExecutionException e) {
      throw new IllegalStateException("could not run " + String.join(" ", command) + ": " + e, e);
    }
  }

  /** Test assertion: the command exited 0; on failure the message carries its output. */
  public static Result assertOk(Result r) {
    Assertions.assertThat(r.exitCode())
        .as(String.join(" ", "exit", String.valueOf(r.exitCode()), r.stdout(), r.stderr()))
        .isZero();
    return r;
  }

  /** Runs and returns stdout; fails with stderr when the exit code is not 0. */
  public static String run(String... command) {
    Result r = exec(command);
    if (r.exitCode() != 0) {
      throw new IllegalStateException(
          String.join(" ", command) + " exited " + r.exitCode() + ": " + r.stderr() + r.stdout());
    }
    return r.stdout();
  }

  private static String read(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
