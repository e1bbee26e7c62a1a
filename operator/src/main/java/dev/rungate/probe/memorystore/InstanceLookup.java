package dev.rungate.probe.memorystore;

import dev.rungate.api.checks.MemorystoreCheck;
import dev.rungate.domain.MemorystoreInstance;
import dev.rungate.memorystore.MemorystoreInstances;
import dev.rungate.probe.step.Attempt;
import dev.rungate.probe.step.StepFailure;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Reads Memorystore instances (GetInstance) and, for auth: FromInstance, their AUTH string, each
 * bounded by the check's deadline. Instances are remembered for a few seconds so the probe and the
 * gate's own reads of one round share one API call; AUTH strings are never remembered.
 */
public final class InstanceLookup {
  static final Duration FRESH_FOR = Duration.ofSeconds(3);
  private final MemorystoreInstances api;
  private final Executor blocking;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(MemorystoreInstance instance, long atNanos) {}

  /** A check's instance and, when asked for, its AUTH string. */
  record Resolved(MemorystoreInstance instance, String authString) {}

  public InstanceLookup(MemorystoreInstances api, Executor blocking) {
    this.api = api;
    this.blocking = blocking;
  }

  /** The instance, from the cache when fresh; empty when it does not exist. */
  Optional<MemorystoreInstance> get(String name) {
    Cached c = cache.get(name);
    if (c != null && System.nanoTime() - c.atNanos() < FRESH_FOR.toNanos()) {
      return Optional.of(c.instance());
    }
    Optional<MemorystoreInstance> found = api.get(name);
    found.ifPresentOrElse(
        i -> cache.put(name, new Cached(i, System.nanoTime())), () -> cache.remove(name));
    return found;
  }

  /**
   * For the reconcile thread: waits at most {@code max} for GetInstance, else answers with the last
   * instance seen (so a slow Admin API never delays the exit signals); empty when none is known.
   */
  public Optional<MemorystoreInstance> getWithin(String name, Duration max) {
    CompletableFuture<Optional<MemorystoreInstance>> f =
        CompletableFuture.supplyAsync(() -> get(name), blocking);
    try {
      return f.get(max.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      Cached last = cache.get(name);
      return last == null ? Optional.empty() : Optional.of(last.instance());
    } catch (ExecutionException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** Resolves a check's instance within the attempt's deadline, or fails its INSTANCE step. */
  Resolved resolve(MemorystoreCheck check, Attempt a) {
    MemorystoreInstance instance =
        bounded(a, "GetInstance " + check.instance, () -> get(check.instance))
            .orElseThrow(
                () ->
                    new StepFailure(
                        "INSTANCE",
                        "INSTANCE failed: Memorystore instance "
                            + check.instance
                            + " not found; check spec.dependencies.memorystore[].instance (project, region, id) (InstanceNotFound)"));
    String auth = null;
    if (check.auth == MemorystoreCheck.Auth.FromInstance) {
      auth =
          bounded(
                  a,
                  "GetInstanceAuthString " + check.instance,
                  () -> api.authString(check.instance))
              .orElse(null);
      a.redact(auth);
      if (auth == null) {
        throw new StepFailure(
            "INSTANCE",
            "INSTANCE failed: auth is FromInstance but instance "
                + check.instance
                + " has AUTH disabled (GetInstanceAuthString is empty); remove auth from the check (AuthDisabled)");
      }
    }
    return new Resolved(instance, auth);
  }

  private <T> T bounded(Attempt a, String what, Supplier<T> call) {
    CompletableFuture<T> f = CompletableFuture.supplyAsync(call, blocking);
    try {
      return f.get(a.remainingMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new StepFailure(
          "INSTANCE",
          "INSTANCE failed: "
              + what
              + " took longer than the check's timeout"
              + " (TimeoutException)");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof MemorystoreInstances.LookupException l) {
        throw new StepFailure(
            "INSTANCE",
            "INSTANCE failed: " + l.getMessage() + hint(l.code()) + " (" + l.code() + ")");
      }
      throw new IllegalStateException(what + " failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepFailure("INSTANCE", "INSTANCE failed: interrupted (InterruptedException)");
    }
  }

  private static String hint(String code) {
    return "PERMISSION_DENIED".equals(code)
        ? "; grant the operator roles/redis.viewer (and"
            + " redis.instances.getAuthString for auth: FromInstance)"
        : "";
  }
}
