package dev.rungate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rungate.api.ReadinessPolicy;
import dev.rungate.gate.spec.SpecValidator;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * rungate lint: validates ReadinessPolicies offline (no cluster), with the CRD's schema (what
 * `kubectl apply` refuses) and the operator's own validator (what the operator would mark Invalid).
 */
@Command(
    name = "lint",
    mixinStandardHelpOptions = true,
    description = {
      "Validates ReadinessPolicy files offline: the CRD schema and the operator's validator.",
      "Other kinds in the files are skipped. Exit 0: all valid; 2: a policy is invalid or a file unreadable."
    })
public final class LintCommand implements Callable<Integer> {
  static final String API_VERSION = "rungate.dev/v1alpha1";

  @Spec CommandSpec spec;

  @Option(
      names = {"-f", "--file"},
      required = true,
      arity = "1..*",
      description =
          "YAML files (several documents each) or directories (their *.yaml and *.yml files).")
  List<Path> files;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CrdSchema schema = CrdSchema.load();
    int policies = 0;
    int invalid = 0;
    for (Path file : expand(files, err)) {
      List<JsonNode> docs;
      try {
        docs = read(file);
      } catch (IOException e) {
        err.println(file + ": cannot read as YAML (" + firstLine(e.getMessage()) + ")");
        invalid++;
        continue;
      }
      for (JsonNode doc : docs) {
        if (!"ReadinessPolicy".equals(doc.path("kind").asText())
            || !doc.path("apiVersion").asText().startsWith("rungate.dev/")) {
          continue;
        }
        policies++;
        String name = doc.path("metadata").path("name").asText("");
        List<String> problems = problems(schema, doc);
        String where = file + ": ReadinessPolicy " + (name.isEmpty() ? "(no name)" : name);
        if (problems.isEmpty()) {
          out.println(where + ": valid");
        } else {
          invalid++;
          problems.forEach(p -> err.println(where + ": " + p));
        }
      }
    }
    out.println(
        policies
            + " ReadinessPolic"
            + (policies == 1 ? "y" : "ies")
            + " checked, "
            + invalid
            + " invalid");
    out.flush();
    err.flush();
    return invalid == 0 ? 0 : 2;
  }

  /**
   * Schema problems first (kubectl apply would refuse the policy); only a schema-valid policy
   * reaches the operator.
   */
  static List<String> problems(CrdSchema schema, JsonNode doc) {
    List<String> problems = new ArrayList<>();
    if (!API_VERSION.equals(doc.path("apiVersion").asText())) {
      problems.add(
          "apiVersion: Unsupported value: \""
              + doc.path("apiVersion").asText()
              + "\": supported values: \""
              + API_VERSION
              + "\"");
    }
    if (doc.path("metadata").path("name").asText("").isEmpty()) {
      problems.add("metadata.name: Required value: name or generateName is required");
    }
    if (!doc.has("spec")) {
      problems.add("spec: Required value");
    }
    problems.addAll(schema.validate(doc));
    if (problems.isEmpty()) {
      ReadinessPolicy policy =
          new KubernetesSerialization().convertValue(doc, ReadinessPolicy.class);
      SpecValidator.validate(policy.getSpec())
          .forEach(
              p -> problems.add(p + " (the operator would set Ready=False, reason InvalidSpec)"));
    }
    return problems;
  }

  private static List<JsonNode> read(Path file) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it =
        new ObjectMapper(new YAMLFactory())
            .readerFor(JsonNode.class)
            .readValues(Files.newBufferedReader(file))) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && doc.isObject()) {
          docs.add(doc);
        }
      }
    } catch (RuntimeException e) {
      throw new IOException(e.getMessage(), e);
    }
    return docs;
  }

  private static List<Path> expand(List<Path> paths, PrintWriter err) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> walk = Files.walk(p)) {
          walk.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
              .sorted()
              .forEach(out::add);
        }
      } else {
        out.add(p);
      }
    }
    return out;
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}
