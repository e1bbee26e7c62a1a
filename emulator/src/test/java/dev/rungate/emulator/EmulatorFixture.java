package dev.rungate.emulator;

import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.Probe;
import com.google.cloud.run.v2.RevisionTemplate;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.TCPSocketAction;
import com.google.cloud.run.v2.TrafficTarget;
import com.google.cloud.run.v2.TrafficTargetAllocationType;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A running emulator with the real clients, and the revisions the tests deploy. As a JUnit extension
 * ({@code @RegisterExtension static}) it serves one test class and is closed after it.
 */
final class EmulatorFixture implements AutoCloseable, AfterAllCallback {
  static final String PARENT = "projects/demo/locations/europe-west1";
  static final String PYTHON = "/usr/bin/python3";

  final EmulatorServer server;
  final EmulatorClients clients;

  EmulatorFixture() {
    server = EmulatorServer.start(0, EmulatorConfig.defaults().withDefaultStartup(Duration.ofSeconds(10)));
    clients = new EmulatorClients(server.endpoint());
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
    Container container = Container.newBuilder().setName("app").setImage("europe-docker.pkg.dev/demo/app:1")
        .addAllCommand(List.of(command))
        .setStartupProbe(Probe.newBuilder().setTcpSocket(TCPSocketAction.getDefaultInstance())
            .setPeriodSeconds(1).setFailureThreshold(8))
        .build();
    return RevisionTemplate.newBuilder().setRevision(revision).addContainers(container).build();
  }

  static TrafficTarget pinned(String revision, int percent, String tag) {
    return TrafficTarget.newBuilder().setType(TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION)
        .setRevision(revision).setPercent(percent).setTag(tag).build();
  }

  /** Creates a service serving one ready revision and waits on the operation with the real client. */
  Service createReady(String id, String revision) throws Exception {
    return clients.services().createServiceAsync(PARENT,
        Service.newBuilder().setTemplate(httpApp(revision)).build(), id).get();
  }

  /** As gcloud run deploy --allow-unauthenticated: allUsers may invoke the service (no ID token needed). */
  void makePublic(String serviceId) {
    dev.rungate.emulator.rules.Invokers.allowUnauthenticated(clients.services(), serviceName(serviceId), true);
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
