package dev.rungate.emulator;

import java.io.File;
import java.time.Duration;

/**
 * How the emulator runs revisions: their default working directory, the startup budget of a
 * container without a startup probe, and how long a revision without traffic or tag keeps running.
 */
public record EmulatorConfig(File workdir, Duration defaultStartup, Duration idleStop) {
  public static EmulatorConfig defaults() {
    return new EmulatorConfig(new File(System.getProperty("user.dir")), Duration.ofSeconds(30), Duration.ofSeconds(60));
  }

  public EmulatorConfig withWorkdir(File dir) {
    return new EmulatorConfig(dir, defaultStartup, idleStop);
  }

  public EmulatorConfig withDefaultStartup(Duration startup) {
    return new EmulatorConfig(workdir, startup, idleStop);
  }

  public EmulatorConfig withIdleStop(Duration idle) {
    return new EmulatorConfig(workdir, defaultStartup, idle);
  }
}
