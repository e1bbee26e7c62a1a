package dev.rungate.cloudrun;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.logging.v2.LoggingClient;
import com.google.cloud.logging.v2.LoggingSettings;
import com.google.cloud.run.v2.RevisionsClient;
import com.google.cloud.run.v2.RevisionsSettings;
import com.google.cloud.run.v2.ServicesClient;
import com.google.cloud.run.v2.ServicesSettings;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The Cloud Run and Cloud Logging clients: Google's endpoints with Application Default Credentials,
 * or a plaintext host:port without credentials (the rungate emulator).
 */
public final class GoogleClients implements AutoCloseable {
  private final ManagedChannel channel;
  private final ServicesClient services;
  private final RevisionsClient revisions;
  private final LoggingClient logging;

  private GoogleClients(
      ManagedChannel channel,
      ServicesClient services,
      RevisionsClient revisions,
      LoggingClient logging) {
    this.channel = channel;
    this.services = services;
    this.revisions = revisions;
    this.logging = logging;
  }

  /** Clients built elsewhere (e.g. mocks in a unit test of an adapter); closed with this. */
  static GoogleClients of(
      ServicesClient services, RevisionsClient revisions, LoggingClient logging) {
    return new GoogleClients(null, services, revisions, logging);
  }

  /** Google's endpoints with Application Default Credentials. */
  public static GoogleClients google() {
    try {
      return new GoogleClients(
          null, ServicesClient.create(), RevisionsClient.create(), LoggingClient.create());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create Google Cloud clients (Application Default Credentials?)", e);
    }
  }

  /** A plaintext endpoint host:port without credentials, e.g. the rungate emulator. */
  public static GoogleClients plaintext(String endpoint) {
    ManagedChannel channel = ManagedChannelBuilder.forTarget(endpoint).usePlaintext().build();
    FixedTransportChannelProvider transport =
        FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
    NoCredentialsProvider none = NoCredentialsProvider.create();
    try {
      return new GoogleClients(
          channel,
          ServicesClient.create(
              ServicesSettings.newBuilder()
                  .setTransportChannelProvider(transport)
                  .setCredentialsProvider(none)
                  .build()),
          RevisionsClient.create(
              RevisionsSettings.newBuilder()
                  .setTransportChannelProvider(transport)
                  .setCredentialsProvider(none)
                  .build()),
          LoggingClient.create(
              LoggingSettings.newBuilder()
                  .setTransportChannelProvider(transport)
                  .setCredentialsProvider(none)
                  .build()));
    } catch (IOException e) {
      channel.shutdownNow();
      throw new UncheckedIOException(e);
    }
  }

  /** {@code null} or empty: Google; otherwise a plaintext host:port. */
  public static GoogleClients forEndpoint(String endpoint) {
    return endpoint == null || endpoint.isBlank() ? google() : plaintext(endpoint);
  }

  public ServicesClient services() {
    return services;
  }

  public RevisionsClient revisions() {
    return revisions;
  }

  public LoggingClient logging() {
    return logging;
  }

  @Override
  public void close() {
    services.close();
    revisions.close();
    logging.close();
    if (channel != null) {
      channel.shutdownNow();
    }
  }
}
