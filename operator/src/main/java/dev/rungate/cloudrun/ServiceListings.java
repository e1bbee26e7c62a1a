package dev.rungate.cloudrun;

import com.google.cloud.run.v2.Service;
import dev.rungate.api.spec.ServiceRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One ListServices per project and region, shared by every policy there, so Admin API reads do not
 * grow with the number of policies (platform-facts.md: the read quotas are per project and region).
 * A caller says how old a listing it accepts; callers that arrive while a listing is being fetched
 * wait for it instead of fetching their own. A listing that started before this adapter's last
 * update of a service never answers for that service: the gate always sees its own writes.
 */
final class ServiceListings {
  private record Listing(Instant started, Map<String, Service> byName) {}

  private final Function<String, List<Service>> list;
  private final Clock clock;
  private final Map<String, Listing> listings = new ConcurrentHashMap<>();
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  private final Map<String, Instant> writes = new ConcurrentHashMap<>();

  /**
   * Parents whose listing was refused (no run.services.list there, e.g. grants on single services),
   * and when.
   */
  private final Map<String, Instant> denied = new ConcurrentHashMap<>();

  static final Duration DENIED_RETRY = Duration.ofMinutes(10);

  /** {@code list}: every service under a parent (projects/P/locations/R), all pages. */
  ServiceListings(Function<String, List<Service>> list, Clock clock) {
    this.list = list;
    this.clock = clock;
  }

  /**
   * The service from a listing at most {@code maxAge} old and newer than the last update; empty if
   * not listed, or when listing is not allowed there (then retried after {@link #DENIED_RETRY}):
   * the caller reads it on its own.
   */
  Optional<Service> find(ServiceRef ref, Duration maxAge) {
    String parent = "projects/" + ref.project + "/locations/" + ref.region;
    Instant deniedAt = denied.get(parent);
    if (deniedAt != null && deniedAt.isAfter(clock.instant().minus(DENIED_RETRY))) {
      return Optional.empty();
    }
    Instant oldest = clock.instant().minus(maxAge);
    Instant written = writes.get(ref.resourceName());
    Listing listing = listings.get(parent);
    if (!fresh(listing, oldest, written)) {
      synchronized (locks.computeIfAbsent(parent, p -> new Object())) {
        listing = listings.get(parent);
        if (!fresh(listing, oldest, written)) {
          Instant started = clock.instant();
          Map<String, Service> byName = new HashMap<>();
          try {
            list.apply(parent).forEach(s -> byName.put(s.getName(), s));
          } catch (CloudRunException e) {
            if (!"PERMISSION_DENIED".equals(e.code())) {
              throw e;
            }
            denied.put(parent, clock.instant());
            return Optional.empty();
          }
          listing = new Listing(started, byName);
          listings.put(parent, listing);
        }
      }
    }
    return Optional.ofNullable(listing.byName().get(ref.resourceName()));
  }

  /**
   * This adapter has just sent an update of the service (accepted or not): older listings no longer
   * answer for it.
   */
  void updated(ServiceRef ref) {
    writes.put(ref.resourceName(), clock.instant());
  }

  private static boolean fresh(Listing listing, Instant oldest, Instant written) {
    return listing != null
        && !listing.started().isBefore(oldest)
        && (written == null || listing.started().isAfter(written));
  }
}
