package dev.rungate.chart;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** RBAC rules flattened to "group/resource" -> verbs, the way a reviewer reads them. */
final class Rbac {
  /** What the operator needs on each watched namespace (or cluster-wide), and nothing more. */
  static final Map<String, String> POLICY_RULES =
      Map.of(
          "rungate.dev/readinesspolicies", "get,list,patch,update,watch",
          "rungate.dev/readinesspolicies/status", "get,patch,update",
          "core/secrets", "get",
          "core/events", "create,patch");

  static final Map<String, String> LEASE_RULES =
      Map.of("coordination.k8s.io/leases", "create,get,patch,update");

  private Rbac() {}

  static Map<String, String> flatten(List<PolicyRule> rules) {
    Map<String, TreeSet<String>> out = new TreeMap<>();
    for (PolicyRule rule : rules) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          String key = (group.isEmpty() ? "core" : group) + "/" + resource;
          out.computeIfAbsent(key, k -> new TreeSet<>()).addAll(rule.getVerbs());
        }
      }
    }
    Map<String, String> joined = new TreeMap<>();
    out.forEach((k, v) -> joined.put(k, String.join(",", v)));
    return joined;
  }
}
