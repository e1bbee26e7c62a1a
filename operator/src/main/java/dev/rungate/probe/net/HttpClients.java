package dev.rungate.probe.net;

import java.net.Socket;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The two shared JDK HTTP clients: verifying (default) and, for insecureSkipVerify, trusting
 * anything.
 */
public final class HttpClients {
  public final HttpClient verifying;
  final HttpClient insecure;

  public HttpClients(Executor executor) {
    this.verifying = base(executor).build();
    this.insecure = base(executor).sslContext(trustAll()).build();
  }

  HttpClient pick(Boolean insecureSkipVerify) {
    return Boolean.TRUE.equals(insecureSkipVerify) ? insecure : verifying;
  }

  private static HttpClient.Builder base(Executor executor) {
    return HttpClient.newBuilder()
        .executor(executor)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(
            Duration.ofSeconds(30)); // each request is bounded by its own, shorter timeout
  }

  /**
   * Accepts every certificate and, being an X509ExtendedTrustManager, skips the host name check
   * too.
   */
  private static SSLContext trustAll() {
    TrustManager tm =
        new X509ExtendedTrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] c, String a, Socket s) {}

          @Override
          public void checkServerTrusted(X509Certificate[] c, String a, Socket s) {}

          @Override
          public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) {}

          @Override
          public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) {}

          @Override
          public void checkClientTrusted(X509Certificate[] c, String a) {}

          @Override
          public void checkServerTrusted(X509Certificate[] c, String a) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {tm}, new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("TLS is not available in this JVM", e);
    }
  }
}
