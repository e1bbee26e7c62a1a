package dev.rungate.probe;

import dev.rungate.api.checks.DependenciesSpec;
import dev.rungate.api.checks.Durations;
import dev.rungate.api.checks.MemorystoreCheck;
import dev.rungate.api.checks.NetworkCheck;
import dev.rungate.api.spec.RevisionProbe;
import dev.rungate.api.status.CheckResult;
import dev.rungate.concurrent.DaemonPools;
import dev.rungate.domain.MemorystoreInstance;
import dev.rungate.memorystore.MemorystoreInstances;
import dev.rungate.probe.memorystore.InstanceLookup;
import dev.rungate.probe.memorystore.MemorystoreProbe;
import dev.rungate.probe.net.HttpClients;
import dev.rungate.probe.net.IdTokens;
import dev.rungate.probe.net.NetworkProbes;
import dev.rungate.probe.net.ProbeUris;
import dev.rungate.probe.step.Attempt;
import dev.rungate.probe.step.HostResolver;
import dev.rungate.secrets.SecretReader;
import io.lettuce.core.event.DefaultEventPublisherOptions;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The probes port on real networks. All checks of one call run at once on a bounded pool, so a gate
 * costs about its slowest check; a watchdog reports any check still running past its timeout (plus
 * a short grace) as a ProbeError instead of waiting for it. One Lettuce event loop serves every
 * Memorystore probe; {@link #close()} shuts it and the pools down.
 */
public final class DefaultProbes implements Probes, AutoCloseable {
  private static final Duration GRACE = Duration.ofSeconds(1);

  /** How long a reconcile waits for GetInstance before it uses the last instance seen. */
  private static final Duration INSTANCE_WAIT = Duration.ofMillis(800);

  private static final int MAX_PARALLEL = 128;
  private static final Duration POOL_KEEP_ALIVE = Duration.ofSeconds(30);

  private final ClientResources resources;
  private final ExecutorService pool;
  private final ExecutorService blocking;
  private final MemorystoreProbe memorystore;
  private final InstanceLookup instances;
  private final NetworkProbes network;

  public DefaultProbes(SecretReader secrets) {
    this(secrets, IdTokens.NONE, MemorystoreInstances.NONE);
  }

  /** With Google ID tokens for probes of private services' tag URLs. */
  public DefaultProbes(SecretReader secrets, IdTokens idTokens) {
    this(secrets, idTokens, MemorystoreInstances.NONE);
  }

  /**
   * @param instances the Memorystore Admin API, for checks that name an instance
   */
  public DefaultProbes(SecretReader secrets, MemorystoreInstances instances) {
    this(secrets, IdTokens.NONE, instances);
  }

  /**
   * With ID tokens for private tag URLs and the Memorystore Admin API for checks that name an
   * instance.
   */
  public DefaultProbes(SecretReader secrets, IdTokens idTokens, MemorystoreInstances instances) {
    // One small event loop for every Memorystore probe; no per-command latency metrics (probes time
    // themselves).
    this.resources =
        DefaultClientResources.builder()
            .ioThreadPoolSize(2)
            .computationThreadPoolSize(2)
            .commandLatencyRecorder(CommandLatencyRecorder.disabled())
            .commandLatencyPublisherOptions(DefaultEventPublisherOptions.disabled())
            .build();
    this.pool = DaemonPools.bounded("rungate-probe", MAX_PARALLEL, POOL_KEEP_ALIVE);
    this.blocking = DaemonPools.bounded("rungate-probe-io", 32, POOL_KEEP_ALIVE);
    HostResolver resolver = new HostResolver(blocking);
    this.memorystore = new MemorystoreProbe(resources, secrets, resolver, blocking);
    this.instances = new InstanceLookup(instances, blocking);
    HttpClients http = new HttpClients(blocking);
    this.network = new NetworkProbes(resolver, http, idTokens);
    WarmUp.run(resources, http);
  }

  @Override
  public List<CheckResult> checkDependencies(String namespace, DependenciesSpec deps) {
    List<Task> tasks = new ArrayList<>();
    if (deps != null && deps.memorystore != null) {
      for (MemorystoreCheck c : deps.memorystore) {
        String target =
            c.instance != null ? c.instance : c.host + ":" + (c.port == null ? 6379 : c.port);
        tasks.add(
            new Task(
                c.name,
                "memorystore",
                target,
                timeoutOf(c.timeout, MemorystoreProbe.DEFAULT_TIMEOUT),
                () -> memorystore.probe(namespace, c, instances)));
      }
    }
    if (deps != null && deps.network != null) {
      for (NetworkCheck c : deps.network) {
        Duration t = timeoutOf(c.timeout, NetworkProbes.NETWORK_TIMEOUT);
        tasks.add(
            new Task(
                c.name,
                NetworkProbes.kindOf(c),
                NetworkProbes.targetOf(c),
                t,
                () -> network.probe(c)));
      }
    }
    return runAll(tasks);
  }

  @Override
  public Map<String, MemorystoreInstance> instances(DependenciesSpec deps) {
    Map<String, MemorystoreInstance> found = new HashMap<>();
    for (MemorystoreCheck c :
        deps == null || deps.memorystore == null ? List.<MemorystoreCheck>of() : deps.memorystore) {
      if (c.instance != null) {
        try {
          instances.getWithin(c.instance, INSTANCE_WAIT).ifPresent(i -> found.put(c.name, i));
        } catch (RuntimeException e) {
          // left out: the check's probe reports why (INSTANCE step)
        }
      }
    }
    return found;
  }

  @Override
  public List<CheckResult> probeRevision(String tagUrl, List<RevisionProbe> probes) {
    return probeRevision(tagUrl, ProbeUris.serviceUrlOf(tagUrl), probes);
  }

  @Override
  public List<CheckResult> probeRevision(
      String tagUrl, String serviceUrl, List<RevisionProbe> probes) {
    String audience =
        serviceUrl == null || serviceUrl.isBlank() ? ProbeUris.serviceUrlOf(tagUrl) : serviceUrl;
    List<Task> tasks = new ArrayList<>();
    for (RevisionProbe p : probes == null ? List.<RevisionProbe>of() : probes) {
      Duration t = timeoutOf(p.timeout, NetworkProbes.REVISION_TIMEOUT);
      tasks.add(
          new Task(
              p.name,
              NetworkProbes.kindOf(p),
              NetworkProbes.targetOf(tagUrl, p),
              t,
              () -> network.probeRevision(tagUrl, audience, p)));
    }
    return runAll(tasks);
  }

  private List<CheckResult> runAll(List<Task> tasks) {
    long start = System.nanoTime();
    List<Future<CheckResult>> futures = new ArrayList<>();
    for (Task t : tasks) {
      futures.add(pool.submit(() -> guarded(t)));
    }
    List<CheckResult> results = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i++) {
      Task t = tasks.get(i);
      long waitNanos = start + t.timeout.plus(GRACE).toNanos() - System.nanoTime();
      try {
        results.add(futures.get(i).get(Math.max(0, waitNanos), TimeUnit.NANOSECONDS));
      } catch (TimeoutException e) {
        futures.get(i).cancel(true);
        results.add(
            new Attempt(t.name, t.kind, t.target, t.timeout)
                .failed(
                    "ProbeError",
                    "ProbeError: the probe did not"
                        + " finish within its timeout "
                        + Durations.format(t.timeout)
                        + " (ProbeHung); this is a bug in rungate"));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        results.add(
            new Attempt(t.name, t.kind, t.target, t.timeout)
                .failed(
                    "ProbeError",
                    "ProbeError: interrupted"
                        + " while waiting for the probe (InterruptedException)"));
      } catch (ExecutionException e) {
        results.add(new Attempt(t.name, t.kind, t.target, t.timeout).probeError(e.getCause()));
      }
    }
    return results;
  }

  /** Runs one task; any exception escaping a probe is our bug and becomes a ProbeError result. */
  private static CheckResult guarded(Task t) {
    try {
      return t.run.get();
    } catch (RuntimeException | Error e) {
      return new Attempt(t.name, t.kind, t.target, t.timeout).probeError(e);
    }
  }

  private static Duration timeoutOf(String text, Duration fallback) {
    try {
      return Durations.parse(text, fallback);
    } catch (IllegalArgumentException e) {
      return fallback; // the probe itself reports the SPEC failure
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
    memorystore.drain(Duration.ofSeconds(3));
    blocking.shutdownNow();
    resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
  }

  private record Task(
      String name, String kind, String target, Duration timeout, Supplier<CheckResult> run) {}
}
