package dev.rungate.emulator.runtime;

import com.google.cloud.run.v2.Probe;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.time.Duration;

/**
 * Cloud Run's startup probe, run loosely: TCP connect (the default) or HTTP GET on the container's
 * port, retried every 100 ms until the probe's budget (initial delay + period x failure threshold)
 * or, without a probe, the emulator's default startup timeout runs out.
 */
final class StartupProber {
  enum Outcome {
    READY,
    EXITED,
    TIMED_OUT
  }

  private static final long POLL_MILLIS = 100;
  private static final int MAX_BUDGET_SECONDS = 240;

  private final int port;
  private final String httpPath;
  private final Duration budget;

  StartupProber(Probe probe, int port, Duration defaultBudget) {
    this.port = port;
    boolean explicit = probe != null && !probe.equals(Probe.getDefaultInstance());
    this.httpPath = explicit && probe.hasHttpGet() ? pathOf(probe) : null;
    this.budget = explicit ? budgetOf(probe) : defaultBudget;
  }

  boolean isHttp() {
    return httpPath != null;
  }

  Duration budget() {
    return budget;
  }

  private static String pathOf(Probe probe) {
    String path = probe.getHttpGet().getPath();
    return path.isEmpty() ? "/" : path.startsWith("/") ? path : "/" + path;
  }

  private static Duration budgetOf(Probe probe) {
    int period = probe.getPeriodSeconds() > 0 ? probe.getPeriodSeconds() : 10;
    int threshold = probe.getFailureThreshold() > 0 ? probe.getFailureThreshold() : 3;
    long seconds =
        Math.min(
            MAX_BUDGET_SECONDS, (long) probe.getInitialDelaySeconds() + (long) period * threshold);
    return Duration.ofSeconds(Math.max(1, seconds));
  }

  /** Probes until the process is ready, exits, or the budget is spent. */
  Outcome await(Process process) throws InterruptedException {
    return await(process, System.nanoTime() + budget.toNanos());
  }

  /**
   * As above, until a deadline in System.nanoTime() terms (what is left of a crash-looping
   * revision's window).
   */
  Outcome await(Process process, long deadline) throws InterruptedException {
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        return Outcome.EXITED;
      }
      if (probeOnce()) {
        return process.isAlive() ? Outcome.READY : Outcome.EXITED;
      }
      Thread.sleep(POLL_MILLIS);
    }
    return process.isAlive() ? Outcome.TIMED_OUT : Outcome.EXITED;
  }

  private boolean probeOnce() {
    return httpPath == null ? tcp() : http();
  }

  private boolean tcp() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private boolean http() {
    try {
      HttpURLConnection connection =
          (HttpURLConnection) new URL("http://127.0.0.1:" + port + httpPath).openConnection();
      connection.setConnectTimeout(500);
      connection.setReadTimeout(1000);
      int code = connection.getResponseCode();
      connection.disconnect();
      return code >= 200 && code < 400;
    } catch (IOException e) {
      return false;
    }
  }
}
