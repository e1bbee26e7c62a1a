package dev.rungate.emulator.runtime;

import com.google.cloud.run.v2.Container;
import com.google.logging.type.LogSeverity;
import dev.rungate.emulator.Names;
import dev.rungate.emulator.logging.LogStore;
import dev.rungate.emulator.router.Upstream;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A BENCHMARK AID, not a fidelity default: a revision the emulator serves itself, without a
 * process, so thousands of services fit on one machine. Its container command is {@code builtin:ok}
 * (answers 200 on any path), {@code builtin:status=CODE} (answers CODE), or {@code
 * builtin:exit=CODE} (a worker that exits on startup: the same crash loop and log entries as a real
 * one, "Starting new instance", "Container called exit(CODE).", the STARTUP probe failure, every
 * second until the startup window is spent, then the revision fails). The answer's body is the
 * revision name, as the test app's. Readiness still goes through the update's long-running
 * operation.
 */
public final class BuiltinRevision implements RevisionInstance {
  public static final String PREFIX = "builtin:";
  private static final Pattern SPEC =
      Pattern.compile("builtin:(ok|status=(\\d{3})|exit=(\\d{1,3}))");
  private static final long CRASH_RESTART_MILLIS = 1000;
  private static final ScheduledExecutorService CLOCK =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "rungate-emulator-builtin");
            t.setDaemon(true);
            return t;
          });

  private final String revisionName;
  private final Container container;
  private final LogStore logs;
  private final LogStore.Source source;
  private final Listener listener;
  private final Duration startupWindow;
  private final int status;
  private final Integer exitCode;
  private boolean running;
  private boolean everReady;
  private volatile boolean failed;
  private ScheduledFuture<?> crashLoop;

  public BuiltinRevision(
      String revisionName,
      Container container,
      Duration defaultStartup,
      LogStore logs,
      Listener listener) {
    Matcher m = match(container);
    this.revisionName = revisionName;
    this.container = container;
    this.logs = logs;
    this.listener = listener;
    this.status = m.group(2) != null ? Integer.parseInt(m.group(2)) : 200;
    this.exitCode = m.group(3) != null ? Integer.valueOf(m.group(3)) : null;
    this.startupWindow = new StartupProber(container.getStartupProbe(), 0, defaultStartup).budget();
    this.source =
        new LogStore.Source(
            Names.project(revisionName),
            Names.location(revisionName),
            Names.shortName(Names.serviceOf(revisionName)),
            Names.shortName(revisionName));
  }

  /** Whether the container asks for a builtin revision (its command starts with builtin:). */
  public static boolean isBuiltin(Container container) {
    return container.getCommandCount() > 0 && container.getCommand(0).startsWith(PREFIX);
  }

  /** Refuses a builtin command the emulator does not know, naming the field and the choices. */
  public static void check(Container container) {
    match(container);
  }

  private static Matcher match(Container container) {
    String command =
        String.join(" ", container.getCommandList())
            + (container.getArgsCount() > 0 ? " " : "")
            + String.join(" ", container.getArgsList());
    Matcher m = SPEC.matcher(command);
    int code =
        !m.matches()
            ? -1
            : m.group(2) != null
                ? Integer.parseInt(m.group(2))
                : m.group(3) != null ? Integer.parseInt(m.group(3)) : 200;
    if (!m.matches()
        || m.group(2) != null && (code < 100 || code > 599)
        || m.group(3) != null && code > 255) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              "containers[0].command \""
                  + command
                  + "\" is not a builtin "
                  + "revision the emulator knows: use builtin:ok, builtin:status=CODE (100-599) or builtin:exit=CODE (0-255)")
          .asRuntimeException();
    }
    return m;
  }

  @Override
  public synchronized void ensureRunning() {
    if (running || failed) {
      return;
    }
    running = true;
    if (exitCode == null) {
      logs.system(source, LogSeverity.INFO, StartupMessages.STARTING);
      if (!everReady) {
        everReady = true;
        CLOCK.execute(
            () -> listener.onReady(revisionName)); // after the update that created it has returned
      }
      return;
    }
    // stands in for a real process, so its crash loop keeps a real process's timing (not the
    // emulator's clock)
    long deadline = System.nanoTime() + startupWindow.toNanos();
    crashLoop =
        CLOCK.scheduleWithFixedDelay(
            () -> crashOnce(deadline), 0, CRASH_RESTART_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * One start of a worker that exits at once; the revision fails once no restart fits in its
   * startup window.
   */
  private void crashOnce(long deadline) {
    synchronized (this) {
      if (!running || failed) {
        return;
      }
      logs.system(source, LogSeverity.INFO, StartupMessages.STARTING);
      logs.system(source, LogSeverity.WARNING, StartupMessages.exited(exitCode));
      logs.system(source, LogSeverity.ERROR, StartupMessages.probeFailed(container, false));
      if (System.nanoTime() + CRASH_RESTART_MILLIS * 1_000_000 < deadline) {
        return;
      }
      failed = true;
      running = false;
      crashLoop.cancel(false);
    }
    listener.onFailed(revisionName, StartupMessages.startupFailure(container));
  }

  @Override
  public synchronized void stop() {
    running = false;
    if (crashLoop != null) {
      crashLoop.cancel(false);
    }
  }

  @Override
  public boolean hasFailed() {
    return failed;
  }

  @Override
  public List<Long> pids() {
    return List.of();
  }

  @Override
  public Upstream upstream() {
    return exitCode == null
        ? Upstream.answer(status, source.revision())
        : Upstream.answer(503, "the revision's instance is not accepting connections");
  }
}
