package dev.rungate.emulator;

import com.google.cloud.run.v2.TrafficTarget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Every CreateService/UpdateService call and the traffic it asked for, kept for end-to-end
 * assertions.
 */
public final class UpdateHistory {
  /**
   * One call: the traffic requested, the generation it produced (0 if rejected) and its outcome (OK
   * or a gRPC code).
   */
  public record Change(
      String service,
      Instant at,
      String method,
      List<TrafficTarget> traffic,
      long generation,
      String outcome) {
    public boolean accepted() {
      return outcome.equals("OK");
    }
  }

  private final List<Change> changes = new ArrayList<>();

  public synchronized void record(Change change) {
    changes.add(change);
  }

  /** Calls for one service (full name or short id), oldest first. */
  public synchronized List<Change> of(String service) {
    List<Change> out = new ArrayList<>();
    for (Change c : changes) {
      if (c.service().equals(service) || Names.shortName(c.service()).equals(service)) {
        out.add(c);
      }
    }
    return out;
  }
}
