package dev.rungate.gate.instances;

import dev.rungate.api.checks.MemorystoreCheck;
import dev.rungate.domain.MemorystoreInstance;
import dev.rungate.domain.VpcSettings;
import dev.rungate.gate.status.Block;
import dev.rungate.gate.status.Reasons;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The candidate's VPC path against each instance's authorized network: Cloud Run reaches a
 * Memorystore instance only through a Serverless VPC Access connector or Direct VPC egress on the
 * instance's authorized network, in the same region. A connector's network is not part of its name,
 * so only its region is compared. Pure: no I/O.
 */
public final class InstanceNetwork {
  private InstanceNetwork() {}

  /**
   * @param project the service's project (a short network name belongs to it)
   * @param region the service's region
   */
  public static Optional<Block> mismatch(
      List<MemorystoreCheck> checks,
      Map<String, MemorystoreInstance> instances,
      String project,
      String region,
      VpcSettings candidate) {
    VpcSettings vpc = candidate == null ? VpcSettings.NONE : candidate;
    List<String> problems = new ArrayList<>();
    for (MemorystoreCheck c : checks == null ? List.<MemorystoreCheck>of() : checks) {
      MemorystoreInstance i = c.instance == null ? null : instances.get(c.name);
      if (i == null) {
        continue;
      }
      String network =
          i.authorizedNetwork() == null
              ? "projects/" + project(i) + "/global/networks/default"
              : normalise(i.authorizedNetwork(), project(i));
      if (region != null && i.region() != null && !region.equals(i.region())) {
        problems.add(
            "instance "
                + i.name()
                + " is in region "
                + i.region()
                + " but the service runs in "
                + region);
      } else if (vpc.connector() == null && vpc.network() == null) {
        problems.add(
            "the candidate has no VPC access (neither a Serverless VPC Access connector nor Direct VPC"
                + " egress), so it cannot reach instance "
                + i.name()
                + " on network "
                + network);
      } else if (vpc.connector() != null) {
        String connectorRegion = part(vpc.connector(), "locations");
        if (connectorRegion != null && i.region() != null && !connectorRegion.equals(i.region())) {
          problems.add(
              "connector "
                  + vpc.connector()
                  + " is in region "
                  + connectorRegion
                  + " but instance "
                  + i.name()
                  + " is in "
                  + i.region());
        }
      } else if (!normalise(vpc.network(), project).equals(network)) {
        problems.add(
            "the candidate's Direct VPC egress network is "
                + normalise(vpc.network(), project)
                + " but instance "
                + i.name()
                + " accepts connections only from "
                + network
                + " (authorized_network)");
      }
    }
    if (problems.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Block(
            Reasons.VPC_ACCESS_MISMATCH,
            "The candidate cannot reach its Memorystore instance: "
                + String.join("; ", problems)
                + ". Redeploy with --network/--subnet (Direct VPC egress) or --vpc-connector"
                + " on the instance's network and region."));
  }

  /**
   * projects/P/global/networks/N for a short name N, a relative name, or a full
   * https://www.googleapis.com/compute/v1/... URL.
   */
  static String normalise(String network, String project) {
    String n = network.trim();
    int projects = n.indexOf("projects/");
    if (projects >= 0) {
      n = n.substring(projects);
    } else if (n.startsWith("global/networks/")) {
      n = "projects/" + project + "/" + n;
    } else if (!n.contains("/")) {
      n = "projects/" + project + "/global/networks/" + n;
    }
    return n;
  }

  private static String project(MemorystoreInstance i) {
    return part(i.name(), "projects");
  }

  private static String part(String name, String key) {
    String[] p = name.split("/");
    for (int k = 0; k + 1 < p.length; k++) {
      if (p[k].equals(key)) {
        return p[k + 1];
      }
    }
    return null;
  }
}
