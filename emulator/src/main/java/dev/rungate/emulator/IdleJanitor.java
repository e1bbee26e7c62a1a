package dev.rungate.emulator;

import dev.rungate.emulator.runtime.Housekeeping;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Stops revisions idle for the idle period: looks every few seconds (half the period, 1 to 5 s) on
 * a daemon thread of its own until closed.
 */
final class IdleJanitor implements AutoCloseable {
  private final ScheduledExecutorService janitor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "rungate-emulator-idle");
            t.setDaemon(true);
            return t;
          });

  IdleJanitor(Housekeeping housekeeping, Duration idleStop) {
    long every = Math.max(1, Math.min(5, idleStop.toSeconds() / 2));
    janitor.scheduleWithFixedDelay(housekeeping::stopIdle, every, every, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    janitor.shutdownNow();
  }
}
