package dev.rungate.emulator;

import static dev.rungate.emulator.EmulatorFixture.PYTHON;
import static dev.rungate.emulator.EmulatorFixture.app;
import static dev.rungate.emulator.EmulatorFixture.httpApp;
import static dev.rungate.emulator.EmulatorFixture.pinned;
import static dev.rungate.emulator.EmulatorFixture.template;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.run.v2.Service;
import dev.rungate.emulator.router.TrafficRouter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The loopback router: the service URL splits by percent, tag URLs reach one revision, WebSockets
 * pass.
 */
@Tag("real")
class TrafficRouterTest {
  private static EmulatorFixture emulator;
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() {
    emulator = new EmulatorFixture();
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @Test
  void serviceUrlSplitsSeventyThirtyAndTagUrlReachesOnlyTheCandidate() throws Exception {
    Service stable = emulator.createReady("web", "web-stable");
    emulator.makePublic("web");
    Service split =
        emulator.update(
            stable.toBuilder()
                .setTemplate(httpApp("web-canary"))
                .clearTraffic()
                .addTraffic(pinned("web-stable", 70, ""))
                .addTraffic(pinned("web-canary", 30, "canary"))
                .build());

    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 1000; i++) {
      counts.merge(get(split.getUri()), 1, Integer::sum);
    }
    assertThat(counts.keySet()).containsExactlyInAnyOrder("web-stable", "web-canary");
    assertThat(counts.get("web-stable")).isBetween(650, 750);
    assertThat(counts.get("web-canary")).isBetween(250, 350);

    String tagUrl = split.getTrafficStatuses(1).getUri();
    for (int i = 0; i < 50; i++) {
      assertThat(get(tagUrl)).isEqualTo("web-canary");
    }
  }

  @Test
  void webSocketUpgradesPassThroughBothWays() throws Exception {
    Service ws = emulator.create("chat", template("chat-1", PYTHON, app("ws_echo.py")));
    emulator.makePublic("chat");
    String url = ws.getUri().replace("http://", "ws://") + "/socket";
    CompletableFuture<String> reply = new CompletableFuture<>();
    WebSocket socket =
        http.newWebSocketBuilder()
            .buildAsync(
                URI.create(url),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(
                      WebSocket webSocket, CharSequence data, boolean last) {
                    reply.complete(data.toString());
                    return null;
                  }
                })
            .get(10, TimeUnit.SECONDS);
    socket.sendText("hello", true);
    assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo("chat-1:hello");
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
  }

  @Test
  void urlOfAServiceWithoutServingRevisionAnswers404() throws Exception {
    TrafficRouter router = new TrafficRouter((service, revision) -> Optional.empty());
    try {
      String url = router.serviceUrl("projects/p/locations/l/services/empty");
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(404);
    } finally {
      router.close();
    }
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }
}
