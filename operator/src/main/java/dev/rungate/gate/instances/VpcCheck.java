package dev.rungate.gate.instances;

import dev.rungate.api.spec.VpcAccessSpec;
import dev.rungate.domain.VpcSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Compares the candidate's VPC access with what the policy expects; the mismatch message names both
 * values.
 */
public final class VpcCheck {
  private VpcCheck() {}

  public static Optional<String> mismatch(VpcAccessSpec expected, VpcSettings actual) {
    if (expected == null) {
      return Optional.empty();
    }
    VpcSettings got = actual == null ? VpcSettings.NONE : actual;
    List<String> diffs = new ArrayList<>();
    compareConnector(diffs, expected.connector, got.connector());
    compare(diffs, "network", expected.network, got.network());
    compare(diffs, "subnetwork", expected.subnetwork, got.subnetwork());
    if (expected.egress != null && !expected.egress.name().equals(got.effectiveEgress())) {
      diffs.add("egress is " + got.effectiveEgress() + ", expected " + expected.egress.name());
    }
    if (diffs.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "The candidate's VPC access does not match spec.revision.vpcAccess: "
            + String.join("; ", diffs)
            + ". Without the right VPC path the revision cannot reach private dependencies such as Memorystore."
            + " Redeploy with the expected settings or correct the policy.");
  }

  /**
   * Cloud Run stores a connector as the client sent it, a short name or the full path
   * projects/P/locations/R/connectors/C (platform-facts.md, "VPC connector"): compare by the
   * connector's name, and by project and region as well when both sides give them.
   */
  private static void compareConnector(List<String> diffs, String expected, String actual) {
    if (expected != null && (actual == null || !sameConnector(expected, actual))) {
      diffs.add("connector is " + (actual == null ? "not set" : actual) + ", expected " + expected);
    }
  }

  static boolean sameConnector(String a, String b) {
    String[] x = a.trim().split("/");
    String[] y = b.trim().split("/");
    if (!x[x.length - 1].equals(y[y.length - 1])) {
      return false;
    }
    return x.length < 6 || y.length < 6 || a.trim().equals(b.trim());
  }

  private static void compare(List<String> diffs, String field, String expected, String actual) {
    if (expected != null && !expected.equals(actual)) {
      diffs.add(field + " is " + (actual == null ? "not set" : actual) + ", expected " + expected);
    }
  }
}
