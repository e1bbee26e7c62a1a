package dev.rungate.api.checks;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

public class DnsCheck {
  @Required
  @JsonPropertyDescription("DNS name that must resolve to at least one address.")
  public String name;
}
