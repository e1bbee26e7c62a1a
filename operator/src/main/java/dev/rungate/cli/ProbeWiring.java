package dev.rungate.cli;

import dev.rungate.probe.DefaultProbes;
import dev.rungate.probe.KubernetesSecretReader;
import io.fabric8.kubernetes.client.KubernetesClient;

/** The real probes (Lettuce, DNS, TCP, HTTP, WebSocket) with Secrets read from the cluster. */
final class ProbeWiring {
  private ProbeWiring() {}

  static DefaultProbes probes(KubernetesClient client) {
    return new DefaultProbes(new KubernetesSecretReader(client));
  }
}
