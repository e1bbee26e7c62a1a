package dev.rungate.probe.net;

import dev.rungate.probe.step.Failures;
import dev.rungate.probe.step.StepFailure;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** Maps JDK network exceptions (Socket, HttpClient, WebSocket) to the step that failed. */
final class NetFailures {
  private NetFailures() {}

  /**
   * The failure of {@code step} against {@code target}; null when the exception is not a network
   * failure.
   */
  static StepFailure map(String step, Throwable thrown, String target, long timeoutMillis) {
    Throwable t = Failures.unwrap(thrown);
    if (t instanceof StepFailure f) {
      return f;
    }
    if (Failures.find(t, UnresolvedAddressException.class) != null
        || Failures.find(t, UnknownHostException.class) != null) {
      return new StepFailure(
          "DNS",
          "DNS failed: cannot resolve the host of "
              + target
              + " ("
              + Failures.describe(Failures.root(t))
              + ")");
    }
    HttpConnectTimeoutException cto = Failures.find(t, HttpConnectTimeoutException.class);
    if (cto != null) {
      return new StepFailure(
          "CONNECT",
          "CONNECT failed: connect timeout to "
              + target
              + " after "
              + timeoutMillis
              + "ms ("
              + Failures.describe(cto)
              + ")");
    }
    if (t instanceof SocketTimeoutException ste && "CONNECT".equals(step)) {
      return new StepFailure(
          "CONNECT",
          "CONNECT failed: connect timeout to "
              + target
              + " after "
              + timeoutMillis
              + "ms ("
              + Failures.describe(ste)
              + ")");
    }
    ConnectException refused = Failures.find(t, ConnectException.class);
    if (refused != null) {
      return new StepFailure(
          "CONNECT",
          "CONNECT failed: connection refused by "
              + target
              + " ("
              + Failures.describe(refused)
              + ")");
    }
    SSLException ssl = Failures.find(t, SSLException.class);
    if (ssl != null) {
      Throwable cert = Failures.find(ssl, CertificateException.class);
      String why =
          Failures.find(ssl, CertPathBuilderException.class) != null
                  || Failures.mentions(ssl, "PKIX path")
              ? "the server certificate is not trusted (unknown CA; insecureSkipVerify is off)"
              : cert != null ? "the server certificate was rejected" : "the TLS handshake failed";
      return new StepFailure(
          "TLS",
          "TLS failed: "
              + why
              + " for "
              + target
              + " ("
              + Failures.describe(cert != null ? cert : ssl)
              + ")");
    }
    if (t instanceof HttpTimeoutException
        || t instanceof TimeoutException
        || Failures.find(t, HttpTimeoutException.class) != null) {
      return new StepFailure(
          step,
          step
              + " failed: no answer from "
              + target
              + " within "
              + timeoutMillis
              + "ms ("
              + t.getClass().getSimpleName()
              + ")");
    }
    if (t instanceof IOException) {
      return new StepFailure(step, step + " failed: " + target + " (" + Failures.describe(t) + ")");
    }
    return null;
  }
}
