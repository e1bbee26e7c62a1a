package dev.rungate.emulator;

import com.google.cloud.run.v2.RevisionTemplate;
import com.google.longrunning.Operation;
import dev.rungate.emulator.admin.AdminService;
import dev.rungate.emulator.admin.NewRevisions;
import dev.rungate.emulator.admin.OperationStore;
import dev.rungate.emulator.admin.OperationsService;
import dev.rungate.emulator.admin.RevisionsService;
import dev.rungate.emulator.admin.ServiceStore;
import dev.rungate.emulator.admin.ServicesService;
import dev.rungate.emulator.identity.IngressGuard;
import dev.rungate.emulator.identity.MetadataServer;
import dev.rungate.emulator.identity.TokenAuthority;
import dev.rungate.emulator.logging.LogStore;
import dev.rungate.emulator.logging.LoggingConfig;
import dev.rungate.emulator.logging.LoggingService;
import dev.rungate.emulator.redis.CloudRedisService;
import dev.rungate.emulator.redis.RedisAdminService;
import dev.rungate.emulator.redis.RedisInstanceStore;
import dev.rungate.emulator.router.TrafficRouter;
import dev.rungate.emulator.rules.AdminSettings;
import dev.rungate.emulator.runtime.Housekeeping;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A local Cloud Run: Services, Revisions, Operations and Logging v2 on one gRPC port, revisions run
 * as local processes behind a loopback traffic router. Close it to stop every process.
 */
public final class EmulatorServer implements AutoCloseable {
  /** The method under which {@link #stats()} counts requests the private ingress refused (403). */
  public static final String INGRESS_METHOD = "run.app/ServiceUrl";

  private static final String TAIL_METHOD = "google.logging.v2.LoggingServiceV2/TailLogEntries";
  private final Server server;
  private final TrafficRouter router;
  private final Housekeeping housekeeping;
  private final UpdateHistory history = new UpdateHistory();
  private final LogStore logs;
  private final LoggingService logging;
  private final CallStats stats = new CallStats();
  private final FaultInjector faults = new FaultInjector();
  private final RedisInstanceStore redis = new RedisInstanceStore();
  private final IdleJanitor janitor;
  private final Thread shutdownHook = new Thread(this::stopProcesses, "rungate-emulator-shutdown");
  private final ServiceStore store;
  private final OperationStore operations;
  private final TokenAuthority tokens;
  private final IngressGuard guard;
  private final MetadataServer metadata;
  private final EmulatorConfig config;
  private final Runnable catchUp = this::catchUp;

  private EmulatorServer(
      String host,
      int port,
      EmulatorConfig config,
      AdminSettings settings,
      LoggingConfig loggingConfig)
      throws IOException {
    this.config = config;
    logs = new LogStore(loggingConfig, config.clock());
    logging = new LoggingService(logs);
    faults.onArmed(
        fault -> {
          if (fault.code() != Status.Code.OK && FaultInjector.covers(fault, TAIL_METHOD)) {
            logging.endTailSessions(
                Status.fromCode(fault.code())
                    .withDescription("fault injected by rungate-emulator"));
          }
        });
    operations = new OperationStore();
    store = new ServiceStore(config, settings, operations, logs, history);
    Housekeeping[] keeper = new Housekeeping[1];
    router =
        new TrafficRouter(
            (service, revision) -> keeper[0].upstreamOf(service, revision),
            this::admits,
            InetAddress.getByName(host));
    housekeeping = new Housekeeping(store, router, config.idleStop(), config.clock());
    keeper[0] = housekeeping;
    store.attach(router);
    tokens = new TokenAuthority(settings.project(), config.clock());
    guard = new IngressGuard(tokens);
    housekeeping.guard(guard);
    metadata = new MetadataServer(host, settings.metadataPort(), settings.project(), tokens);
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
            .addService(
                ServerInterceptors.intercept(
                    new ServicesService(store, housekeeping, operations), faults))
            .addService(
                ServerInterceptors.intercept(
                    new RevisionsService(housekeeping, operations), faults))
            .addService(ServerInterceptors.intercept(new OperationsService(operations), faults))
            .addService(ServerInterceptors.intercept(logging, faults))
            .addService(AdminService.definition(faults, history, stats))
            .addService(ServerInterceptors.intercept(new CloudRedisService(redis), faults))
            .addService(RedisAdminService.definition(redis))
            .intercept(stats)
            .build()
            .start();
    janitor = new IdleJanitor(housekeeping, config.idleStop());
    if (config.clock() instanceof MutableClock test) {
      test.onAdvance(catchUp);
    }
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Does now what the emulator's timers do when they next look, by the clock's now: settles updates
   * whose reconcile time has passed (and whose revisions are ready), sends tail sessions what is
   * due and ends those past their maximum duration, stops revisions idle for the idle period. The
   * timers look every few hundred milliseconds to seconds of real time; with a {@link MutableClock}
   * this runs at each advance, so tests need not wait for them. (List makes due entries visible
   * when it reads.)
   */
  public void catchUp() {
    store.catchUp();
    logging.catchUp();
    housekeeping.stopIdle();
  }

  /** The private ingress's IAM check; a refusal is counted in {@link #stats()} as rejected. */
  private boolean admits(String serviceName, String head) {
    boolean admitted = housekeeping.admits(serviceName, head);
    if (!admitted) {
      stats.reject(Names.project(serviceName), INGRESS_METHOD);
    }
    return admitted;
  }

  /**
   * Starts on 127.0.0.1:port (0 picks a free port), with Cloud Logging's real quota and ingestion
   * delay.
   */
  public static EmulatorServer start(int port, EmulatorConfig config) {
    return start("127.0.0.1", port, config);
  }

  public static EmulatorServer start(int port, EmulatorConfig config, LoggingConfig logging) {
    return start("127.0.0.1", port, config, logging);
  }

  public static EmulatorServer start(String host, int port, EmulatorConfig config) {
    return start(host, port, config, AdminSettings.defaults(), LoggingConfig.defaults());
  }

  public static EmulatorServer start(
      String host, int port, EmulatorConfig config, LoggingConfig logging) {
    return start(host, port, config, AdminSettings.defaults(), logging);
  }

  /** As above, with how the Admin API paces updates and where its metadata server listens. */
  public static EmulatorServer start(
      String host, int port, EmulatorConfig config, AdminSettings settings) {
    return start(host, port, config, settings, LoggingConfig.defaults());
  }

  /** As above, with both the Admin API's and Cloud Logging's settings. */
  public static EmulatorServer start(
      String host, int port, EmulatorConfig config, AdminSettings settings, LoggingConfig logging) {
    try {
      return new EmulatorServer(host, port, config, settings, logging);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
    }
  }

  public int port() {
    return server.getPort();
  }

  /** host:port for ManagedChannelBuilder.forTarget(..).usePlaintext(). */
  public String endpoint() {
    return "127.0.0.1:" + port();
  }

  /** host:port of the emulated metadata server, the value for GCE_METADATA_HOST. */
  public String metadataHost() {
    return metadata.host();
  }

  /** Mints and verifies the ID tokens private services accept. */
  public TokenAuthority tokens() {
    return tokens;
  }

  /** Requests to private services refused for want of a valid ID token, since start. */
  public long ingressRejected() {
    return guard.rejected();
  }

  public UpdateHistory history() {
    return history;
  }

  public LogStore logs() {
    return logs;
  }

  /**
   * TailLogEntries sessions open now on the project: a test waits for its stream to be open before
   * writing.
   */
  public int tailSessions(String project) {
    return logging.tailSessions(project);
  }

  /** Calls served per project and method, and how many were refused (quota, auth). */
  public CallStats stats() {
    return stats;
  }

  /** The Memorystore instances served by the CloudRedis API on this port. */
  public RedisInstanceStore redis() {
    return redis;
  }

  public FaultInjector faults() {
    return faults;
  }

  /**
   * Deploys a revision in process, as {@code rungate-emulator deploy} does (a new service gets 100%
   * on LATEST; an existing one keeps its traffic, the new revision 0%, tagged when {@code tag} is
   * not null), through the same long-running operation as UpdateService. With {@link
   * BuiltinRevisions} templates this is the benchmark aid for thousands of services. Returns the
   * operation; {@link #await} waits for it.
   */
  public Operation deploy(String serviceName, RevisionTemplate template, String tag) {
    try {
      return NewRevisions.deploy(store, serviceName, template, tag);
    } catch (StatusRuntimeException e) {
      throw new IllegalArgumentException(e.getStatus().getDescription(), e);
    }
  }

  /** The operation once done, or its state when the timeout passed first. */
  public Operation await(Operation operation, Duration timeout) throws InterruptedException {
    return operations.await(operation.getName(), timeout).orElse(operation);
  }

  /** PIDs of all revision processes (and their children) now alive. */
  public List<Long> processIds() {
    return housekeeping.pids();
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  private void stopProcesses() {
    housekeeping.stopAll();
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
    if (config.clock() instanceof MutableClock test) {
      test.removeOnAdvance(catchUp);
    }
    janitor.close();
    logging.close();
    store.close();
    metadata.close();
    server.shutdown();
    stopProcesses();
    router.close();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.shutdownNow();
  }
}
