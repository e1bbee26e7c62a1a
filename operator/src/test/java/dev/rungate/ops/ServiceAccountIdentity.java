package dev.rungate.ops;

import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.rungate.testing.Repo;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The chart's identity on the real apiserver: helm/rungate rendered with helm-java, its
 * ServiceAccount and RBAC applied, and a kubeconfig holding the token kube-controller-manager
 * minted for it.
 */
final class ServiceAccountIdentity {
  static final String RELEASE = "rungate";
  private static final Set<String> APPLIED =
      Set.of("ServiceAccount", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding");

  private ServiceAccountIdentity() {}

  /** helm template rungate helm/rungate -n NS --set k=v ...: the rendered objects. */
  static List<HasMetadata> render(
      KubernetesClient client, String namespace, Map<String, String> values) {
    TemplateCommand template =
        new Helm(Repo.path("helm/rungate")).template().withName(RELEASE).withNamespace(namespace);
    values.forEach(template::set);
    List<HasMetadata> out = new ArrayList<>();
    for (String doc : template.call().split("(?m)^---\\s*$")) {
      if (!doc.replaceAll("(?m)^#.*$", "").isBlank()) {
        out.add(client.getKubernetesSerialization().unmarshal(doc, HasMetadata.class));
      }
    }
    return out;
  }

  /**
   * Applies the ServiceAccount and the RBAC objects (the Deployment cannot run here: no kubelet).
   */
  static List<HasMetadata> applyIdentity(KubernetesClient admin, List<HasMetadata> rendered) {
    List<HasMetadata> applied =
        rendered.stream().filter(o -> APPLIED.contains(o.getKind())).toList();
    for (HasMetadata o : applied) {
      admin.resource(o).create(); // namespaced objects carry their namespace from the chart
    }
    return applied;
  }

  /**
   * Waits for the ServiceAccount's token Secret (serviceaccount-token controller) and writes a
   * kubeconfig with it.
   */
  static Path kubeconfig(KubernetesClient admin, String namespace, String serviceAccount, Path dir)
      throws IOException {
    String[] token = new String[1];
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              ServiceAccount sa =
                  admin.serviceAccounts().inNamespace(namespace).withName(serviceAccount).get();
              if (sa == null || sa.getSecrets() == null || sa.getSecrets().isEmpty()) {
                return false;
              }
              Secret s =
                  admin
                      .secrets()
                      .inNamespace(namespace)
                      .withName(sa.getSecrets().get(0).getName())
                      .get();
              if (s == null || s.getData() == null || !s.getData().containsKey("token")) {
                return false;
              }
              token[0] =
                  new String(
                      Base64.getDecoder().decode(s.getData().get("token")), StandardCharsets.UTF_8);
              return true;
            });
    String server = admin.getConfiguration().getMasterUrl().replaceAll("/$", "");
    String yaml =
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: local
          cluster: {server: "%s", insecure-skip-tls-verify: true}
        users:
        - name: %s
          user: {token: "%s"}
        contexts:
        - name: sa
          context: {cluster: local, user: %s, namespace: %s}
        current-context: sa
        """
            .formatted(server, serviceAccount, token[0], serviceAccount, namespace);
    Path file =
        Files.createTempFile(
            dir,
            "sa-",
            ".kubeconfig",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, yaml);
    return file;
  }
}
