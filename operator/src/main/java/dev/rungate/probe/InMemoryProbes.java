package dev.rungate.probe;

import dev.rungate.api.checks.DependenciesSpec;
import dev.rungate.api.spec.RevisionProbe;
import dev.rungate.api.status.CheckResult;
import dev.rungate.domain.MemorystoreInstance;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** Every declared check passes unless a test marked it failing. For tests of the reconciler. */
public class InMemoryProbes implements Probes {
  private final Map<String, String> failing = new ConcurrentHashMap<>();
  private final Map<String, MemorystoreInstance> instances = new ConcurrentHashMap<>();
  private volatile Supplier<Instant> clock = Instant::now;

  /** The clock results are stamped with (the test's own clock; the system clock by default). */
  public void setClock(Supplier<Instant> clock) {
    this.clock = clock;
  }

  /**
   * The instance a check names (by check name), as the Admin API would describe it; null forgets
   * it.
   */
  public void describe(String check, MemorystoreInstance instance) {
    if (instance == null) {
      instances.remove(check);
    } else {
      instances.put(check, instance);
    }
  }

  @Override
  public Map<String, MemorystoreInstance> instances(DependenciesSpec deps) {
    Map<String, MemorystoreInstance> found = new HashMap<>();
    if (deps != null && deps.memorystore != null) {
      deps.memorystore.stream()
          .filter(m -> m.instance != null && instances.containsKey(m.name))
          .forEach(m -> found.put(m.name, instances.get(m.name)));
    }
    return found;
  }

  /** From now on the named check fails at {@code step} with {@code message}. */
  public void fail(String name, String step, String message) {
    failing.put(name, step + "\u0000" + message);
  }

  public void heal(String name) {
    failing.remove(name);
  }

  @Override
  public List<CheckResult> checkDependencies(String namespace, DependenciesSpec deps) {
    List<CheckResult> results = new ArrayList<>();
    if (deps != null && deps.memorystore != null) {
      deps.memorystore.forEach(
          m ->
              results.add(
                  result(m.name, "memorystore", m.host + ":" + (m.port == null ? 6379 : m.port))));
    }
    if (deps != null && deps.network != null) {
      deps.network.forEach(
          n ->
              results.add(
                  result(
                      n.name,
                      n.tcp != null
                          ? "tcp"
                          : n.http != null ? "http" : n.dns != null ? "dns" : "websocket",
                      n.name)));
    }
    return results;
  }

  @Override
  public List<CheckResult> probeRevision(String tagUrl, List<RevisionProbe> probes) {
    return probes.stream()
        .map(p -> result(p.name, p.http != null ? "http" : "websocket", tagUrl))
        .toList();
  }

  private CheckResult result(String name, String kind, String target) {
    String failure = failing.get(name);
    CheckResult r;
    if (failure == null) {
      r = CheckResult.passed(name, kind, target, 1, "passed (in-memory)");
    } else {
      String[] parts = failure.split("\u0000", 2);
      r = CheckResult.failed(name, kind, target, parts[0], 1, parts[1]);
    }
    r.checkedAt = clock.get().toString();
    return r;
  }
}
