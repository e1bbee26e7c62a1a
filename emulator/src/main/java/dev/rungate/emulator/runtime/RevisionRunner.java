package dev.rungate.emulator.runtime;

import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.EnvVar;
import com.google.logging.type.LogSeverity;
import dev.rungate.emulator.Names;
import dev.rungate.emulator.logging.LogStore;
import dev.rungate.emulator.router.Upstream;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Runs one revision's single instance as a local process: the container's command + args with its
 * env, PORT and K_* variables. Probes startup. A container that exits during startup is started
 * again and again until its startup window (the startup probe's budget) is spent, each time with
 * Cloud Run's log lines, then the revision fails (platform-facts.md, "A container that exits during
 * startup is restarted again and again"); a later exit is logged and the process restarted with
 * backoff.
 */
public final class RevisionRunner implements RevisionInstance {
  private static final long CRASH_RESTART_MILLIS = 1000;

  private final String revisionName;
  private final Container container;
  private final LogStore logs;
  private final LogStore.Source source;
  private final File workdir;
  private final int port;
  private final StartupProber prober;
  private final Listener listener;
  private volatile boolean stopped = true;
  private volatile boolean everReady;
  private volatile boolean failed;
  private volatile Process process;
  private Thread supervisor;
  private final List<Thread> pumps = new ArrayList<>();

  public RevisionRunner(
      String revisionName,
      Container container,
      File workdir,
      Duration defaultStartup,
      LogStore logs,
      Listener listener) {
    this.revisionName = revisionName;
    this.container = container;
    this.workdir = workdir;
    this.logs = logs;
    this.listener = listener;
    this.port = FreePorts.next();
    String service = Names.shortName(Names.serviceOf(revisionName));
    this.source =
        new LogStore.Source(
            Names.project(revisionName),
            Names.location(revisionName),
            service,
            Names.shortName(revisionName));
    this.prober = new StartupProber(container.getStartupProbe(), port, defaultStartup);
  }

  @Override
  public Upstream upstream() {
    return Upstream.port(port);
  }

  @Override
  public boolean hasFailed() {
    return failed;
  }

  /** PIDs of the running process tree, for tests that check nothing is left behind. */
  @Override
  public List<Long> pids() {
    Process p = process;
    List<Long> pids = new ArrayList<>();
    if (p != null && p.isAlive()) {
      pids.add(p.pid());
      p.descendants().forEach(d -> pids.add(d.pid()));
    }
    return pids;
  }

  /** Starts the instance unless it runs already or the revision failed. */
  @Override
  public synchronized void ensureRunning() {
    if (!stopped || failed) {
      return;
    }
    stopped = false;
    supervisor = new Thread(this::supervise, "revision-" + source.revision());
    supervisor.setDaemon(true);
    supervisor.start();
  }

  /** Stops the instance and its whole process tree; {@link #ensureRunning()} may start it again. */
  @Override
  public void stop() {
    Thread thread;
    synchronized (this) {
      stopped = true;
      thread = supervisor;
    }
    Process p = process;
    if (p != null) {
      ProcessTrees.destroy(p.toHandle(), 2000);
    }
    if (thread != null) {
      thread.interrupt();
    }
  }

  private void supervise() {
    long backoffMillis = 500;
    // a real process: its startup window, restarts and probes run on real time, whatever the
    // emulator's clock
    long startupDeadline = System.nanoTime() + prober.budget().toNanos();
    while (!stopped) {
      try {
        logs.system(source, LogSeverity.INFO, StartupMessages.STARTING);
        Process p = launch();
        StartupProber.Outcome outcome =
            everReady ? prober.await(p) : prober.await(p, startupDeadline);
        if (stopped) {
          return;
        }
        if (outcome == StartupProber.Outcome.READY) {
          backoffMillis = 500;
          if (!everReady) {
            everReady = true;
            listener.onReady(revisionName);
          }
          int code = p.waitFor();
          if (stopped) {
            return;
          }
          exited(code);
        } else {
          if (outcome == StartupProber.Outcome.EXITED) {
            exited(p.waitFor());
          } else {
            ProcessTrees.destroy(p.toHandle(), 1000);
          }
          logs.system(source, LogSeverity.ERROR, probeFailedMessage());
          if (!everReady
              && outcome == StartupProber.Outcome.EXITED
              && System.nanoTime() + CRASH_RESTART_MILLIS * 1_000_000 < startupDeadline) {
            Thread.sleep(
                CRASH_RESTART_MILLIS); // crash loop: started again within the startup window
            continue;
          }
          if (!everReady) {
            failed = true;
            stopped = true;
            listener.onFailed(revisionName, StartupMessages.startupFailure(container));
            return;
          }
        }
        Thread.sleep(backoffMillis);
        backoffMillis = Math.min(backoffMillis * 2, 10_000);
      } catch (InterruptedException e) {
        return;
      } catch (IOException e) {
        logs.system(
            source,
            LogSeverity.ERROR,
            "Failed to start container \"" + StartupMessages.containerName(container) + "\": " + e);
        failed = true;
        stopped = true;
        listener.onFailed(revisionName, StartupMessages.startupFailure(container));
        return;
      }
    }
  }

  private void exited(int code) throws InterruptedException {
    for (Thread pump : pumps) {
      pump.join(1000);
    }
    logs.system(source, LogSeverity.WARNING, StartupMessages.exited(code));
  }

  private String probeFailedMessage() {
    return StartupMessages.probeFailed(container, prober.isHttp());
  }

  private Process launch() throws IOException {
    List<String> command = new ArrayList<>(container.getCommandList());
    command.addAll(container.getArgsList());
    ProcessBuilder builder = new ProcessBuilder(command).directory(workdir);
    Map<String, String> env = builder.environment();
    env.keySet().retainAll(List.of("PATH", "HOME", "LANG", "TMPDIR", "JAVA_HOME", "USER"));
    for (EnvVar var : container.getEnvList()) {
      env.put(var.getName(), var.getValue());
    }
    env.put("PORT", Integer.toString(port));
    env.put("K_SERVICE", source.service());
    env.put("K_REVISION", source.revision());
    env.put("K_CONFIGURATION", source.service());
    Process started = builder.start();
    process = started;
    pumps.clear();
    pump(started.getInputStream(), logs::stdout);
    pump(started.getErrorStream(), logs::stderr);
    return started;
  }

  private void pump(InputStream stream, BiConsumer<LogStore.Source, String> sink) {
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                  sink.accept(source, line);
                }
              } catch (IOException closed) {
                // the process ended
              }
            },
            "log-" + source.revision());
    pump.setDaemon(true);
    pumps.add(pump);
    pump.start();
  }
}
