package dev.rungate.domain;

/**
 * A revision's VPC access: a connector, or Direct VPC egress (network/subnetwork); egress as Cloud
 * Run names it.
 */
public record VpcSettings(String connector, String network, String subnetwork, String egress) {
  public static final VpcSettings NONE = new VpcSettings(null, null, null, null);

  /** Cloud Run's default egress when none is set. */
  public String effectiveEgress() {
    return egress == null || egress.isBlank() || egress.endsWith("UNSPECIFIED")
        ? "PRIVATE_RANGES_ONLY"
        : egress;
  }

  @Override
  public String toString() {
    String path =
        connector != null
            ? "connector " + connector
            : network != null
                ? "network " + network + (subnetwork == null ? "" : "/" + subnetwork)
                : "no VPC access";
    return path + ", egress " + effectiveEgress();
  }
}
