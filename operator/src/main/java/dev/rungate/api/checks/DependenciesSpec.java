package dev.rungate.api.checks;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

public class DependenciesSpec {
  @JsonPropertyDescription("Memorystore for Redis instances the revision needs.")
  public List<MemorystoreCheck> memorystore;

  @JsonPropertyDescription(
      "Network paths the revision needs: exactly one of tcp, http, dns or websocket per entry.")
  public List<NetworkCheck> network;
}
