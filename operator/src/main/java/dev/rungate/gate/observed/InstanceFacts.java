package dev.rungate.gate.observed;

import dev.rungate.domain.MemorystoreInstance;
import dev.rungate.domain.RevisionSnapshot;
import java.util.Map;

/**
 * Memorystore instances as the Admin API describes them, by the name of the check that names them
 * (only those found), and the stable revision with its env vars (read for re-verification), or
 * null.
 */
public record InstanceFacts(Map<String, MemorystoreInstance> byCheck, RevisionSnapshot stable) {
  public static final InstanceFacts NONE = new InstanceFacts(Map.of(), null);

  public InstanceFacts {
    byCheck = byCheck == null ? Map.of() : Map.copyOf(byCheck);
  }
}
