package dev.rungate.gate;

import dev.rungate.api.VpcAccessSpec;
import dev.rungate.cloudrun.VpcSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Compares the candidate's VPC access with what the policy expects; the mismatch message names both values. */
final class VpcCheck {
  private VpcCheck() {}

  static Optional<String> mismatch(VpcAccessSpec expected, VpcSettings actual) {
    if (expected == null) {
      return Optional.empty();
    }
    VpcSettings got = actual == null ? VpcSettings.NONE : actual;
    List<String> diffs = new ArrayList<>();
    compare(diffs, "connector", expected.connector, got.connector());
    compare(diffs, "network", expected.network, got.network());
    compare(diffs, "subnetwork", expected.subnetwork, got.subnetwork());
    if (expected.egress != null && !expected.egress.name().equals(got.effectiveEgress())) {
      diffs.add("egress is " + got.effectiveEgress() + ", expected " + expected.egress.name());
    }
    if (diffs.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("The candidate's VPC access does not match spec.revision.vpcAccess: " + String.join("; ", diffs)
        + ". Without the right VPC path the revision cannot reach private dependencies such as Memorystore."
        + " Redeploy with the expected settings or correct the policy.");
  }

  private static void compare(List<String> diffs, String field, String expected, String actual) {
    if (expected != null && !expected.equals(actual)) {
      diffs.add(field + " is " + (actual == null ? "not set" : actual) + ", expected " + expected);
    }
  }
}
