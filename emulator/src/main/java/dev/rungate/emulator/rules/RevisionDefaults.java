package dev.rungate.emulator.rules;

import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.ContainerPort;
import com.google.cloud.run.v2.ResourceRequirements;
import com.google.protobuf.Duration;

/**
 * What Cloud Run fills into a revision the client left unset (google/cloud/run/v2
 * revision_template.proto and k8s_min.proto): request timeout 300 s, 80 concurrent requests per
 * instance, 1 CPU (1000m) and 512Mi of memory per container, and container port 8080 named http1.
 */
public final class RevisionDefaults {
  public static final int MAX_CONCURRENCY = 80;
  public static final Duration TIMEOUT = Duration.newBuilder().setSeconds(300).build();
  public static final int PORT = 8080;

  private RevisionDefaults() {}

  public static Container container(Container given) {
    Container.Builder c = given.toBuilder();
    if (c.getPortsCount() == 0) {
      c.addPorts(ContainerPort.newBuilder().setName("http1").setContainerPort(PORT));
    }
    ResourceRequirements.Builder resources = c.getResources().toBuilder();
    if (!resources.containsLimits("cpu")) {
      resources.putLimits("cpu", "1000m");
    }
    if (!resources.containsLimits("memory")) {
      resources.putLimits("memory", "512Mi");
    }
    return c.setResources(resources).build();
  }
}
