package dev.rungate.cloudrun;

import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.Probe;
import com.google.cloud.run.v2.RevisionTemplate;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.TCPSocketAction;
import com.google.cloud.run.v2.TrafficTarget;
import com.google.cloud.run.v2.TrafficTargetAllocationType;
import com.google.cloud.run.v2.VpcAccess;
import dev.rungate.api.spec.ServiceRef;
import dev.rungate.emulator.EmulatorClients;

/**
 * The "gate" service the GoogleCloudRun*Test classes start from, and the revision templates and
 * traffic pins they deploy with on the emulator.
 */
final class GateServiceFixture {
  static final String SERVE = "exec /usr/bin/python3 -m http.server $PORT --bind 127.0.0.1";
  static final ServiceRef REF = new ServiceRef("demo-project", "europe-west1", "gate");

  private GateServiceFixture() {}

  /** Creates the "gate" service: its stable revision serving, on a VPC connector. */
  static void createGateService(EmulatorClients admin) throws Exception {
    VpcAccess vpc =
        VpcAccess.newBuilder()
            .setConnector("projects/demo-project/locations/europe-west1/connectors/c1")
            .setEgress(VpcAccess.VpcEgress.PRIVATE_RANGES_ONLY)
            .build();
    admin
        .services()
        .createServiceAsync(
            "projects/demo-project/locations/europe-west1",
            Service.newBuilder()
                .setTemplate(template("gate-stable", SERVE).toBuilder().setVpcAccess(vpc))
                .build(),
            "gate")
        .get();
  }

  static TrafficTarget pin(String revision, int percent, String tag) {
    return TrafficTarget.newBuilder()
        .setType(TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION)
        .setRevision(revision)
        .setPercent(percent)
        .setTag(tag)
        .build();
  }

  static RevisionTemplate template(String revision, String shell) {
    return RevisionTemplate.newBuilder()
        .setRevision(revision)
        .addContainers(
            Container.newBuilder()
                .setName("app")
                .setImage("europe-docker.pkg.dev/demo-project/app:1")
                .addCommand("sh")
                .addCommand("-c")
                .addCommand(shell)
                .setStartupProbe(
                    Probe.newBuilder()
                        .setTcpSocket(TCPSocketAction.getDefaultInstance())
                        .setPeriodSeconds(1)
                        .setFailureThreshold(8)))
        .build();
  }
}
