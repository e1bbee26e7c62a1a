package dev.rungate.api.checks;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** One network path the revision needs; set exactly one of tcp, http, dns, websocket. */
public class NetworkCheck {
  @Required
  @Pattern(Durations.NAME_PATTERN)
  @JsonPropertyDescription("Name of this check, unique within the policy.")
  public String name;

  @JsonPropertyDescription("Open a TCP connection to host:port.")
  public TcpCheck tcp;

  @JsonPropertyDescription("GET a URL and expect one of the listed status codes.")
  public HttpCheck http;

  @JsonPropertyDescription("Resolve a DNS name.")
  public DnsCheck dns;

  @JsonPropertyDescription("Open a WebSocket, optionally send a message and expect events.")
  public WebSocketCheck websocket;

  @Pattern(Durations.PATTERN)
  @JsonPropertyDescription("Bound on the whole check, e.g. 1s. Default 2s.")
  public String timeout;
}
