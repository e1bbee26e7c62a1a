package dev.rungate.emulator.identity;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The parts of the GCE/GKE metadata server that google-auth-library's ComputeEngineCredentials and
 * IdTokenProvider use, for clients started with {@code GCE_METADATA_HOST=127.0.0.1:PORT}: the ping
 * on {@code /}, the project id, the default service account's e-mail and access token, the universe
 * domain, and the identity endpoint that mints ID tokens for an audience. Every answer carries
 * {@code Metadata-Flavor: Google}; requests under /computeMetadata/ without that header are
 * refused, as the real server does.
 */
public final class MetadataServer implements AutoCloseable {
  private static final String PREFIX = "/computeMetadata/v1/";
  private final HttpServer server;
  private final TokenAuthority authority;
  private final String project;

  public MetadataServer(String host, int port, String project, TokenAuthority authority) {
    this.authority = authority;
    this.project = project;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 50);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen on " + host + ":" + port + " for the metadata server", e);
    }
    server.createContext("/", this::handle);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The value for GCE_METADATA_HOST. */
  public String host() {
    return "127.0.0.1:" + port();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      exchange.getResponseHeaders().set("Metadata-Flavor", "Google");
      if (path.equals("/") || path.isEmpty()) {
        send(exchange, 200, "computeMetadata/\n", "application/text");
        return;
      }
      if (!path.startsWith(PREFIX)) {
        send(exchange, 404, "not found\n", "text/plain");
        return;
      }
      if (!"Google".equals(exchange.getRequestHeaders().getFirst("Metadata-Flavor"))) {
        send(
            exchange,
            403,
            "Missing required header \"Metadata-Flavor\": \"Google\"\n",
            "text/plain");
        return;
      }
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      switch (path.substring(PREFIX.length())) {
        case "project/project-id" -> send(exchange, 200, project, "application/text");
        case "universe/universe-domain" ->
            send(exchange, 200, "googleapis.com", "application/text");
        case "instance/service-accounts/default/email" ->
            send(exchange, 200, authority.email(), "application/text");
        case "instance/service-accounts/default/token" ->
            send(
                exchange,
                200,
                "{\"access_token\":\"emulated-access-token\",\"expires_in\":3599,\"token_type\":\"Bearer\"}",
                "application/json");
        case "instance/service-accounts/default/identity" -> {
          String audience = query.get("audience");
          if (audience == null || audience.isEmpty()) {
            send(exchange, 400, "non-empty audience parameter required\n", "text/plain");
          } else {
            send(exchange, 200, authority.mint(audience), "text/html");
          }
        }
        default -> send(exchange, 404, "not found\n", "text/plain");
      }
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          out.put(
              URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return out;
  }

  private static void send(HttpExchange exchange, int code, String body, String type)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
