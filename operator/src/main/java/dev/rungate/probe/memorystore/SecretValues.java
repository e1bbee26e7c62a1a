package dev.rungate.probe.memorystore;

import dev.rungate.api.checks.SecretKeyRef;
import dev.rungate.api.status.CheckStep;
import dev.rungate.probe.step.Attempt;
import dev.rungate.probe.step.Failures;
import dev.rungate.probe.step.StepFailure;
import dev.rungate.secrets.SecretReader;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads a Secret key for a check, turning every problem into a SECRET step failure that names
 * Secret and key.
 */
final class SecretValues {
  private SecretValues() {}

  /**
   * As {@link #require(SecretReader, String, SecretKeyRef, String)}, bounded by the check's
   * deadline.
   */
  static String require(
      SecretReader reader,
      String namespace,
      SecretKeyRef ref,
      String field,
      Attempt a,
      Executor executor) {
    CompletableFuture<String> f =
        CompletableFuture.supplyAsync(() -> require(reader, namespace, ref, field), executor);
    try {
      return f.get(a.remainingMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new StepFailure(
          CheckStep.SECRET.name(),
          "SECRET failed: reading Secret "
              + namespace
              + "/"
              + ref.name
              + " key '"
              + ref.key
              + "' ("
              + field
              + ") took longer than the check's timeout (TimeoutException)");
    } catch (ExecutionException e) {
      Throwable c = Failures.unwrap(e);
      if (c instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("secret read failed", c);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepFailure(
          CheckStep.SECRET.name(), "SECRET failed: interrupted (InterruptedException)");
    }
  }

  static String require(SecretReader reader, String namespace, SecretKeyRef ref, String field) {
    if (ref.name == null || ref.name.isBlank() || ref.key == null || ref.key.isBlank()) {
      throw new StepFailure(
          CheckStep.SECRET.name(),
          "SECRET failed: " + field + " needs both name and key (InvalidSpec)");
    }
    String where =
        "Secret " + namespace + "/" + ref.name + " key '" + ref.key + "' (" + field + ")";
    Optional<String> value;
    try {
      value = reader.read(namespace, ref);
    } catch (SecretReader.SecretReadException e) {
      throw new StepFailure(
          CheckStep.SECRET.name(),
          "SECRET failed: " + where + ": " + e.getMessage() + " (SecretReadException)");
    }
    if (value.isEmpty()) {
      throw new StepFailure(
          CheckStep.SECRET.name(),
          "SECRET failed: "
              + where
              + " not found (the Secret or the key does not exist;"
              + " invalid spec) (SecretNotFound)");
    }
    if (value.get().isBlank()) {
      throw new StepFailure(
          CheckStep.SECRET.name(),
          "SECRET failed: "
              + where
              + " is empty or only whitespace, an invalid spec (EmptySecret)");
    }
    return value.get();
  }
}
