package dev.rungate.reconciler;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Renders docs/api-reference.md from the generated CRD's field descriptions. */
final class ApiReference {
  private ApiReference() {}

  static String render(Path crdYaml) throws IOException {
    CustomResourceDefinition crd =
        Serialization.unmarshal(Files.readString(crdYaml), CustomResourceDefinition.class);
    var version = crd.getSpec().getVersions().get(0);
    StringBuilder md = new StringBuilder();
    md.append("# API reference: ")
        .append(crd.getSpec().getNames().getKind())
        .append(" (")
        .append(crd.getSpec().getGroup())
        .append('/')
        .append(version.getName())
        .append(")\n\n")
        .append("Generated from the CRD by `scripts/regenerate-crds`; do not edit. Short name: `")
        .append(String.join("`, `", crd.getSpec().getNames().getShortNames()))
        .append("`.\n\n")
        .append("| field | type | description |\n|---|---|---|\n");
    var root = version.getSchema().getOpenAPIV3Schema().getProperties();
    walk(md, "spec", root.get("spec"));
    walk(md, "status", root.get("status"));
    return md.toString();
  }

  private static void walk(StringBuilder md, String path, JSONSchemaProps p) {
    String type = p.getType();
    JSONSchemaProps children = p;
    if ("array".equals(type) && p.getItems() != null && p.getItems().getSchema() != null) {
      children = p.getItems().getSchema();
      type = "[]" + children.getType();
    }
    String rules = rules(p, children);
    md.append("| `")
        .append(path)
        .append("` | ")
        .append(type)
        .append(" | ")
        .append(
            p.getDescription() == null
                ? ""
                : p.getDescription().replace("|", "\\|").replace("\n", " "))
        .append(rules)
        .append(" |\n");
    Map<String, JSONSchemaProps> props = children.getProperties();
    if (props != null && !path.endsWith("conditions")) {
      props.forEach((name, child) -> walk(md, path + "." + name, child));
    }
  }

  private static String rules(JSONSchemaProps p, JSONSchemaProps items) {
    StringBuilder r = new StringBuilder();
    if (p.getEnum() != null && !p.getEnum().isEmpty()) {
      r.append(" One of: ").append(p.getEnum().stream().map(e -> e.asText()).toList()).append('.');
    }
    if (p.getPattern() != null) {
      r.append(" Pattern: `").append(p.getPattern()).append("`.");
    }
    if (p.getMinimum() != null || p.getMaximum() != null) {
      r.append(" Range: ")
          .append(p.getMinimum() == null ? "" : p.getMinimum().intValue())
          .append("..")
          .append(p.getMaximum() == null ? "" : p.getMaximum().intValue())
          .append('.');
    }
    if (items != p && items.getRequired() != null && !items.getRequired().isEmpty()) {
      r.append(" Required in each: ").append(items.getRequired()).append('.');
    } else if (p.getRequired() != null && !p.getRequired().isEmpty()) {
      r.append(" Required: ").append(p.getRequired()).append('.');
    }
    return r.toString();
  }
}
