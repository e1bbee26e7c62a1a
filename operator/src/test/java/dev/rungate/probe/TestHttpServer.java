package dev.rungate.probe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.rungate.testing.RedisServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP(S) server (the JDK's): /ok 200 "status: ready", /down 503, /sleep?ms=N waits N ms
 * then 200 (and counts how many sleeps were in flight at once, {@link #mostSleepingAtOnce}).
 */
public final class TestHttpServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService pool = Executors.newFixedThreadPool(64);
  private final AtomicInteger sleeping = new AtomicInteger();
  private final AtomicInteger mostSleeping = new AtomicInteger();

  private TestHttpServer(HttpServer server) {
    this.server = server;
    server.createContext("/ok", ex -> reply(ex, 200, "status: ready"));
    server.createContext("/down", ex -> reply(ex, 503, "redis not ready"));
    server.createContext(
        "/sleep",
        ex -> {
          String q = ex.getRequestURI().getQuery();
          mostSleeping.accumulateAndGet(sleeping.incrementAndGet(), Math::max);
          try {
            RedisServer.sleep(Long.parseLong(q.substring(q.indexOf('=') + 1)));
          } finally {
            sleeping.decrementAndGet();
          }
          reply(ex, 200, "slept");
        });
    server.setExecutor(pool);
    server.start();
  }

  public static TestHttpServer http() throws IOException {
    return new TestHttpServer(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100));
  }

  public static TestHttpServer https(SSLContext tls) throws IOException {
    HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
    s.setHttpsConfigurator(new HttpsConfigurator(tls));
    return new TestHttpServer(s);
  }

  public String url(String path) {
    String scheme = server instanceof HttpsServer ? "https" : "http";
    return scheme + "://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** The most /sleep requests in flight at once since the last call; resets the count. */
  public int mostSleepingAtOnce() {
    return mostSleeping.getAndSet(sleeping.get());
  }

  private static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
