package dev.rungate.signals;

import dev.rungate.api.spec.ServiceRef;
import dev.rungate.domain.ContainerExit;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Exits added by a test, delivered as Cloud Logging delivers them: an entry may become visible
 * after later ones (late and out of order), reads fail during an outage, and after it they report
 * "unknown" until the gap is read.
 */
public class InMemoryExitSignals implements ExitSignals {
  private record Entry(ContainerExit exit, Instant visibleAt) {}

  private final List<Entry> exits = new CopyOnWriteArrayList<>();
  private volatile String failing;
  private volatile Instant catchingUpUntil;
  private volatile Supplier<Instant> clock = Instant::now;

  /**
   * The clock that decides which entries are visible (the test's own clock; the system clock by
   * default).
   */
  public void setClock(Supplier<Instant> clock) {
    this.clock = clock;
  }

  /**
   * From now on every read fails with this message (as Cloud Logging does on a quota or permission
   * error); null heals.
   */
  public void failWith(String message) {
    failing = message;
  }

  /** Reads report "unknown" until then, as the feed does while it reads back what an outage hid. */
  public void catchUpUntil(Instant until) {
    catchingUpUntil = until;
  }

  public void add(ContainerExit exit) {
    exits.add(new Entry(exit, null));
  }

  /** An exit whose log entry arrives at {@code visibleAt} (later than it happened). */
  public void add(ContainerExit exit, Instant visibleAt) {
    exits.add(new Entry(exit, visibleAt));
  }

  @Override
  public List<ContainerExit> exitsOf(ServiceRef service, String revision, Instant since) {
    if (failing != null) {
      throw new IllegalStateException(failing);
    }
    Instant now = clock.get();
    Instant until = catchingUpUntil;
    if (until != null && now.isBefore(until)) {
      throw new SignalsCatchingUpException("catching up on Cloud Logging after an outage");
    }
    return exits.stream()
        .map(e -> e.visibleAt() == null || !now.isBefore(e.visibleAt()) ? e.exit() : null)
        .filter(e -> e != null && e.revision().equals(revision) && !e.at().isBefore(since))
        .toList();
  }
}
