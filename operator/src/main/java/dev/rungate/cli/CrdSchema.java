package dev.rungate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The ReadinessPolicy CRD's OpenAPI v3 schema (the generated CRD shipped in the jar), checked the
 * way the API server checks a structural schema on create: types, required fields, enums, minimum
 * and maximum, patterns, item counts and unknown fields. Messages use the API server's wording, so
 * `rungate lint` says what `kubectl apply` would.
 */
final class CrdSchema {
  static final String RESOURCE = "/META-INF/fabric8/readinesspolicies.rungate.dev-v1.yml";
  private final JsonNode root;

  private CrdSchema(JsonNode root) {
    this.root = root;
  }

  static CrdSchema load() {
    try (InputStream in = CrdSchema.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the CRD " + RESOURCE + " is missing from the jar");
      }
      JsonNode crd = new ObjectMapper(new YAMLFactory()).readTree(in);
      return new CrdSchema(crd.at("/spec/versions/0/schema/openAPIV3Schema"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The problems of one object, each "field: Reason: detail", in document order. */
  List<String> validate(JsonNode object) {
    List<String> errors = new ArrayList<>();
    JsonNode props = root.path("properties");
    for (String top : List.of("spec", "status")) {
      if (object.has(top)) {
        check(errors, top, object.get(top), props.path(top));
      }
    }
    return errors;
  }

  private void check(List<String> errors, String path, JsonNode value, JsonNode schema) {
    if (schema.isMissingNode()) {
      return;
    }
    if (value.isNull()) {
      if (!schema.path("nullable").asBoolean(false)) {
        errors.add(
            path
                + ": Invalid value: \"null\": "
                + path
                + " in body must be of type "
                + type(schema)
                + ": \"null\"");
      }
      return;
    }
    String type = type(schema);
    if (!matchesType(value, type, schema)) {
      errors.add(
          path
              + ": Invalid value: \""
              + jsonType(value)
              + "\": "
              + path
              + " in body must be of type "
              + type
              + ": \""
              + jsonType(value)
              + "\"");
      return;
    }
    if (schema.has("enum")) {
      boolean found = false;
      List<String> allowed = new ArrayList<>();
      for (JsonNode e : schema.get("enum")) {
        allowed.add("\"" + e.asText() + "\"");
        found |= e.equals(value);
      }
      if (!found) {
        errors.add(
            path
                + ": Unsupported value: "
                + value
                + ": supported values: "
                + String.join(", ", allowed));
      }
    }
    if (value.isNumber()) {
      if (schema.has("minimum") && value.asDouble() < schema.get("minimum").asDouble()) {
        errors.add(
            path
                + ": Invalid value: "
                + value
                + ": "
                + path
                + " in body should be greater than or equal to "
                + number(schema.get("minimum")));
      }
      if (schema.has("maximum") && value.asDouble() > schema.get("maximum").asDouble()) {
        errors.add(
            path
                + ": Invalid value: "
                + value
                + ": "
                + path
                + " in body should be less than or equal to "
                + number(schema.get("maximum")));
      }
    }
    if (value.isTextual()
        && schema.has("pattern")
        && !Pattern.compile(schema.get("pattern").asText()).matcher(value.asText()).find()) {
      errors.add(
          path
              + ": Invalid value: "
              + value
              + ": "
              + path
              + " in body should match '"
              + schema.get("pattern").asText()
              + "'");
    }
    if (value.isArray()) {
      if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()) {
        errors.add(
            path
                + ": Invalid value: "
                + value.size()
                + ": "
                + path
                + " in body should have at least "
                + schema.get("minItems").asInt()
                + " items");
      }
      if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
        errors.add(
            path
                + ": Too many: "
                + value.size()
                + ": must have at most "
                + schema.get("maxItems").asInt()
                + " items");
      }
      for (int i = 0; i < value.size(); i++) {
        check(errors, path + "[" + i + "]", value.get(i), schema.path("items"));
      }
    }
    if (value.isObject()) {
      checkObject(errors, path, value, schema);
    }
  }

  private void checkObject(List<String> errors, String path, JsonNode value, JsonNode schema) {
    for (JsonNode required : schema.path("required")) {
      if (!value.has(required.asText())) {
        errors.add(path + "." + required.asText() + ": Required value");
      }
    }
    JsonNode props = schema.path("properties");
    JsonNode additional = schema.path("additionalProperties");
    boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String child = path + "." + field.getKey();
      if (props.has(field.getKey())) {
        check(errors, child, field.getValue(), props.get(field.getKey()));
      } else if (additional.isObject()) {
        check(errors, child, field.getValue(), additional);
      } else if (!preserve && !props.isMissingNode()) {
        // the API server drops unknown fields silently (kubectl warns with --validate): a typo
        // loses a setting
        errors.add(
            child
                + ": Unknown field: not in the ReadinessPolicy schema (a misspelt field is dropped on apply)");
      }
    }
  }

  private static String number(JsonNode n) {
    double d = n.asDouble();
    return d == Math.rint(d) ? Long.toString((long) d) : n.asText();
  }

  private static String type(JsonNode schema) {
    return schema
        .path("type")
        .asText(
            schema.path("x-kubernetes-int-or-string").asBoolean(false)
                ? "int-or-string"
                : "object");
  }

  private static boolean matchesType(JsonNode v, String type, JsonNode schema) {
    return switch (type) {
      case "string" -> v.isTextual();
      case "integer" -> v.isIntegralNumber();
      case "number" -> v.isNumber();
      case "boolean" -> v.isBoolean();
      case "array" -> v.isArray();
      case "int-or-string" -> v.isTextual() || v.isIntegralNumber();
      default ->
          v.isObject() || schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    };
  }

  private static String jsonType(JsonNode v) {
    if (v.isTextual()) {
      return "string";
    }
    if (v.isIntegralNumber()) {
      return "integer";
    }
    if (v.isNumber()) {
      return "number";
    }
    if (v.isBoolean()) {
      return "boolean";
    }
    return v.isArray() ? "array" : "object";
  }
}
