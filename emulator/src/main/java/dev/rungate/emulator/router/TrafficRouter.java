package dev.rungate.emulator.router;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Loopback HTTP/WebSocket front doors: one port per service URL, split by traffic percent with
 * smooth weighted round robin, and one port per tag reaching only the tagged revision.
 */
public final class TrafficRouter implements AutoCloseable {
  /**
   * Finds (and if need be starts) a revision of a service: its loopback port, or the emulator's own
   * answer.
   */
  public interface Backends {
    Optional<Upstream> upstreamOf(String serviceName, String revision);
  }

  /**
   * Decides whether a request (its HTTP head) may reach the service: Cloud Run's IAM check on
   * private services.
   */
  public interface Ingress {
    Ingress OPEN = (serviceName, head) -> true;

    boolean admits(String serviceName, String head);
  }

  private record Weighted(String revision, int percent) {}

  /** Per-service routing table, swapped whole on each traffic change. */
  private static final class Table {
    volatile List<Weighted> split = List.of();
    volatile Map<String, String> tags = Map.of();
    private int[] current = new int[0];

    synchronized String next() {
      List<Weighted> targets = split;
      if (current.length != targets.size()) {
        current = new int[targets.size()];
      }
      int total = 0;
      int best = -1;
      for (int i = 0; i < targets.size(); i++) {
        current[i] += targets.get(i).percent();
        total += targets.get(i).percent();
        if (best < 0 || current[i] > current[best]) {
          best = i;
        }
      }
      if (best < 0 || total == 0) {
        return null;
      }
      current[best] -= total;
      return targets.get(best).revision();
    }
  }

  private final Backends backends;
  private final Map<String, Table> tables = new ConcurrentHashMap<>();
  private final Map<String, ServerSocket> listeners = new ConcurrentHashMap<>();
  private final ExecutorService connections =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "router-connection");
            t.setDaemon(true);
            return t;
          });

  private final Ingress ingress;
  private final InetAddress address;

  public TrafficRouter(Backends backends) {
    this(backends, Ingress.OPEN, InetAddress.getLoopbackAddress());
  }

  public TrafficRouter(Backends backends, Ingress ingress) {
    this(backends, ingress, InetAddress.getLoopbackAddress());
  }

  /**
   * Service and tag URLs listen on {@code address} (the emulator's --host), e.g. a node IP pods can
   * reach.
   */
  public TrafficRouter(Backends backends, Ingress ingress, InetAddress address) {
    this.backends = backends;
    this.ingress = ingress;
    this.address = address;
  }

  /** The service URL, opening its port on first use. */
  public String serviceUrl(String serviceName) {
    Table table = tables.computeIfAbsent(serviceName, n -> new Table());
    return listen(serviceName, () -> table.next());
  }

  /** The tag's URL; the port is kept for the service's life so a tag's URL stays stable. */
  public String tagUrl(String serviceName, String tag) {
    Table table = tables.computeIfAbsent(serviceName, n -> new Table());
    return listen(serviceName + "#" + tag, () -> table.tags.get(tag));
  }

  /**
   * Routes the service URL by these percents (revision to percent) and each tag to its revision.
   */
  public void update(String serviceName, Map<String, Integer> percents, Map<String, String> tags) {
    Table table = tables.computeIfAbsent(serviceName, n -> new Table());
    List<Weighted> split = new ArrayList<>();
    percents.forEach(
        (revision, percent) -> {
          if (percent > 0) {
            split.add(new Weighted(revision, percent));
          }
        });
    table.split = List.copyOf(split);
    table.tags = Map.copyOf(tags);
  }

  public void remove(String serviceName) {
    tables.remove(serviceName);
    listeners
        .entrySet()
        .removeIf(
            e -> {
              boolean ours =
                  e.getKey().equals(serviceName) || e.getKey().startsWith(serviceName + "#");
              if (ours) {
                closeQuietly(e.getValue());
              }
              return ours;
            });
  }

  private String listen(String key, Supplier<String> chooser) {
    ServerSocket socket = listeners.computeIfAbsent(key, k -> open(k, chooser));
    String host = address.isAnyLocalAddress() ? "127.0.0.1" : address.getHostAddress();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + socket.getLocalPort();
  }

  private ServerSocket open(String key, Supplier<String> chooser) {
    String serviceName = key.contains("#") ? key.substring(0, key.indexOf('#')) : key;
    try {
      ServerSocket server = new ServerSocket(0, 200, address);
      Thread acceptor = new Thread(() -> accept(server, serviceName, chooser), "router-" + key);
      acceptor.setDaemon(true);
      acceptor.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a router port for " + key, e);
    }
  }

  private void accept(ServerSocket server, String serviceName, Supplier<String> chooser) {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        connections.execute(
            new ProxyConnection(
                client,
                () -> {
                  String revision = chooser.get();
                  return revision == null
                      ? Optional.<Upstream>empty()
                      : backends.upstreamOf(serviceName, revision);
                },
                head -> ingress.admits(serviceName, head)));
      } catch (IOException closed) {
        return;
      } catch (RuntimeException rejected) {
        // executor shut down
        return;
      }
    }
  }

  @Override
  public void close() {
    listeners.values().forEach(TrafficRouter::closeQuietly);
    listeners.clear();
    connections.shutdownNow();
  }

  private static void closeQuietly(ServerSocket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
