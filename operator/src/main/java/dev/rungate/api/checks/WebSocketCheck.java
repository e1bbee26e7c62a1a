package dev.rungate.api.checks;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** A WebSocket conversation: upgrade (101), optionally send one message, expect events in order. */
public class WebSocketCheck {
  @JsonPropertyDescription("Full ws:// or wss:// URL (network checks only).")
  public String url;

  @JsonPropertyDescription("Path on the candidate's tag URL (revision probes only), e.g. /ws.")
  public String path;

  @JsonPropertyDescription(
      "Text message sent after the upgrade, e.g. {\"type\":\"chat\",\"text\":\"hello\"}.")
  public String send;

  @JsonPropertyDescription(
      "Event types (the 'type' field of JSON messages) expected in this order.")
  public List<String> expectEvents;
}
