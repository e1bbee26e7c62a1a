package dev.rungate.memorystore;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.NotFoundException;
import com.google.cloud.redis.v1.CloudRedisClient;
import com.google.cloud.redis.v1.CloudRedisSettings;
import com.google.cloud.redis.v1.Instance;
import com.google.cloud.redis.v1.TlsCertificate;
import com.google.cloud.redis.v1.WeeklyMaintenanceWindow;
import com.google.protobuf.Timestamp;
import dev.rungate.domain.MemorystoreInstance;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;

/**
 * {@link MemorystoreInstances} over the Memorystore for Redis Admin API v1 (google-cloud-redis
 * {@link CloudRedisClient}): Google with Application Default Credentials, or a plaintext endpoint
 * (the emulator).
 */
public final class GoogleMemorystore implements MemorystoreInstances, AutoCloseable {
  private static final Duration RPC_TIMEOUT = Duration.ofSeconds(5);
  private final CloudRedisClient client;
  private final ManagedChannel channel;

  private GoogleMemorystore(CloudRedisClient client, ManagedChannel channel) {
    this.client = client;
    this.channel = channel;
  }

  /** Google's endpoint with Application Default Credentials. */
  public static GoogleMemorystore google() {
    try {
      return new GoogleMemorystore(
          CloudRedisClient.create(withTimeouts(CloudRedisSettings.newBuilder()).build()), null);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create the Memorystore client (Application Default Credentials?)", e);
    }
  }

  /** A plaintext host:port without credentials, e.g. the rungate emulator. */
  public static GoogleMemorystore plaintext(String endpoint) {
    ManagedChannel channel = ManagedChannelBuilder.forTarget(endpoint).usePlaintext().build();
    try {
      CloudRedisSettings.Builder settings =
          CloudRedisSettings.newBuilder()
              .setTransportChannelProvider(
                  FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
              .setCredentialsProvider(NoCredentialsProvider.create());
      return new GoogleMemorystore(
          CloudRedisClient.create(withTimeouts(settings).build()), channel);
    } catch (IOException e) {
      channel.shutdownNow();
      throw new UncheckedIOException(e);
    }
  }

  /** {@code null} or empty: Google; otherwise a plaintext host:port. */
  public static GoogleMemorystore forEndpoint(String endpoint) {
    return endpoint == null || endpoint.isBlank() ? google() : plaintext(endpoint);
  }

  private static CloudRedisSettings.Builder withTimeouts(CloudRedisSettings.Builder b) {
    b.getInstanceSettings().setSimpleTimeoutNoRetriesDuration(RPC_TIMEOUT);
    b.getInstanceAuthStringSettings().setSimpleTimeoutNoRetriesDuration(RPC_TIMEOUT);
    return b;
  }

  @Override
  public Optional<MemorystoreInstance> get(String name) {
    try {
      return Optional.of(of(client.getInstance(name)));
    } catch (NotFoundException e) {
      return Optional.empty();
    } catch (ApiException e) {
      throw failed("GetInstance", name, e);
    }
  }

  @Override
  public Optional<String> authString(String name) {
    try {
      String auth = client.getInstanceAuthString(name).getAuthString();
      return auth.isEmpty() ? Optional.empty() : Optional.of(auth);
    } catch (ApiException e) {
      throw failed("GetInstanceAuthString", name, e);
    }
  }

  /** The API's message, never a request payload: no AUTH string can be in it. */
  private static LookupException failed(String rpc, String name, ApiException e) {
    String code = e.getStatusCode().getCode().name();
    String detail = e.getMessage() == null ? code : e.getMessage().lines().findFirst().orElse(code);
    return new LookupException(code, rpc + " " + name + " failed: " + detail);
  }

  static MemorystoreInstance of(Instance i) {
    boolean tls =
        i.getTransitEncryptionMode() == Instance.TransitEncryptionMode.SERVER_AUTHENTICATION;
    List<String> cas =
        i.getServerCaCertsList().stream()
            .map(TlsCertificate::getCert)
            .filter(c -> !c.isBlank())
            .toList();
    MemorystoreInstance.Window next = null;
    if (i.hasMaintenanceSchedule() && i.getMaintenanceSchedule().hasStartTime()) {
      var m = i.getMaintenanceSchedule();
      next =
          new MemorystoreInstance.Window(
              instant(m.getStartTime()), m.hasEndTime() ? instant(m.getEndTime()) : null);
    }
    List<MemorystoreInstance.WeeklyWindow> weekly =
        !i.hasMaintenancePolicy()
            ? List.of()
            : i.getMaintenancePolicy().getWeeklyMaintenanceWindowList().stream()
                .map(GoogleMemorystore::weekly)
                .toList();
    return new MemorystoreInstance(
        i.getName(),
        i.getHost(),
        i.getPort(),
        blankToNull(i.getReadEndpoint()),
        i.getReadEndpointPort(),
        i.getAuthEnabled(),
        tls,
        cas,
        i.getState().name(),
        blankToNull(i.getStatusMessage()),
        next,
        weekly,
        blankToNull(i.getAuthorizedNetwork()),
        i.getConnectMode().name());
  }

  private static MemorystoreInstance.WeeklyWindow weekly(WeeklyMaintenanceWindow w) {
    var t = w.getStartTime();
    return new MemorystoreInstance.WeeklyWindow(
        w.getDay().name(),
        LocalTime.of(t.getHours() % 24, t.getMinutes()),
        Duration.ofSeconds(w.getDuration().getSeconds()));
  }

  private static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  @Override
  public void close() {
    client.close();
    if (channel != null) {
      channel.shutdownNow();
    }
  }
}
