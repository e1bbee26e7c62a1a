package dev.rungate.secrets;

import dev.rungate.api.checks.SecretKeyRef;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** Reads only the named Secret through the Kubernetes API (get, never list or watch). */
public final class KubernetesSecretReader implements SecretReader {
  private final KubernetesClient client;

  public KubernetesSecretReader(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Optional<String> read(String namespace, SecretKeyRef ref) {
    Secret secret;
    try {
      secret = client.secrets().inNamespace(namespace).withName(ref.name).get();
    } catch (KubernetesClientException e) {
      // The API's message names the Secret, never its data; keep only the status code and class.
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String why =
          e.getCode() > 0
              ? "HTTP " + e.getCode()
              : "API server unreachable, " + root.getClass().getSimpleName();
      throw new SecretReadException(
          "cannot read Secret "
              + namespace
              + "/"
              + ref.name
              + " (KubernetesClientException, "
              + why
              + ")",
          null);
    }
    if (secret == null) {
      return Optional.empty();
    }
    if (secret.getData() != null && secret.getData().containsKey(ref.key)) {
      String encoded = secret.getData().get(ref.key);
      return Optional.of(
          new String(
              Base64.getDecoder().decode(encoded == null ? "" : encoded), StandardCharsets.UTF_8));
    }
    if (secret.getStringData() != null && secret.getStringData().containsKey(ref.key)) {
      return Optional.ofNullable(secret.getStringData().get(ref.key));
    }
    return Optional.empty();
  }
}
