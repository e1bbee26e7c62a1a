package dev.rungate.probe.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Collects the 'type' of every JSON text message and completes {@link #done} when the expected
 * types have arrived in order (other types in between are allowed), or when the server closes or
 * the connection fails before that.
 */
final class EventListener implements WebSocket.Listener {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<String> expected;
  private final List<String> seen = new ArrayList<>();
  private final StringBuilder partial = new StringBuilder();
  private int matched;
  final CompletableFuture<Void> done = new CompletableFuture<>();
  volatile Integer closeCode;
  volatile String closeReason;
  volatile Throwable error;

  EventListener(List<String> expected) {
    this.expected = expected == null ? List.of() : List.copyOf(expected);
  }

  @Override
  public void onOpen(WebSocket ws) {
    ws.request(Long.MAX_VALUE);
  }

  @Override
  public synchronized CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      String type = typeOf(partial.toString());
      partial.setLength(0);
      seen.add(type);
      if (matched < expected.size() && expected.get(matched).equals(type)) {
        matched++;
      }
      if (matched == expected.size() && !expected.isEmpty()) {
        done.complete(null);
      }
    }
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    closeCode = statusCode;
    closeReason = reason;
    done.complete(null);
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable e) {
    error = e;
    done.complete(null);
  }

  synchronized boolean allSeen() {
    return matched == expected.size();
  }

  synchronized List<String> seen() {
    return List.copyOf(seen);
  }

  synchronized String missing() {
    return matched < expected.size() ? expected.get(matched) : null;
  }

  private static String typeOf(String text) {
    try {
      JsonNode node = JSON.readTree(text);
      JsonNode type = node == null ? null : node.get("type");
      return type == null || !type.isTextual() ? "(no type)" : type.asText();
    } catch (IOException e) {
      return "(not JSON)";
    }
  }
}
