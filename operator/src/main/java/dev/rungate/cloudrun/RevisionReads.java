package dev.rungate.cloudrun;

import dev.rungate.domain.RevisionSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Revision reads that do not repeat what cannot change: a revision whose Ready condition has ended
 * (succeeded or failed) keeps its configuration and readiness (later crashes of its instances show
 * in Cloud Logging, not on the revision), so it is read again only after {@code settledAge}. A
 * revision still starting is read every time.
 */
final class RevisionReads {
  private record Read(Instant at, RevisionSnapshot revision) {}

  private final Function<String, Optional<RevisionSnapshot>> read;
  private final Clock clock;
  private final Duration settledAge;
  private final Map<String, Read> settled = new ConcurrentHashMap<>();

  /** {@code read}: one revision by resource name, empty when it does not exist. */
  RevisionReads(
      Function<String, Optional<RevisionSnapshot>> read, Clock clock, Duration settledAge) {
    this.read = read;
    this.clock = clock;
    this.settledAge = settledAge;
  }

  Optional<RevisionSnapshot> get(String name) {
    Instant now = clock.instant();
    Read known = settled.get(name);
    if (known != null && !known.at().isBefore(now.minus(settledAge))) {
      return Optional.of(known.revision());
    }
    Optional<RevisionSnapshot> revision = read.apply(name);
    if (revision.isPresent() && (revision.get().isReady() || revision.get().hasFailed())) {
      settled.put(name, new Read(now, revision.get()));
    } else {
      settled.remove(name);
    }
    return revision;
  }
}
