package dev.rungate.api.checks;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

public class TcpCheck {
  @Required
  @JsonPropertyDescription("Host name or IP address.")
  public String host;

  @Required
  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("TCP port, 1-65535.")
  public Integer port;
}
