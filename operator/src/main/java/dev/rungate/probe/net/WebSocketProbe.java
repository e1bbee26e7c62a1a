package dev.rungate.probe.net;

import dev.rungate.api.checks.WebSocketCheck;
import dev.rungate.api.status.CheckResult;
import dev.rungate.probe.step.Attempt;
import dev.rungate.probe.step.Failures;
import dev.rungate.probe.step.StepFailure;
import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** UPGRADE (101), optionally SEND one text message, then EVENTS: the expected types in order. */
final class WebSocketProbe {
  private final HttpClients clients;

  WebSocketProbe(HttpClients clients) {
    this.clients = clients;
  }

  CheckResult probe(Attempt a, String url, WebSocketCheck check) {
    return probe(a, url, check, null);
  }

  /** {@code bearer}: an ID token sent as Authorization: Bearer on the upgrade request, or null. */
  CheckResult probe(Attempt a, String url, WebSocketCheck check, String bearer) {
    URI uri = ProbeUris.parse(url, "ws", "wss");
    EventListener events = new EventListener(check.expectEvents);
    WebSocket.Builder builder =
        clients
            .verifying
            .newWebSocketBuilder()
            .connectTimeout(Duration.ofMillis(a.remainingMillis()))
            .header("User-Agent", "rungate-probe");
    if (bearer != null) {
      builder.header("Authorization", "Bearer " + bearer);
    }
    CompletableFuture<WebSocket> open = builder.buildAsync(uri, events);
    WebSocket ws = awaitUpgrade(a, open, bearer);
    try {
      if (check.send != null) {
        try {
          await(a, "SEND", ws.sendText(check.send, true));
        } catch (StepFailure f) {
          if (events.closeCode == null) {
            throw f;
          }
          throw new StepFailure(
              "SEND",
              "SEND failed: the server closed the WebSocket with code "
                  + events.closeCode
                  + closeMeaning(events.closeCode)
                  + " reason '"
                  + events.closeReason
                  + "' before our message (WebSocketClosed)");
        }
      }
      if (check.expectEvents == null || check.expectEvents.isEmpty()) {
        return a.passed("upgraded (101)" + (check.send == null ? "" : ", message sent"));
      }
      try {
        events.done.get(a.remainingMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw new StepFailure(
            "EVENTS",
            "EVENTS failed: waited "
                + a.timeout.toMillis()
                + "ms for '"
                + events.missing()
                + "'; received "
                + events.seen()
                + " (TimeoutException)");
      }
      if (events.allSeen()) {
        return a.passed("upgraded (101), events in order: " + events.seen());
      }
      if (events.closeCode != null) {
        throw new StepFailure(
            "EVENTS",
            "EVENTS failed: the server closed the WebSocket with code "
                + events.closeCode
                + closeMeaning(events.closeCode)
                + " reason '"
                + events.closeReason
                + "' before '"
                + events.missing()
                + "'; received "
                + events.seen()
                + " (WebSocketClosed)");
      }
      Throwable err = events.error;
      throw new StepFailure(
          "EVENTS",
          "EVENTS failed: the connection broke before '"
              + events.missing()
              + "'; received "
              + events.seen()
              + " ("
              + (err == null ? "unknown" : Failures.describe(err))
              + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepFailure("EVENTS", "EVENTS failed: interrupted (InterruptedException)");
    } catch (ExecutionException e) {
      throw new IllegalStateException("event wait failed", Failures.unwrap(e));
    } finally {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "rungate probe done")
          .orTimeout(1, TimeUnit.SECONDS)
          .whenComplete((x, err) -> ws.abort());
    }
  }

  private static String closeMeaning(int code) {
    return switch (code) {
      case 1011 -> " (internal server error)";
      case 1001 -> " (going away)";
      case 1008 -> " (policy violation)";
      case 1000 -> " (normal closure)";
      default -> "";
    };
  }

  private WebSocket awaitUpgrade(Attempt a, CompletableFuture<WebSocket> open, String bearer) {
    try {
      return open.get(a.remainingMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      open.cancel(true);
      throw new StepFailure(
          "UPGRADE",
          "UPGRADE failed: no handshake answer from "
              + a.target
              + " within "
              + a.timeout.toMillis()
              + "ms (TimeoutException)");
    } catch (ExecutionException e) {
      WebSocketHandshakeException hs = Failures.find(e, WebSocketHandshakeException.class);
      if (hs != null) {
        throw new StepFailure(
            "UPGRADE",
            "UPGRADE failed: HTTP "
                + hs.getResponse().statusCode()
                + " instead of 101 Switching Protocols (WebSocketHandshakeException)"
                + ProbeAuth.hint(hs.getResponse().statusCode(), bearer));
      }
      StepFailure mapped = NetFailures.map("UPGRADE", e, a.target, a.timeout.toMillis());
      if (mapped == null) {
        throw new IllegalStateException("WebSocket open failed", Failures.unwrap(e));
      }
      throw mapped;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepFailure("UPGRADE", "UPGRADE failed: interrupted (InterruptedException)");
    }
  }

  private static void await(Attempt a, String step, CompletableFuture<?> f)
      throws InterruptedException {
    try {
      f.get(a.remainingMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new StepFailure(
          step,
          step + " failed: not sent within " + a.timeout.toMillis() + "ms (TimeoutException)");
    } catch (ExecutionException e) {
      StepFailure mapped = NetFailures.map(step, e, a.target, a.timeout.toMillis());
      throw mapped != null
          ? mapped
          : new IllegalStateException(step + " failed", Failures.unwrap(e));
    }
  }
}
