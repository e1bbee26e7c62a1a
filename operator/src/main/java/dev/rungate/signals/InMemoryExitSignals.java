package dev.rungate.signals;

import dev.rungate.api.ServiceRef;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Exits added by a test. */
public class InMemoryExitSignals implements ExitSignals {
  private final List<ContainerExit> exits = new CopyOnWriteArrayList<>();
  private volatile String failing;

  /** From now on every read fails with this message (as Cloud Logging does on a quota or permission error); null heals. */
  public void failWith(String message) {
    failing = message;
  }

  public void add(ContainerExit exit) {
    exits.add(exit);
  }

  @Override
  public List<ContainerExit> exitsOf(ServiceRef service, String revision, Instant since) {
    if (failing != null) {
      throw new IllegalStateException(failing);
    }
    return exits.stream().filter(e -> e.revision().equals(revision) && !e.at().isBefore(since)).toList();
  }
}
