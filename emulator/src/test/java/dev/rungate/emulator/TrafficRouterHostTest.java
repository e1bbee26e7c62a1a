package dev.rungate.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.rungate.emulator.router.TrafficRouter;
import dev.rungate.emulator.router.Upstream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * `serve --host ADDR`: service and tag URLs listen on that address and name it, so a client
 * elsewhere (an operator in a pod, reaching the node IP) can probe them. 127.0.0.2 stands in for
 * such an address.
 */
@Tag("real")
class TrafficRouterHostTest {
  @Test
  void urlsListenOnAndNameTheGivenAddressOnly() throws Exception {
    HttpServer backend =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    backend.createContext(
        "/",
        ex -> {
          byte[] body = "rev-1".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    backend.start();
    TrafficRouter router =
        new TrafficRouter(
            (service, revision) -> Optional.of(Upstream.port(backend.getAddress().getPort())),
            TrafficRouter.Ingress.OPEN,
            InetAddress.getByName("127.0.0.2"));
    try {
      router.update("web", Map.of("rev-1", 100), Map.of("cand", "rev-1"));
      for (String url : new String[] {router.serviceUrl("web"), router.tagUrl("web", "cand")}) {
        assertThat(url).startsWith("http://127.0.0.2:");
        HttpResponse<String> reply =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(reply.body()).isEqualTo("rev-1");
        int port = URI.create(url).getPort();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
            .isInstanceOf(ConnectException.class);
      }
    } finally {
      router.remove("web");
      backend.stop(0);
    }
  }
}
