package dev.rungate.probe.net;

import dev.rungate.api.checks.Durations;
import dev.rungate.api.checks.NetworkCheck;
import dev.rungate.api.spec.RevisionProbe;
import dev.rungate.api.status.CheckResult;
import dev.rungate.api.status.CheckStep;
import dev.rungate.probe.step.Attempt;
import dev.rungate.probe.step.HostResolver;
import dev.rungate.probe.step.StepFailure;
import java.time.Duration;
import java.util.function.Function;

/** Dispatches a network check or a revision probe to the TCP, DNS, HTTP or WebSocket probe. */
public final class NetworkProbes {
  /** Default timeout of a network check and of a revision probe (spec.*.timeout overrides them). */
  public static final Duration NETWORK_TIMEOUT = Duration.ofSeconds(2);

  public static final Duration REVISION_TIMEOUT = Duration.ofSeconds(5);
  private final TcpProbe tcp;
  private final DnsProbe dns;
  private final HttpProbe http;
  private final WebSocketProbe websocket;

  private final IdTokens idTokens;

  public NetworkProbes(HostResolver resolver, HttpClients clients) {
    this(resolver, clients, IdTokens.NONE);
  }

  public NetworkProbes(HostResolver resolver, HttpClients clients, IdTokens idTokens) {
    this.idTokens = idTokens;
    this.tcp = new TcpProbe(resolver);
    this.dns = new DnsProbe(resolver);
    this.http = new HttpProbe(clients);
    this.websocket = new WebSocketProbe(clients);
  }

  public CheckResult probe(NetworkCheck c) {
    return guarded(
        c.name,
        kindOf(c),
        targetOf(c),
        c.timeout,
        NETWORK_TIMEOUT,
        a -> {
          int set =
              (c.tcp != null ? 1 : 0)
                  + (c.http != null ? 1 : 0)
                  + (c.dns != null ? 1 : 0)
                  + (c.websocket != null ? 1 : 0);
          if (set != 1) {
            throw new StepFailure(
                CheckStep.SPEC.name(),
                "SPEC failed: set exactly one of tcp, http, dns, websocket (found "
                    + set
                    + ") (InvalidSpec)");
          }
          if (c.tcp != null) {
            return tcp.probe(a, c.tcp);
          } else if (c.dns != null) {
            return dns.probe(a, c.dns);
          } else if (c.http != null) {
            return http.probe(a, c.http.url, c.http);
          }
          return websocket.probe(a, c.websocket.url, c.websocket);
        });
  }

  public CheckResult probeRevision(String tagUrl, RevisionProbe p) {
    return probeRevision(tagUrl, ProbeUris.serviceUrlOf(tagUrl), p);
  }

  /** {@code audience}: the service URL, for the ID token of a private service. */
  public CheckResult probeRevision(String tagUrl, String audience, RevisionProbe p) {
    return guarded(
        p.name,
        kindOf(p),
        targetOf(tagUrl, p),
        p.timeout,
        REVISION_TIMEOUT,
        a -> {
          if ((p.http == null) == (p.websocket == null)) {
            throw new StepFailure(
                CheckStep.SPEC.name(),
                "SPEC failed: set exactly one of http, websocket (InvalidSpec)");
          }
          if (tagUrl == null || tagUrl.isBlank()) {
            throw new StepFailure(
                CheckStep.SPEC.name(), "SPEC failed: the candidate has no tag URL yet (NoTagUrl)");
          }
          String token = ProbeAuth.token(a, p.auth, idTokens, audience);
          if (p.http != null) {
            return http.probe(a, ProbeUris.join(tagUrl, p.http.path, false), p.http, token);
          }
          return websocket.probe(
              a, ProbeUris.join(tagUrl, p.websocket.path, true), p.websocket, token);
        });
  }

  /** Parses the timeout, runs the body, and turns step failures and our own bugs into results. */
  private static CheckResult guarded(
      String name,
      String kind,
      String target,
      String timeoutText,
      Duration fallback,
      Function<Attempt, CheckResult> body) {
    Duration timeout;
    try {
      timeout = Durations.parse(timeoutText, fallback);
    } catch (IllegalArgumentException e) {
      return new Attempt(name, kind, target, fallback)
          .failed(
              CheckStep.SPEC.name(), "SPEC failed: timeout " + e.getMessage() + " (InvalidSpec)");
    }
    Attempt a = new Attempt(name, kind, target, timeout);
    try {
      return body.apply(a);
    } catch (StepFailure f) {
      return a.failed(f);
    } catch (RuntimeException e) {
      return a.probeError(e);
    }
  }

  public static String kindOf(NetworkCheck c) {
    return c.tcp != null
        ? "tcp"
        : c.http != null
            ? "http"
            : c.dns != null ? "dns" : c.websocket != null ? "websocket" : "network";
  }

  public static String kindOf(RevisionProbe p) {
    return p.http != null ? "http" : p.websocket != null ? "websocket" : "revision";
  }

  public static String targetOf(NetworkCheck c) {
    if (c.tcp != null) {
      return c.tcp.host + ":" + c.tcp.port;
    }
    if (c.http != null) {
      return c.http.url;
    }
    if (c.dns != null) {
      return c.dns.name;
    }
    return c.websocket != null ? c.websocket.url : "";
  }

  public static String targetOf(String tagUrl, RevisionProbe p) {
    if (tagUrl == null) {
      return "";
    }
    return p.http != null
        ? ProbeUris.join(tagUrl, p.http.path, false)
        : p.websocket != null ? ProbeUris.join(tagUrl, p.websocket.path, true) : tagUrl;
  }
}
