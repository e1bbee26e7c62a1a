package dev.rungate.probe.memorystore;

import dev.rungate.probe.step.Attempt;
import dev.rungate.probe.step.Failures;
import dev.rungate.probe.step.StepFailure;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The ROLE and WRITE steps of a probe on its one connection, and the wait for any step's reply
 * within the probe's deadline, mapping a failure to the step that failed.
 */
final class RedisSteps {
  private RedisSteps() {}

  static String role(
      Attempt a, RedisAsyncCommands<String, String> redis, RedisFailures.Context ctx) {
    try {
      List<Object> reply =
          redis.role().toCompletableFuture().get(a.remainingMillis(), TimeUnit.MILLISECONDS);
      String r = reply.isEmpty() ? "unknown" : String.valueOf(reply.get(0));
      return "slave".equals(r) ? "replica" : r;
    } catch (Exception e) {
      StepFailure f = RedisFailures.map("ROLE", e, ctx);
      if (f != null && f.getMessage().contains("unknown command")) {
        return "unknown (ROLE not allowed)";
      }
      throw f != null ? f : new IllegalStateException("ROLE", e);
    }
  }

  static void writeRoundTrip(
      Attempt a, RedisAsyncCommands<String, String> redis, RedisFailures.Context ctx) {
    String key = "rungate:canary:" + UUID.randomUUID();
    String value = UUID.randomUUID().toString();
    await(a, "WRITE", redis.set(key, value, SetArgs.Builder.ex(30)), ctx, "WRITE");
    String read = await(a, "WRITE", redis.get(key), ctx, "WRITE");
    await(a, "WRITE", redis.del(key), ctx, "WRITE");
    if (!value.equals(read)) {
      throw new StepFailure(
          "WRITE",
          "WRITE failed: GET of the canary key returned "
              + (read == null ? "nothing" : "another value")
              + " (CanaryMismatch)");
    }
  }

  /**
   * Waits for a step's future within the probe's deadline; maps any failure to the step that
   * failed.
   */
  static <T> T await(
      Attempt a,
      String step,
      CompletionStage<T> future,
      RedisFailures.Context ctx,
      String timeoutStep) {
    CompletableFuture<T> f = future.toCompletableFuture();
    try {
      return f.get(a.remainingMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw RedisFailures.map(timeoutStep, e, ctx);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepFailure(step, step + " failed: interrupted (InterruptedException)");
    } catch (Exception e) {
      StepFailure mapped = RedisFailures.map(step, e, ctx);
      if (mapped == null) {
        throw new IllegalStateException("unexpected failure at " + step, Failures.unwrap(e));
      }
      throw mapped;
    }
  }
}
