package dev.rungate.emulator;

import java.io.File;
import java.time.Clock;
import java.time.Duration;

/**
 * How the emulator runs revisions: their default working directory, the startup budget of a
 * container without a startup probe, how long a revision without traffic or tag keeps running, and
 * the clock every window of the emulator is measured on (reconcile, ingestion delay, Logging read
 * quota, tail sessions, idle stop, ID token expiry). The clock is the system clock unless a test
 * sets one ({@link MutableClock}); what real processes do (starting, their startup probes) always
 * takes real time.
 */
public record EmulatorConfig(
    File workdir, Duration defaultStartup, Duration idleStop, Clock clock) {
  public static EmulatorConfig defaults() {
    return new EmulatorConfig(
        new File(System.getProperty("user.dir")),
        Duration.ofSeconds(30),
        Duration.ofSeconds(60),
        Clock.systemUTC());
  }

  public EmulatorConfig withWorkdir(File dir) {
    return new EmulatorConfig(dir, defaultStartup, idleStop, clock);
  }

  public EmulatorConfig withDefaultStartup(Duration startup) {
    return new EmulatorConfig(workdir, startup, idleStop, clock);
  }

  public EmulatorConfig withIdleStop(Duration idle) {
    return new EmulatorConfig(workdir, defaultStartup, idle, clock);
  }

  /**
   * The emulator's windows on this clock; with a {@link MutableClock} they pass when the test
   * advances it.
   */
  public EmulatorConfig withClock(Clock time) {
    return new EmulatorConfig(workdir, defaultStartup, idleStop, time);
  }
}
