package dev.rungate.cli;

import dev.rungate.api.ReadinessPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.io.IOException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** POLICY [-n NAMESPACE] [--kubeconfig K]: the policy a pipeline command works on. */
public class PolicyRef {
  @Parameters(index = "0", paramLabel = "POLICY", description = "ReadinessPolicy name.")
  String name;

  @Option(
      names = {"-n", "--namespace"},
      description = "Namespace. Default: the kubeconfig context's, else default.")
  String namespace;

  @Mixin KubeOptions kube;

  private KubernetesClient client;

  KubernetesClient client() throws IOException {
    if (client == null) {
      client = kube.client();
    }
    return client;
  }

  Resource<ReadinessPolicy> resource() throws IOException {
    KubernetesClient c = client();
    String ns =
        namespace != null ? namespace : c.getNamespace() != null ? c.getNamespace() : "default";
    return c.resources(ReadinessPolicy.class).inNamespace(ns).withName(name);
  }

  String describe() {
    return (namespace == null ? "" : namespace + "/") + name;
  }
}
