package dev.rungate.emulator;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.longrunning.OperationTimedPollAlgorithm;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.run.v2.RevisionsClient;
import com.google.cloud.run.v2.RevisionsSettings;
import com.google.cloud.run.v2.ServicesClient;
import com.google.cloud.run.v2.ServicesSettings;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The real google-cloud-run clients, pointed at a plaintext emulator endpoint host:port without
 * credentials. Operations are polled every 250 ms (the client's default starts at 5 s).
 */
public final class EmulatorClients implements AutoCloseable {
  private final ManagedChannel channel;
  private final ServicesClient services;
  private final RevisionsClient revisions;

  public EmulatorClients(String endpoint) {
    channel = ManagedChannelBuilder.forTarget(endpoint).usePlaintext().build();
    TransportChannelProvider transport =
        FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
    try {
      ServicesSettings.Builder servicesSettings =
          ServicesSettings.newBuilder()
              .setTransportChannelProvider(transport)
              .setCredentialsProvider(NoCredentialsProvider.create());
      OperationTimedPollAlgorithm fast =
          OperationTimedPollAlgorithm.create(
              RetrySettings.newBuilder()
                  .setInitialRetryDelayDuration(Duration.ofMillis(250))
                  .setRetryDelayMultiplier(1.5)
                  .setMaxRetryDelayDuration(Duration.ofSeconds(2))
                  .setTotalTimeoutDuration(Duration.ofMinutes(5))
                  .setInitialRpcTimeoutDuration(Duration.ZERO)
                  .setRpcTimeoutMultiplier(1.0)
                  .setMaxRpcTimeoutDuration(Duration.ZERO)
                  .build());
      servicesSettings.createServiceOperationSettings().setPollingAlgorithm(fast);
      servicesSettings.updateServiceOperationSettings().setPollingAlgorithm(fast);
      servicesSettings.deleteServiceOperationSettings().setPollingAlgorithm(fast);
      services = ServicesClient.create(servicesSettings.build());
      revisions =
          RevisionsClient.create(
              RevisionsSettings.newBuilder()
                  .setTransportChannelProvider(transport)
                  .setCredentialsProvider(NoCredentialsProvider.create())
                  .build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public ManagedChannel channel() {
    return channel;
  }

  public ServicesClient services() {
    return services;
  }

  public RevisionsClient revisions() {
    return revisions;
  }

  @Override
  public void close() {
    services.close();
    revisions.close();
    channel.shutdownNow();
    try {
      channel.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
