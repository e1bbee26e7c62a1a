package dev.rungate.api.checks;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.List;

/**
 * An HTTP GET. Network checks give a full url; revision probes give a path on the candidate's tag
 * URL.
 */
public class HttpCheck {
  @JsonPropertyDescription("Full URL (network checks only), e.g. https://auth.internal/health.")
  public String url;

  @JsonPropertyDescription(
      "Path on the candidate's tag URL (revision probes only), e.g. /health/ready.")
  public String path;

  @JsonPropertyDescription("Status codes that pass. Default [200].")
  public List<@Min(100) @Max(599) Integer> expectStatus;

  @JsonPropertyDescription("Optional text the response body must contain.")
  public String bodyContains;

  @JsonPropertyDescription(
      "Skip TLS certificate verification. Default false; use only for self-signed test endpoints.")
  public Boolean insecureSkipVerify;
}
