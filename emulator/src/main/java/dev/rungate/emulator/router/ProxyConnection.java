package dev.rungate.emulator.router;

import dev.rungate.emulator.identity.IngressGuard;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One client connection: reads the HTTP request head, picks the backend, then pipes bytes both
 * ways. Plain requests get "Connection: close" so every request is routed on its own; WebSocket
 * upgrades pass through untouched. A builtin revision's answer is given here, without a backend.
 */
final class ProxyConnection implements Runnable {
  private static final int MAX_HEAD = 64 * 1024;
  private static final long CONNECT_PATIENCE_MILLIS = 15_000;

  private final Socket client;
  private final Supplier<Optional<Upstream>> backend;
  private final Predicate<String> admits;

  ProxyConnection(Socket client, Supplier<Optional<Upstream>> backend) {
    this(client, backend, head -> true);
  }

  /**
   * {@code admits} sees the request head; a refused request is answered 403 as Cloud Run's front
   * end does.
   */
  ProxyConnection(Socket client, Supplier<Optional<Upstream>> backend, Predicate<String> admits) {
    this.client = client;
    this.backend = backend;
    this.admits = admits;
  }

  @Override
  public void run() {
    try (client) {
      InputStream in = client.getInputStream();
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      int headEnd = readHead(in, raw);
      if (headEnd < 0) {
        return;
      }
      byte[] bytes = raw.toByteArray();
      String head = new String(bytes, 0, headEnd, StandardCharsets.ISO_8859_1);
      if (!admits.test(head)) {
        String[] requestLine = head.split(" ", 3);
        respond(
            403,
            IngressGuard.forbiddenPage(requestLine.length > 1 ? requestLine[1] : "/"),
            "text/html; charset=UTF-8");
        return;
      }
      Optional<Upstream> target = backend.get();
      if (target.isEmpty()) {
        respond(404, "no revision serves this URL");
        return;
      }
      if (target.get().isAnswer()) { // a builtin revision: the emulator answers for it
        respond(target.get().status(), target.get().body(), "text/plain; charset=UTF-8");
        return;
      }
      try (Socket upstream = connect(target.get().port())) {
        if (upstream == null) {
          respond(503, "the revision's instance is not accepting connections");
          return;
        }
        OutputStream up = upstream.getOutputStream();
        up.write(rewrite(head).getBytes(StandardCharsets.ISO_8859_1));
        up.write(bytes, headEnd, bytes.length - headEnd);
        up.flush();
        Thread pump = new Thread(() -> pipe(in, up, upstream), "proxy-upstream");
        pump.setDaemon(true);
        pump.start();
        pipe(upstream.getInputStream(), client.getOutputStream(), client);
        upstream.close();
      }
    } catch (IOException e) {
      // the client or the backend went away
    }
  }

  /** Reads until the blank line after the headers; returns the head's length, or -1 at EOF. */
  private static int readHead(InputStream in, ByteArrayOutputStream raw) throws IOException {
    byte[] buffer = new byte[8192];
    while (raw.size() < MAX_HEAD) {
      int n = in.read(buffer);
      if (n < 0) {
        return -1;
      }
      raw.write(buffer, 0, n);
      String soFar = raw.toString(StandardCharsets.ISO_8859_1);
      int end = soFar.indexOf("\r\n\r\n");
      if (end >= 0) {
        return end + 4;
      }
    }
    return -1;
  }

  /** Forces one request per connection unless this is a protocol upgrade (WebSocket). */
  static String rewrite(String head) {
    String lower = head.toLowerCase(Locale.ROOT);
    if (lower.matches("(?s).*\r\nupgrade:[^\r]*websocket.*")) {
      return head;
    }
    StringBuilder out = new StringBuilder();
    for (String line : head.split("\r\n")) {
      String l = line.toLowerCase(Locale.ROOT);
      if (!line.isEmpty()
          && !l.startsWith("connection:")
          && !l.startsWith("keep-alive:")
          && !l.startsWith("proxy-connection:")
          && !l.startsWith("upgrade:")
          && !l.startsWith("http2-settings:")) {
        out.append(line).append("\r\n");
      }
    }
    return out.append("Connection: close\r\n\r\n").toString();
  }

  /** Connects to the backend, waiting while a cold or restarting instance comes up. */
  private static Socket connect(int port) throws IOException {
    long deadline = System.currentTimeMillis() + CONNECT_PATIENCE_MILLIS;
    while (true) {
      Socket socket = new Socket();
      try {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
        socket.setTcpNoDelay(true);
        return socket;
      } catch (ConnectException e) {
        socket.close();
        if (System.currentTimeMillis() > deadline) {
          return null;
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return null;
        }
      }
    }
  }

  private static void pipe(InputStream from, OutputStream to, Socket closeWhenDone) {
    byte[] buffer = new byte[16 * 1024];
    try {
      for (int n = from.read(buffer); n >= 0; n = from.read(buffer)) {
        to.write(buffer, 0, n);
        to.flush();
      }
      closeWhenDone.shutdownOutput();
    } catch (IOException e) {
      try {
        closeWhenDone.close();
      } catch (IOException ignored) {
        // already closed
      }
    }
  }

  private void respond(int code, String message) throws IOException {
    respond(code, message + "\n", "text/plain");
  }

  private void respond(int code, String message, String type) throws IOException {
    String reason =
        switch (code) {
          case 200 -> "OK";
          case 403 -> "Forbidden";
          case 404 -> "Not Found";
          case 500 -> "Internal Server Error";
          case 503 -> "Service Unavailable";
          default -> "Status " + code;
        };
    byte[] body = message.getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 "
            + code
            + " "
            + reason
            + "\r\nContent-Type: "
            + type
            + "\r\nContent-Length: "
            + body.length
            + "\r\nConnection: close\r\n\r\n";
    OutputStream out = client.getOutputStream();
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
  }
}
