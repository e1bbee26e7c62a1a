package dev.rungate.emulator.redis;

import com.google.cloud.redis.v1.Instance;
import com.google.cloud.redis.v1.MaintenanceSchedule;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Memorystore instances that describe local redis-server processes: what GetInstance returns and
 * the AUTH string GetInstanceAuthString returns. Defaults are Memorystore's: state READY, port 6379
 * (6378 with in-transit encryption), authorized_network the project's default network, connect_mode
 * DIRECT_PEERING, transit encryption DISABLED, AUTH disabled.
 */
public final class RedisInstanceStore {
  private record Entry(Instance instance, String auth) {}

  private final Map<String, Entry> instances = new ConcurrentHashMap<>();

  /** What `rungate-emulator redis create|update` sends: only the fields set change on update. */
  public record Change(
      String name,
      String host,
      Integer port,
      Boolean tls,
      String caPem,
      String auth,
      String state,
      Instant maintenanceStart,
      Instant maintenanceEnd,
      String network) {}

  public synchronized Instance create(Change c) {
    InstanceNames.require(c.name());
    if (instances.containsKey(c.name())) {
      throw Status.ALREADY_EXISTS
          .withDescription("Instance " + c.name() + " already exists")
          .asRuntimeException();
    }
    String project = InstanceNames.project(c.name());
    String region = InstanceNames.region(c.name());
    Instant now = Instant.now();
    Instance.Builder b =
        Instance.newBuilder()
            .setName(c.name())
            .setDisplayName(InstanceNames.id(c.name()))
            .setLocationId(region + "-a")
            .setCurrentLocationId(region + "-a")
            .setRedisVersion("REDIS_7_0")
            .setTier(Instance.Tier.BASIC)
            .setMemorySizeGb(1)
            .setReservedIpRange("10.0.0.0/29")
            .setCreateTime(ts(now))
            .setState(Instance.State.READY)
            .setAuthorizedNetwork("projects/" + project + "/global/networks/default")
            .setConnectMode(Instance.ConnectMode.DIRECT_PEERING)
            .setTransitEncryptionMode(Instance.TransitEncryptionMode.DISABLED)
            .setHost(c.host() == null ? "127.0.0.1" : c.host());
    return store(apply(b, c, true), c.auth());
  }

  public synchronized Instance update(Change c) {
    Entry e = instances.get(c.name());
    if (e == null) {
      throw notFound(c.name());
    }
    return store(apply(e.instance().toBuilder(), c, false), c.auth() != null ? c.auth() : e.auth());
  }

  public Optional<Instance> get(String name) {
    return Optional.ofNullable(instances.get(name)).map(Entry::instance);
  }

  /** Instances under projects/P/locations/R; R "-" means every location, as the API allows. */
  public List<Instance> list(String parent) {
    String[] p = parent.split("/");
    if (p.length != 4 || !p[0].equals("projects") || !p[2].equals("locations")) {
      throw Status.INVALID_ARGUMENT
          .withDescription("parent must be projects/P/locations/R, got " + parent)
          .asRuntimeException();
    }
    return instances.values().stream()
        .map(Entry::instance)
        .filter(
            i ->
                InstanceNames.project(i.getName()).equals(p[1])
                    && (p[3].equals("-") || InstanceNames.region(i.getName()).equals(p[3])))
        .sorted(Comparator.comparing(Instance::getName))
        .toList();
  }

  /** Empty when AUTH is disabled ("Result is empty if AUTH is disabled for the instance"). */
  public String authString(String name) {
    Entry e = instances.get(name);
    if (e == null) {
      throw notFound(name);
    }
    return e.instance().getAuthEnabled() && e.auth() != null ? e.auth() : "";
  }

  private Instance store(Instance i, String auth) {
    instances.put(i.getName(), new Entry(i, auth));
    return i;
  }

  private static Instance apply(Instance.Builder b, Change c, boolean creating) {
    if (c.host() != null) {
      b.setHost(c.host());
    }
    if (c.tls() != null
        && !creating
        && c.tls()
            != (b.getTransitEncryptionMode()
                == Instance.TransitEncryptionMode.SERVER_AUTHENTICATION)) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              "transit_encryption_mode can only be set when the instance is" + " created")
          .asRuntimeException();
    }
    if (Boolean.TRUE.equals(c.tls())) {
      b.setTransitEncryptionMode(Instance.TransitEncryptionMode.SERVER_AUTHENTICATION);
    }
    boolean tls =
        b.getTransitEncryptionMode() == Instance.TransitEncryptionMode.SERVER_AUTHENTICATION;
    if (c.port() != null) {
      b.setPort(c.port());
    } else if (creating) {
      b.setPort(tls ? 6378 : 6379);
    }
    if (c.caPem() != null) {
      b.clearServerCaCerts().addAllServerCaCerts(CaCertificates.parse(c.caPem()));
    }
    if (c.auth() != null) {
      b.setAuthEnabled(!c.auth().isEmpty());
    }
    if (c.state() != null) {
      try {
        b.setState(Instance.State.valueOf(c.state()));
      } catch (IllegalArgumentException e) {
        throw Status.INVALID_ARGUMENT
            .withDescription("unknown state " + c.state())
            .asRuntimeException();
      }
    }
    if (c.maintenanceStart() != null) {
      Instant end =
          c.maintenanceEnd() != null ? c.maintenanceEnd() : c.maintenanceStart().plusSeconds(3600);
      b.setMaintenanceSchedule(
          MaintenanceSchedule.newBuilder()
              .setStartTime(ts(c.maintenanceStart()))
              .setEndTime(ts(end))
              .setScheduleDeadlineTime(ts(c.maintenanceStart().plusSeconds(14L * 24 * 3600))));
    } else if (c.maintenanceEnd() != null && b.hasMaintenanceSchedule()) {
      b.setMaintenanceSchedule(
          b.getMaintenanceSchedule().toBuilder().setEndTime(ts(c.maintenanceEnd())));
    }
    if (c.network() != null) {
      b.setAuthorizedNetwork(c.network());
    }
    if (tls && b.getServerCaCertsCount() == 0) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              "an instance with in-transit encryption needs --ca-file: the"
                  + " local redis-server's CA, published as server_ca_certs")
          .asRuntimeException();
    }
    return b.build();
  }

  private static RuntimeException notFound(String name) {
    return Status.NOT_FOUND
        .withDescription("Resource '" + name + "' was not found")
        .asRuntimeException();
  }

  static Timestamp ts(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }
}
