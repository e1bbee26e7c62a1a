package dev.rungate.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** --kubeconfig, shared by every command that talks to the cluster. */
public class KubeOptions {
  @Option(
      names = "--kubeconfig",
      description = "Kubeconfig file. Default: $KUBECONFIG, ~/.kube/config, or in-cluster.")
  Path kubeconfig;

  public KubernetesClient client() throws IOException {
    if (kubeconfig == null) {
      return new KubernetesClientBuilder().build();
    }
    return new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
        .build();
  }
}
