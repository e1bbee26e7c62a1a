package dev.rungate.probe.memorystore;

import dev.rungate.probe.step.Failures;
import dev.rungate.probe.step.StepFailure;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Maps what Lettuce, Netty and the server said during one step of a Memorystore probe to a {@link
 * StepFailure}: the step that really failed and a message in plain words that names the error
 * class. Returns null for exceptions it does not understand (a probe bug, not a verdict).
 */
public final class RedisFailures {
  /**
   * What the probe was doing: the target, whether TLS was on and whether an AUTH string was sent.
   */
  public record Context(String target, boolean tls, boolean authSent, long timeoutMillis) {}

  private RedisFailures() {}

  public static StepFailure map(String step, Throwable thrown, Context ctx) {
    Throwable t = Failures.unwrap(thrown);
    if (t instanceof StepFailure f) {
      return f;
    }
    RedisCommandExecutionException reply = Failures.find(t, RedisCommandExecutionException.class);
    if (reply != null) {
      return serverError(step, reply, ctx);
    }
    SSLException ssl = Failures.find(t, SSLException.class);
    if (ssl != null) {
      return tls(ssl, ctx);
    }
    if (Failures.findNamed(t, "NotSslRecordException") != null) {
      return new StepFailure(
          "TLS",
          "TLS failed: the server at "
              + ctx.target()
              + " did not answer the TLS handshake "
              + "with TLS; is this a plaintext port with tls enabled in the check? ("
              + Failures.describe(Failures.findNamed(t, "NotSslRecordException"))
              + ")");
    }
    Throwable connectTimeout = Failures.findNamed(t, "ConnectTimeoutException");
    if (connectTimeout != null) {
      return new StepFailure(
          "CONNECT",
          "CONNECT failed: connect timeout, no TCP answer from "
              + ctx.target()
              + " (no VPC path, wrong network or a stale IP?) ("
              + Failures.describe(connectTimeout)
              + ")");
    }
    ConnectException refused = Failures.find(t, ConnectException.class);
    if (refused != null) {
      return new StepFailure(
          "CONNECT",
          "CONNECT failed: connection refused by "
              + ctx.target()
              + ", nothing listens there (wrong host or port, or the instance is down) ("
              + Failures.describe(refused)
              + ")");
    }
    UnknownHostException unknown = Failures.find(t, UnknownHostException.class);
    if (unknown != null) {
      return new StepFailure(
          "DNS",
          "DNS failed: cannot resolve the host of "
              + ctx.target()
              + " ("
              + Failures.describe(unknown)
              + ")");
    }
    if ("TLS".equals(step) && t instanceof TimeoutException) {
      return new StepFailure(
          "TLS",
          "TLS failed: no TLS handshake answer from "
              + ctx.target()
              + " within "
              + ctx.timeoutMillis()
              + "ms; a plaintext port with tls enabled in the check looks like this (TimeoutException)");
    }
    if (t instanceof TimeoutException
        || Failures.find(t, RedisCommandTimeoutException.class) != null) {
      return new StepFailure(
          step,
          step
              + " failed: no reply from "
              + ctx.target()
              + " within "
              + ctx.timeoutMillis()
              + "ms ("
              + (t instanceof TimeoutException
                  ? "TimeoutException"
                  : "RedisCommandTimeoutException")
              + ")");
    }
    if (closedByPeer(t)) {
      return closed(step, t, ctx);
    }
    if (t instanceof RedisConnectionException || t instanceof RedisException) {
      return new StepFailure(
          step,
          step
              + " failed: "
              + Failures.describe(t)
              + (t.getCause() == null ? "" : " caused by " + Failures.describe(Failures.root(t))));
    }
    return null;
  }

  private static StepFailure serverError(
      String step, RedisCommandExecutionException e, Context ctx) {
    String reply = e.getMessage() == null ? "" : e.getMessage();
    String cls = " (" + Failures.describe(e) + ")";
    if (reply.startsWith("NOAUTH")) {
      return new StepFailure(
          "AUTH",
          "AUTH failed: the server requires an AUTH string"
              + (ctx.authSent()
                  ? " and did not accept ours"
                  : " but the check has no authSecretRef")
              + cls);
    }
    if (reply.startsWith("WRONGPASS") || reply.contains("invalid password")) {
      return new StepFailure(
          "AUTH",
          "AUTH failed: the server rejected the AUTH string from the Secret"
              + " (it does not match the instance's AUTH string)"
              + cls);
    }
    if (reply.contains("called without any password configured")) {
      return new StepFailure(
          "AUTH",
          "AUTH failed: the check sends an AUTH string but the server has no password"
              + " configured (remove authSecretRef, or enable AUTH on the instance)"
              + cls);
    }
    if (reply.startsWith("LOADING")) {
      return new StepFailure(
          step,
          step
              + " failed: the server is loading its dataset into memory and does not"
              + " serve commands yet"
              + cls);
    }
    if (reply.startsWith("READONLY")) {
      return new StepFailure(
          step,
          step
              + " failed: the server is a read-only replica; writes need the primary"
              + " endpoint (host, not read_endpoint)"
              + cls);
    }
    return new StepFailure(step, step + " failed: the server replied with an error" + cls);
  }

  private static StepFailure tls(SSLException ssl, Context ctx) {
    String why;
    Throwable cert = Failures.find(ssl, CertificateException.class);
    if (Failures.find(ssl, CertPathBuilderException.class) != null
        || Failures.mentions(ssl, "PKIX path")) {
      why = "the server certificate is not signed by a CA from caSecretRef (unknown CA)";
    } else if (cert != null
        && (Failures.mentions(cert, "subject alternative")
            || Failures.mentions(cert, "No name matching"))) {
      why =
          "the server certificate does not name "
              + ctx.target()
              + " (VerifyFull checks the name; Memorystore"
              + " certificates often do not name the IP, use VerifyCA)";
    } else if (Failures.mentions(ssl, "handshake timed out")) {
      why =
          "no TLS handshake answer from "
              + ctx.target()
              + " in time; a plaintext port with tls enabled in the check looks like this";
    } else if (Failures.mentions(ssl, "plaintext connection")
        || Failures.mentions(ssl, "Unsupported or unrecognized SSL message")) {
      why =
          "the server did not answer with TLS; is this a plaintext port with tls enabled in the check?";
    } else {
      why = "the TLS handshake with " + ctx.target() + " failed";
    }
    Throwable shown = cert != null ? cert : ssl;
    return new StepFailure("TLS", "TLS failed: " + why + " (" + Failures.describe(shown) + ")");
  }

  private static boolean closedByPeer(Throwable t) {
    return Failures.find(t, ClosedChannelException.class) != null
        || Failures.mentions(t, "Connection reset")
        || Failures.mentions(t, "Connection closed")
        || (Failures.find(t, IOException.class) != null && Failures.mentions(t, "closed"));
  }

  private static StepFailure closed(String step, Throwable t, Context ctx) {
    Throwable shown = Failures.root(t);
    if (ctx.tls() && "CONNECT".equals(step)) {
      return new StepFailure(
          "TLS",
          "TLS failed: the server at "
              + ctx.target()
              + " closed the connection during the"
              + " TLS handshake; a plaintext port with tls enabled in the check looks like this ("
              + Failures.describe(shown)
              + ")");
    }
    if (!ctx.tls()) {
      return new StepFailure(
          "TLS",
          "TLS failed: the server at "
              + ctx.target()
              + " closed the connection without"
              + " answering, as a TLS-only port does with a plaintext client (tls is Disabled in the check; Memorystore"
              + " with in-transit encryption listens on 6378 and needs TLS) ("
              + Failures.describe(shown)
              + ")");
    }
    return new StepFailure(
        step,
        step
            + " failed: the server at "
            + ctx.target()
            + " closed the connection ("
            + Failures.describe(shown)
            + ")");
  }
}
