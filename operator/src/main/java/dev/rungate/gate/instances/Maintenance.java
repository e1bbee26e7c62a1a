package dev.rungate.gate.instances;

import dev.rungate.api.checks.Durations;
import dev.rungate.api.checks.MemorystoreCheck;
import dev.rungate.domain.MemorystoreInstance;
import dev.rungate.gate.spec.GateSettings;
import dev.rungate.gate.status.Block;
import dev.rungate.gate.status.Reasons;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maintenance awareness: new traffic steps wait while an instance the candidate depends on is not
 * READY, or while its scheduled maintenance is open or starts within the rollout's remaining
 * expected duration. Rollbacks are never held (the caller checks failures first). Pure: no I/O.
 */
public final class Maintenance {
  /** How far ahead a scheduled maintenance earns a Warning Event. */
  public static final Duration WARN_AHEAD = Duration.ofHours(24);

  /** How soon an instance that is not READY is looked at again. */
  static final Duration NOT_READY_RECHECK = Duration.ofSeconds(5);

  private Maintenance() {}

  /**
   * A hold, and when to look again (the window's end, or soon when the instance is merely not
   * READY).
   */
  public record Hold(Block block, Instant recheckAt) {}

  public static Optional<Hold> hold(
      List<MemorystoreCheck> checks,
      Map<String, MemorystoreInstance> instances,
      Instant now,
      Duration expected) {
    List<String> why = new ArrayList<>();
    Instant recheck = null;
    for (MemorystoreInstance i : named(checks, instances)) {
      if (!i.ready()) {
        why.add(
            "instance "
                + i.name()
                + " is "
                + i.state()
                + (i.statusMessage() == null ? "" : " (" + i.statusMessage() + ")")
                + ", not READY");
        recheck = earliest(recheck, now.plus(NOT_READY_RECHECK));
        continue;
      }
      MemorystoreInstance.Window w = i.maintenance();
      if (w != null && w.overlaps(now, now.plus(expected))) {
        boolean open = !w.start().isAfter(now);
        why.add(
            "instance "
                + i.name()
                + (open
                    ? " is in its scheduled maintenance window "
                    : " has maintenance" + " scheduled ")
                + w
                + (open
                    ? ""
                    : ", within the rollout's remaining expected duration "
                        + Durations.format(expected)));
        recheck =
            earliest(
                recheck,
                w.end() == null
                    ? now.plus(Duration.ofMinutes(1))
                    : open ? w.end() : earliest(w.start(), w.end()));
      }
    }
    if (why.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Hold(
            new Block(
                Reasons.DEPENDENCY_MAINTENANCE,
                "New steps wait: "
                    + String.join("; ", why)
                    + ". The rollout continues by itself afterwards; rollbacks are never held."
                    + " To go ahead anyway, use rungate promote."),
            recheck));
  }

  /**
   * The scheduled maintenances starting within {@link #WARN_AHEAD} of now (or open), for a Warning
   * Event.
   */
  public static Optional<String> upcoming(
      List<MemorystoreCheck> checks, Map<String, MemorystoreInstance> instances, Instant now) {
    List<String> soon = new ArrayList<>();
    for (MemorystoreInstance i : named(checks, instances)) {
      MemorystoreInstance.Window w = i.maintenance();
      if (w != null && w.overlaps(now, now.plus(WARN_AHEAD))) {
        soon.add("instance " + i.name() + " has maintenance scheduled " + w);
      }
    }
    return soon.isEmpty()
        ? Optional.empty()
        : Optional.of(
            String.join("; ", soon) + ": a rollout overlapping it is held until it ends.");
  }

  /**
   * Rollout time still ahead from {@code step}: its remaining hold plus every later step's pause.
   */
  public static Duration expectedRemaining(GateSettings s, int step, Duration heldSoFar) {
    Duration total = s.holdAt(step).minus(heldSoFar);
    for (int i = step + 1; i <= s.lastStep(); i++) {
      total = total.plus(s.holdAt(i));
    }
    return total.isNegative() ? Duration.ZERO : total;
  }

  private static List<MemorystoreInstance> named(
      List<MemorystoreCheck> checks, Map<String, MemorystoreInstance> found) {
    List<MemorystoreInstance> out = new ArrayList<>();
    for (MemorystoreCheck c : checks == null ? List.<MemorystoreCheck>of() : checks) {
      if (c.instance != null && found.containsKey(c.name)) {
        out.add(found.get(c.name));
      }
    }
    return out;
  }

  private static Instant earliest(Instant a, Instant b) {
    return a == null ? b : b.isBefore(a) ? b : a;
  }
}
