package dev.rungate.api.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Expected VPC settings: a Serverless VPC Access connector, or Direct VPC egress
 * (network/subnetwork).
 */
public class VpcAccessSpec {
  public enum Egress {
    ALL_TRAFFIC,
    PRIVATE_RANGES_ONLY
  }

  @JsonPropertyDescription("Connector: projects/P/locations/R/connectors/C.")
  public String connector;

  @JsonPropertyDescription("Direct VPC egress network name.")
  public String network;

  @JsonPropertyDescription("Direct VPC egress subnetwork name.")
  public String subnetwork;

  @JsonPropertyDescription(
      "Expected egress: PRIVATE_RANGES_ONLY (Cloud Run's default) or ALL_TRAFFIC.")
  public Egress egress;
}
