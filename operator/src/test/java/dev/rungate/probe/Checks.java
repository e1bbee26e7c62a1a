package dev.rungate.probe;

import dev.rungate.api.checks.DependenciesSpec;
import dev.rungate.api.checks.DnsCheck;
import dev.rungate.api.checks.HttpCheck;
import dev.rungate.api.checks.MemorystoreCheck;
import dev.rungate.api.checks.NetworkCheck;
import dev.rungate.api.checks.SecretKeyRef;
import dev.rungate.api.checks.TcpCheck;
import dev.rungate.api.checks.TlsSpec;
import dev.rungate.api.checks.WebSocketCheck;
import java.util.ArrayList;
import java.util.List;

/** Builders of spec objects for tests. */
public final class Checks {
  public static final String NS = "apps";

  private Checks() {}

  public static MemorystoreCheck redis(String name, int port) {
    MemorystoreCheck c = new MemorystoreCheck();
    c.name = name;
    c.host = "127.0.0.1";
    c.port = port;
    return c;
  }

  public static MemorystoreCheck withAuth(MemorystoreCheck c, String secret, String key) {
    c.authSecretRef = new SecretKeyRef(secret, key);
    return c;
  }

  public static MemorystoreCheck withTls(MemorystoreCheck c, TlsSpec.Mode mode, String caSecret) {
    c.tls = new TlsSpec();
    c.tls.mode = mode;
    c.tls.caSecretRef = caSecret == null ? null : new SecretKeyRef(caSecret, "ca.pem");
    return c;
  }

  public static NetworkCheck tcp(String name, String host, int port, String timeout) {
    NetworkCheck c = new NetworkCheck();
    c.name = name;
    c.tcp = new TcpCheck();
    c.tcp.host = host;
    c.tcp.port = port;
    c.timeout = timeout;
    return c;
  }

  public static NetworkCheck dns(String name, String host) {
    NetworkCheck c = new NetworkCheck();
    c.name = name;
    c.dns = new DnsCheck();
    c.dns.name = host;
    return c;
  }

  public static NetworkCheck http(String name, String url, String timeout) {
    NetworkCheck c = new NetworkCheck();
    c.name = name;
    c.http = new HttpCheck();
    c.http.url = url;
    c.timeout = timeout;
    return c;
  }

  public static NetworkCheck websocket(
      String name, String url, String send, List<String> events, String timeout) {
    NetworkCheck c = new NetworkCheck();
    c.name = name;
    c.websocket = new WebSocketCheck();
    c.websocket.url = url;
    c.websocket.send = send;
    c.websocket.expectEvents = events;
    c.timeout = timeout;
    return c;
  }

  public static DependenciesSpec deps(List<MemorystoreCheck> redis, List<NetworkCheck> network) {
    DependenciesSpec d = new DependenciesSpec();
    d.memorystore = new ArrayList<>(redis);
    d.network = new ArrayList<>(network);
    return d;
  }
}
