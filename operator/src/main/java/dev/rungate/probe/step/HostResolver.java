package dev.rungate.probe.step;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/** The DNS step: resolves a host name within the check's deadline (IP literals skip it). */
public final class HostResolver {
  private static final Pattern IPV4 = Pattern.compile("^[0-9]{1,3}(\\.[0-9]{1,3}){3}$");
  private final Executor blocking;

  /**
   * @param blocking runs the JDK's blocking resolver so that a slow DNS server cannot outlive the
   *     deadline
   */
  public HostResolver(Executor blocking) {
    this.blocking = blocking;
  }

  static boolean isIpLiteral(String host) {
    return IPV4.matcher(host).matches() || host.contains(":");
  }

  /** Addresses of {@code host}; empty for an IP literal. Throws a DNS StepFailure otherwise. */
  public List<String> resolve(String host, Attempt a) {
    if (isIpLiteral(host)) {
      return List.of();
    }
    return resolveName(host, a);
  }

  /** Always resolves (for the dns check itself). */
  public List<String> resolveName(String host, Attempt a) {
    CompletableFuture<InetAddress[]> f =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return InetAddress.getAllByName(host);
              } catch (UnknownHostException e) {
                throw new CompletionException(e);
              }
            },
            blocking);
    try {
      List<String> out = new ArrayList<>();
      for (InetAddress addr : f.get(a.remainingMillis(), TimeUnit.MILLISECONDS)) {
        out.add(addr.getHostAddress());
      }
      return out;
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new StepFailure(
          "DNS",
          "DNS failed: no answer for '"
              + host
              + "' within "
              + a.timeout.toMillis()
              + "ms (TimeoutException)");
    } catch (ExecutionException e) {
      Throwable c = Failures.unwrap(e);
      throw new StepFailure(
          "DNS", "DNS failed: cannot resolve '" + host + "' (" + Failures.describe(c) + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepFailure("DNS", "DNS failed: interrupted (InterruptedException)");
    }
  }
}
