package dev.rungate.emulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A clock that moves only when told, for tests: an emulator started with it ({@link
 * EmulatorConfig#withClock}) measures its windows (reconcile, ingestion delay, Logging read quota,
 * tail sessions, idle stop, token expiry) on it, and does the work that has come due at each {@link
 * #advance} before that call returns, so a test advances time instead of sleeping. What real
 * processes do (a revision starting, its startup probe) still takes real time.
 */
public final class MutableClock extends Clock {
  private static final class State {
    private Instant now;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    private State(Instant start) {
      now = start;
    }
  }

  private final State state;
  private final ZoneId zone;

  public MutableClock(Instant start) {
    this(new State(Objects.requireNonNull(start)), ZoneOffset.UTC);
  }

  private MutableClock(State state, ZoneId zone) {
    this.state = state;
    this.zone = zone;
  }

  /**
   * Starts at the wall clock's now (to the millisecond), so timestamps stay close to real ones
   * (clients compare them with theirs).
   */
  public static MutableClock startingNow() {
    return new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
  }

  /**
   * Moves the clock forward, then runs what has come due on it (in this thread) before returning.
   */
  public void advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("a clock only moves forward, got " + by);
    }
    synchronized (state) {
      state.now = state.now.plus(by);
    }
    state.listeners.forEach(Runnable::run);
  }

  /** Runs {@code work} after every {@link #advance}, until {@link #removeOnAdvance}. */
  public void onAdvance(Runnable work) {
    state.listeners.add(work);
  }

  public void removeOnAdvance(Runnable work) {
    state.listeners.remove(work);
  }

  @Override
  public Instant instant() {
    synchronized (state) {
      return state.now;
    }
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** The same moving instant seen in another zone. */
  @Override
  public Clock withZone(ZoneId other) {
    return other.equals(zone) ? this : new MutableClock(state, other);
  }

  @Override
  public String toString() {
    return "MutableClock[" + instant() + "]";
  }
}
