package dev.rungate.emulator;

import com.google.api.core.ApiFuture;
import com.google.api.core.ApiFutures;
import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.CreateServiceRequest;
import com.google.cloud.run.v2.Probe;
import com.google.cloud.run.v2.RevisionTemplate;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.TCPSocketAction;
import com.google.cloud.run.v2.TrafficTarget;
import com.google.cloud.run.v2.TrafficTargetAllocationType;
import com.google.cloud.run.v2.UpdateServiceRequest;
import com.google.longrunning.Operation;
import dev.rungate.emulator.rules.AdminSettings;
import dev.rungate.emulator.rules.Invokers;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A running emulator with the real clients, and the revisions the tests deploy. As a JUnit
 * extension ({@code @RegisterExtension static}) it serves one test class and is closed after it.
 * The emulator runs on a {@link MutableClock}: its reconcile time and ingestion delays pass when a
 * test advances {@link #clock}; what its revisions (real processes) do takes real time. {@link
 * #onSystemClock} is for tests whose client waits on its own (the CLI's deploy polls the operation
 * until it is done).
 */
final class EmulatorFixture implements AutoCloseable, AfterAllCallback {
  static final String PARENT = "projects/demo/locations/europe-west1";
  static final String PYTHON = "/usr/bin/python3";

  /**
   * Real time a test waits for an operation whose emulator time has passed (its revisions start for
   * real).
   */
  static final Duration PATIENCE = Duration.ofSeconds(30);

  /** The emulator's clock; null on the system clock. */
  final MutableClock clock;

  final EmulatorServer server;
  final EmulatorClients clients;

  EmulatorFixture() {
    this(MutableClock.startingNow());
  }

  private EmulatorFixture(MutableClock clock) {
    this.clock = clock;
    server =
        EmulatorServer.start(
            0,
            EmulatorConfig.defaults()
                .withDefaultStartup(Duration.ofSeconds(10))
                .withClock(clock == null ? Clock.systemUTC() : clock));
    clients = new EmulatorClients(server.endpoint());
  }

  /** An emulator whose windows pass in real time, as in serve mode. */
  static EmulatorFixture onSystemClock() {
    return new EmulatorFixture(null);
  }

  static String serviceName(String id) {
    return PARENT + "/services/" + id;
  }

  static String app(String file) {
    try {
      Path path = Paths.get(EmulatorFixture.class.getResource("/apps/" + file).toURI());
      return path.toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A template running the HTTP app that answers with its revision name. */
  static RevisionTemplate httpApp(String revision) {
    return template(revision, PYTHON, app("revision_app.py"));
  }

  static RevisionTemplate template(String revision, String... command) {
    Container container =
        Container.newBuilder()
            .setName("app")
            .setImage("europe-docker.pkg.dev/demo/app:1")
            .addAllCommand(List.of(command))
            .setStartupProbe(
                Probe.newBuilder()
                    .setTcpSocket(TCPSocketAction.getDefaultInstance())
                    .setPeriodSeconds(1)
                    .setFailureThreshold(8))
            .build();
    return RevisionTemplate.newBuilder().setRevision(revision).addContainers(container).build();
  }

  static TrafficTarget pinned(String revision, int percent, String tag) {
    return TrafficTarget.newBuilder()
        .setType(TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION)
        .setRevision(revision)
        .setPercent(percent)
        .setTag(tag)
        .build();
  }

  /**
   * Creates a service serving one ready revision and waits on the operation with the real client.
   */
  Service createReady(String id, String revision) throws Exception {
    return create(id, httpApp(revision));
  }

  /**
   * CreateService through the real client, then {@link #finish}: what {@code
   * createServiceAsync(..).get()} does.
   */
  Service create(String id, RevisionTemplate template) throws Exception {
    return finish(
        clients
            .services()
            .createServiceCallable()
            .futureCall(
                CreateServiceRequest.newBuilder()
                    .setParent(PARENT)
                    .setServiceId(id)
                    .setService(Service.newBuilder().setTemplate(template))
                    .build()));
  }

  /**
   * UpdateService through the real client, then {@link #finish}: what {@code
   * updateServiceAsync(s).get()} does.
   */
  Service update(Service service) throws Exception {
    return finish(
        clients
            .services()
            .updateServiceCallable()
            .futureCall(UpdateServiceRequest.newBuilder().setService(service).build()));
  }

  /**
   * Lets an accepted call's operation end: advances the clock past the reconcile time, waits (real
   * time) until the revisions it needs have started or failed, and returns its result through the
   * real client's operation future. Throws as {@code OperationFuture.get()} does: an
   * ExecutionException whose cause is the call's or the operation's error.
   */
  Service finish(ApiFuture<Operation> call) throws Exception {
    Operation op = call.get();
    if (clock != null) {
      clock.advance(AdminSettings.DEFAULT_RECONCILE);
    }
    return result(op);
  }

  /** As above, for an operation already returned by the call. */
  Service finish(Operation op) throws Exception {
    return finish(ApiFutures.immediateFuture(op));
  }

  /**
   * The operation's result through the real client once it is done, which needs no more emulator
   * time (its revision failed or was deleted, or its reconcile time has passed): waits for it in
   * real time.
   */
  Service result(Operation op) throws Exception {
    if (!server.await(op, PATIENCE).getDone()) {
      throw new AssertionError(
          "operation " + op.getName() + " not done within " + PATIENCE + " (real time)");
    }
    return clients.services().updateServiceOperationCallable().resumeFutureCall(op.getName()).get();
  }

  /**
   * As gcloud run deploy --allow-unauthenticated: allUsers may invoke the service (no ID token
   * needed).
   */
  void makePublic(String serviceId) {
    Invokers.allowUnauthenticated(clients.services(), serviceName(serviceId), true);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  @Override
  public void close() {
    clients.close();
    server.close();
  }
}
