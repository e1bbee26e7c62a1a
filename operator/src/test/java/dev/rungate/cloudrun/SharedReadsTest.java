package dev.rungate.cloudrun;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.run.v2.Service;
import dev.rungate.api.spec.ServiceRef;
import dev.rungate.domain.RevisionSnapshot;
import dev.rungate.domain.VpcSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The shared Admin API reads: one listing per project and region, never older than the adapter's
 * own update.
 */
@Tag("real")
class SharedReadsTest {
  private final MovingClock clock = new MovingClock();
  private final List<String> listed = new ArrayList<>();
  private final AtomicInteger etag = new AtomicInteger();
  private final ServiceListings listings =
      new ServiceListings(
          parent -> {
            synchronized (listed) {
              listed.add(parent);
            }
            String e = Integer.toString(etag.incrementAndGet());
            return List.of(
                service(parent + "/services/api", e), service(parent + "/services/web", e));
          },
          clock);
  private final ServiceRef api = new ServiceRef("proj-one", "us-central1", "api");
  private final ServiceRef web = new ServiceRef("proj-one", "us-central1", "web");

  @Test
  void policiesOfOneProjectAndRegionShareOneListingWithinTheAgeTheyAccept() {
    assertThat(listings.find(api, Duration.ofSeconds(10))).map(Service::getEtag).contains("1");
    clock.advance(Duration.ofSeconds(5));
    assertThat(listings.find(web, Duration.ofSeconds(10))).map(Service::getEtag).contains("1");
    assertThat(listings.find(api, Duration.ofSeconds(1))).map(Service::getEtag).contains("2");
    assertThat(
            listings.find(new ServiceRef("proj-two", "us-central1", "api"), Duration.ofSeconds(10)))
        .isPresent();
    assertThat(listed)
        .containsExactly(
            "projects/proj-one/locations/us-central1",
            "projects/proj-one/locations/us-central1",
            "projects/proj-two/locations/us-central1");
  }

  @Test
  void afterItsOwnUpdateTheAdapterNeverReadsThatServiceFromAnOlderListing() {
    listings.find(api, Duration.ofSeconds(10));
    listings.updated(api);
    clock.advance(Duration.ofMillis(1));
    assertThat(listings.find(web, Duration.ofSeconds(10)))
        .map(Service::getEtag)
        .as("other services share it")
        .contains("1");
    assertThat(listings.find(api, Duration.ofSeconds(10))).map(Service::getEtag).contains("2");
    assertThat(listings.find(api, Duration.ofSeconds(10))).map(Service::getEtag).contains("2");
    assertThat(listed).hasSize(2);
  }

  @Test
  void withoutPermissionToListTheServicesAreReadOneByOneAndListingIsTriedAgainLater() {
    AtomicInteger calls = new AtomicInteger();
    ServiceListings refused =
        new ServiceListings(
            parent -> {
              calls.incrementAndGet();
              throw new CloudRunException(
                  "PERMISSION_DENIED", "Permission 'run.services.list' denied", null);
            },
            clock);
    assertThat(refused.find(api, Duration.ofSeconds(1))).isEmpty();
    clock.advance(Duration.ofMinutes(5));
    assertThat(refused.find(api, Duration.ofSeconds(1))).isEmpty();
    assertThat(calls).hasValue(1);
    clock.advance(ServiceListings.DENIED_RETRY);
    refused.find(api, Duration.ofSeconds(1));
    assertThat(calls).hasValue(2);
  }

  @Test
  void otherListingErrorsReachTheCaller() {
    ServiceListings unavailable =
        new ServiceListings(
            parent -> {
              throw new CloudRunException("UNAVAILABLE", "try again", null);
            },
            clock);
    Assertions.assertThatThrownBy(() -> unavailable.find(api, Duration.ofSeconds(1)))
        .isInstanceOf(CloudRunException.class)
        .hasMessageContaining("try again");
  }

  @Test
  void aServiceTheListingDoesNotHaveIsEmpty() {
    assertThat(
            listings.find(
                new ServiceRef("proj-one", "us-central1", "gone"), Duration.ofSeconds(10)))
        .isEmpty();
  }

  @Test
  void callersArrivingDuringAListingWaitForItInsteadOfListingAgain() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    ServiceListings slow =
        new ServiceListings(
            parent -> {
              calls.incrementAndGet();
              inside.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return List.of(service(parent + "/services/api", "1"));
            },
            Clock.systemUTC());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Optional<Service>>> reads = new ArrayList<>();
      reads.add(pool.submit(() -> slow.find(api, Duration.ofSeconds(10))));
      inside.await();
      for (int i = 0; i < 7; i++) {
        reads.add(pool.submit(() -> slow.find(api, Duration.ofSeconds(10))));
      }
      Thread.sleep(200);
      release.countDown();
      for (Future<Optional<Service>> r : reads) {
        assertThat(r.get()).isPresent();
      }
      assertThat(calls).hasValue(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aRevisionWhoseReadinessEndedIsNotReadAgainUntilItsAgePasses() {
    List<String> reads = new ArrayList<>();
    RevisionSnapshot.ReadyState[] state = {RevisionSnapshot.ReadyState.RECONCILING};
    RevisionReads revisions =
        new RevisionReads(
            name -> {
              reads.add(name);
              return Optional.of(
                  new RevisionSnapshot("r", state[0], null, null, VpcSettings.NONE, Instant.EPOCH));
            },
            clock,
            Duration.ofSeconds(60));
    revisions.get("r");
    revisions.get("r");
    assertThat(reads).as("a starting revision is read every time").hasSize(2);
    state[0] = RevisionSnapshot.ReadyState.SUCCEEDED;
    assertThat(revisions.get("r").orElseThrow().isReady()).isTrue();
    clock.advance(Duration.ofSeconds(59));
    assertThat(revisions.get("r").orElseThrow().isReady()).isTrue();
    assertThat(reads).hasSize(3);
    clock.advance(Duration.ofSeconds(2));
    revisions.get("r");
    assertThat(reads).hasSize(4);
  }

  private static Service service(String name, String etag) {
    return Service.newBuilder().setName(name).setEtag(etag).build();
  }

  private static final class MovingClock extends Clock {
    private Instant now = Instant.parse("2026-11-30T12:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
