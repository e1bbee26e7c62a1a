package dev.rungate.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renders helm/rungate with the embedded Helm (no helm binary) and parses the manifests into typed
 * objects.
 */
final class Chart {
  static final String RELEASE = "rungate";
  static final String NAMESPACE = "rungate-system";
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  private Chart() {}

  static Path dir() {
    return Repo.path("helm/rungate");
  }

  /** helm template rungate helm/rungate -n rungate-system --set k=v ... */
  static Rendered render(Map<String, Object> values) {
    return render(null, values);
  }

  /**
   * helm template ... --kube-version V: what a cluster of that version gets (null = Helm's
   * default).
   */
  static Rendered render(String kubeVersion, Map<String, Object> values) {
    TemplateCommand template =
        new Helm(dir()).template().withName(RELEASE).withNamespace(NAMESPACE);
    if (kubeVersion != null) {
      template.withKubeVersion(kubeVersion);
    }
    values.forEach(template::set);
    return new Rendered(template.call());
  }

  static Rendered render() {
    return render(Map.of());
  }

  record Rendered(String yaml) {
    List<HasMetadata> objects() {
      List<HasMetadata> out = new ArrayList<>();
      for (String doc : yaml.split("(?m)^---\\s*$")) {
        if (!doc.replaceAll("(?m)^#.*$", "").isBlank()) {
          out.add(YAML.unmarshal(doc, HasMetadata.class));
        }
      }
      return out;
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
      return objects().stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type) {
      List<T> found = all(type);
      if (found.size() != 1) {
        throw new AssertionError(
            "expected one " + type.getSimpleName() + ", found " + found.size() + " in:\n" + yaml);
      }
      return found.get(0);
    }

    <T extends HasMetadata> Optional<T> named(Class<T> type, String name) {
      return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
    }
  }
}
