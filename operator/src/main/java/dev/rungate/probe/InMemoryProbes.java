package dev.rungate.probe;

import dev.rungate.api.CheckResult;
import dev.rungate.api.DependenciesSpec;
import dev.rungate.api.RevisionProbe;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Every declared check passes unless a test marked it failing. For tests of the reconciler. */
public class InMemoryProbes implements Probes {
  private final Map<String, String> failing = new ConcurrentHashMap<>();

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
      deps.memorystore.forEach(m -> results.add(result(m.name, "memorystore", m.host + ":" + (m.port == null ? 6379 : m.port))));
    }
    if (deps != null && deps.network != null) {
      deps.network.forEach(n -> results.add(result(n.name, n.tcp != null ? "tcp" : n.http != null ? "http"
          : n.dns != null ? "dns" : "websocket", n.name)));
    }
    return results;
  }

  @Override
  public List<CheckResult> probeRevision(String tagUrl, List<RevisionProbe> probes) {
    return probes.stream().map(p -> result(p.name, p.http != null ? "http" : "websocket", tagUrl)).toList();
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
    r.checkedAt = java.time.Instant.now().toString();
    return r;
  }
}
