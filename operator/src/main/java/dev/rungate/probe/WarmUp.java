package dev.rungate.probe;

import dev.rungate.probe.net.HttpClients;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * Runs each client once against a loopback socket that closes at once, so that a cold JVM loads
 * Lettuce, Netty, Reactor and the JDK HTTP/WebSocket client before the first real probe starts its
 * clock. On a busy machine that class loading alone can take longer than a 2 s probe timeout.
 */
final class WarmUp {
  private WarmUp() {}

  private static void tls() {
    try {
      SSLEngine engine = SSLContext.getDefault().createSSLEngine("localhost", 6378);
      engine.setUseClientMode(true);
      engine.beginHandshake();
      engine.wrap(
          ByteBuffer.allocate(0), ByteBuffer.allocate(engine.getSession().getPacketBufferSize()));
    } catch (GeneralSecurityException | IOException e) {
      // a warm-up only: a broken JSSE shows up in the TLS step of the probes themselves
    }
  }

  static void run(ClientResources resources, HttpClients http) {
    tls();
    try (ServerSocket closer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread t =
          new Thread(
              () -> {
                while (!closer.isClosed()) {
                  try (Socket s = closer.accept()) {
                    s.setSoLinger(true, 0);
                  } catch (IOException e) {
                    return;
                  }
                }
              },
              "rungate-warmup");
      t.setDaemon(true);
      t.start();
      int port = closer.getLocalPort();
      RedisClient client = RedisClient.create(resources);
      client.setOptions(ClientOptions.builder().autoReconnect(false).build());
      CompletableFuture<?> redis =
          client
              .connectAsync(
                  StringCodec.UTF8,
                  RedisURI.builder()
                      .withHost("127.0.0.1")
                      .withPort(port)
                      .withTimeout(Duration.ofSeconds(2))
                      .build())
              .toCompletableFuture();
      CompletableFuture<?> get =
          http.verifying.sendAsync(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      CompletableFuture<?> ws =
          http.verifying
              .newWebSocketBuilder()
              .connectTimeout(Duration.ofSeconds(2))
              .buildAsync(URI.create("ws://127.0.0.1:" + port + "/"), new WebSocket.Listener() {});
      try {
        CompletableFuture.allOf(
                redis.handle((x, e) -> null), get.handle((x, e) -> null), ws.handle((x, e) -> null))
            .get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        // a warm-up only
      } finally {
        try {
          // wait for it: shared resources shut down under a client still closing log
          // RejectedExecutionException
          client.shutdownAsync(0, 1, TimeUnit.SECONDS).get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
          // a warm-up only
        }
      }
    } catch (IOException e) {
      // no loopback socket: skip the warm-up
    }
  }
}
