package dev.rungate.signals;

import dev.rungate.api.spec.ServiceRef;
import dev.rungate.cloudrun.GoogleClients;
import dev.rungate.emulator.CallStats;
import dev.rungate.emulator.EmulatorConfig;
import dev.rungate.emulator.EmulatorServer;
import dev.rungate.emulator.logging.LogStore;
import dev.rungate.emulator.logging.LoggingConfig;
import java.time.Clock;
import java.util.Map;

/**
 * The emulator (Cloud Logging with the given settings), the real logging client on it, and
 * LoggingExitSignals.
 */
final class LogFeedFixture implements AutoCloseable {
  static final String LIST = "google.logging.v2.LoggingServiceV2/ListLogEntries";
  static final String TAIL = "google.logging.v2.LoggingServiceV2/TailLogEntries";

  final EmulatorServer emulator;
  final GoogleClients clients;
  final LoggingExitSignals signals;

  LogFeedFixture(LoggingConfig logging) {
    this(logging, Clock.systemUTC());
  }

  /**
   * On this clock: with a MutableClock, Logging's windows (ingestion delay, read quota) pass when a
   * test advances it.
   */
  LogFeedFixture(LoggingConfig logging, Clock clock) {
    emulator = EmulatorServer.start(0, EmulatorConfig.defaults().withClock(clock), logging);
    clients = GoogleClients.plaintext(emulator.endpoint());
    signals = new LoggingExitSignals(clients.logging());
  }

  static ServiceRef service(String project, String name) {
    return new ServiceRef(project, "europe-west1", name);
  }

  static LogStore.Source source(ServiceRef service, String revision) {
    return new LogStore.Source(service.project, service.region, service.name, revision);
  }

  LogStore logs() {
    return emulator.logs();
  }

  /** Logging calls (list + tail) and refusals in the project so far. */
  long loggingCalls(String project) {
    Map<String, CallStats.Counts> all = emulator.stats().of(project);
    return all.getOrDefault(LIST, new CallStats.Counts(0, 0)).calls()
        + all.getOrDefault(TAIL, new CallStats.Counts(0, 0)).calls();
  }

  long rejected(String project) {
    return emulator.stats().of(project).values().stream()
        .mapToLong(CallStats.Counts::rejected)
        .sum();
  }

  @Override
  public void close() {
    signals.close();
    clients.close();
    emulator.close();
  }
}
