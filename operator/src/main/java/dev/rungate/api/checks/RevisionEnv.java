package dev.rungate.api.checks;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/**
 * Names of the candidate revision's environment variables that must point at the instance. The gate
 * reads their values from the revision's template and compares them with the instance.
 */
public class RevisionEnv {
  static final String ENV_NAME = "^[A-Za-z_][A-Za-z0-9_]*$";

  @Pattern(ENV_NAME)
  @JsonPropertyDescription(
      "Variable holding the host, e.g. REDIS_HOST: must equal the instance's host.")
  public String host;

  @Pattern(ENV_NAME)
  @JsonPropertyDescription(
      "Variable holding the port, e.g. REDIS_PORT: must equal the instance's port (6378 with in-transit encryption).")
  public String port;

  @Pattern(ENV_NAME)
  @JsonPropertyDescription(
      "Variable switching TLS on (true/1/yes/on) or off (false/0/no/off): must match the instance's in-transit encryption.")
  public String tls;

  @Pattern(ENV_NAME)
  @JsonPropertyDescription(
      "Variable holding a redis:// or rediss:// URL: its host, port and scheme must match the instance.")
  public String url;

  public RevisionEnv() {}

  public RevisionEnv(String host, String port, String tls, String url) {
    this.host = host;
    this.port = port;
    this.tls = tls;
    this.url = url;
  }
}
