package dev.rungate.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rungate.api.ReadinessPolicy;
import dev.rungate.api.checks.DependenciesSpec;
import dev.rungate.api.checks.MemorystoreCheck;
import dev.rungate.api.status.CheckResult;
import dev.rungate.api.status.CheckStep;
import dev.rungate.gate.spec.SpecValidator;
import dev.rungate.probe.DefaultProbes;
import dev.rungate.secrets.KubernetesSecretReader;
import dev.rungate.secrets.SecretReader;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * rungate check: runs a ReadinessPolicy's dependency probes once, from wherever the command runs.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the dependency probes of a ReadinessPolicy once and prints one line per probe.",
      "Exit 0: all passed (or nothing to probe); 1: a probe failed; 2: usage error or an invalid spec (named field)."
    })
public final class CheckCommand implements Callable<Integer> {
  enum Format {
    table,
    json
  }

  @Spec CommandSpec spec;

  @Option(
      names = {"-f", "--file"},
      required = true,
      description = "ReadinessPolicy YAML file.")
  Path file;

  @Option(
      names = "--kubeconfig",
      description =
          "Kubeconfig of the cluster holding the Secrets (only read when the policy refers to Secrets).")
  Path kubeconfig;

  @Option(
      names = {"-n", "--namespace"},
      description = "Namespace of the Secrets. Default: the policy's, else 'default'.")
  String namespace;

  @CommandLine.Mixin CloudRunOptions cloud = new CloudRunOptions();

  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      description = "table or json. Default: ${DEFAULT-VALUE}.")
  Format output;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ReadinessPolicy policy;
    try (InputStream in = Files.newInputStream(file)) {
      policy = new KubernetesSerialization().unmarshal(in, ReadinessPolicy.class);
    } catch (Exception e) {
      err.println(
          "rungate check: cannot read "
              + file
              + " as a ReadinessPolicy ("
              + e.getClass().getSimpleName()
              + ": "
              + firstLine(e.getMessage())
              + ")");
      return 2;
    }
    if (policy == null
        || (policy.getKind() != null && !"ReadinessPolicy".equals(policy.getKind()))) {
      err.println(
          "rungate check: "
              + file
              + " is not a ReadinessPolicy (kind: "
              + (policy == null ? "none" : policy.getKind())
              + ")");
      return 2;
    }
    String name =
        policy.getMetadata() == null
            ? file.getFileName().toString()
            : policy.getMetadata().getName();
    String ns =
        namespace != null
            ? namespace
            : policy.getMetadata() != null && policy.getMetadata().getNamespace() != null
                ? policy.getMetadata().getNamespace()
                : "default";
    List<String> invalid = SpecValidator.validate(policy.getSpec());
    if (!invalid.isEmpty()) {
      // the operator would refuse this policy (InvalidSpec): probing it would suggest it is fine
      invalid.forEach(p -> err.println("rungate check: " + name + ": " + p));
      err.flush();
      return 2;
    }
    DependenciesSpec deps = policy.getSpec() == null ? null : policy.getSpec().dependencies;
    if (count(deps) == 0) {
      if (output == Format.json) {
        out.println(json(name, ns, List.of()));
      } else {
        out.println("policy " + name + " has no dependencies: nothing to probe");
      }
      return 0;
    }
    List<CheckResult> results;
    KubernetesClient kube = hasSecretRefs(deps) ? kubernetes() : null;
    try (var memorystore = cloud.memorystore();
        DefaultProbes probes =
            new DefaultProbes(
                kube == null ? SecretReader.NONE : new KubernetesSecretReader(kube), memorystore)) {
      if (deps.memorystore != null && deps.memorystore.stream().anyMatch(c -> c.instance != null)) {
        memorystore.connect();
      }
      results = probes.checkDependencies(ns, deps);
    } finally {
      if (kube != null) {
        kube.close();
      }
    }
    out.println(output == Format.json ? json(name, ns, results) : ResultTable.render(results));
    out.flush();
    if (results.stream().anyMatch(r -> CheckStep.SPEC.name().equals(r.failedStep))) {
      return 2;
    }
    return results.stream().allMatch(CheckResult::ok) ? 0 : 1;
  }

  private KubernetesClient kubernetes() {
    try {
      Config base =
          kubeconfig == null
              ? Config.autoConfigure(null)
              : Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
      Config config =
          new ConfigBuilder(base)
              .withConnectionTimeout(2000)
              .withRequestTimeout(2000)
              .withRequestRetryBackoffLimit(0)
              .build();
      return new KubernetesClientBuilder().withConfig(config).build();
    } catch (IOException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "cannot read --kubeconfig " + kubeconfig + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  static int count(DependenciesSpec d) {
    return d == null
        ? 0
        : (d.memorystore == null ? 0 : d.memorystore.size())
            + (d.network == null ? 0 : d.network.size());
  }

  static boolean hasSecretRefs(DependenciesSpec d) {
    if (d == null || d.memorystore == null) {
      return false;
    }
    for (MemorystoreCheck c : d.memorystore) {
      if (c.authSecretRef != null || (c.tls != null && c.tls.caSecretRef != null)) {
        return true;
      }
    }
    return false;
  }

  private static String json(String policy, String ns, List<CheckResult> results) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("policy", policy);
    doc.put("namespace", ns);
    doc.put("passed", results.stream().allMatch(CheckResult::ok));
    doc.put("checks", results);
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write results as JSON", e);
    }
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}
