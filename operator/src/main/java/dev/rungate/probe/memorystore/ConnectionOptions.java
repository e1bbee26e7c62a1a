package dev.rungate.probe.memorystore;

import dev.rungate.api.checks.MemorystoreCheck;
import dev.rungate.api.checks.TlsSpec;
import dev.rungate.probe.step.Attempt;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.protocol.ProtocolVersion;
import java.time.Duration;

/**
 * The Lettuce client options of a probe's one connection: no reconnect, RESP2, timeouts within the
 * check's, TLS trusting the CA a Secret holds.
 */
final class ConnectionOptions {
  private ConnectionOptions() {}

  static String caLabel(MemorystoreCheck check) {
    return check.tls == null || check.tls.caSecretRef == null
        ? null
        : "Secret " + check.tls.caSecretRef.name + " key '" + check.tls.caSecretRef.key + "'";
  }

  static ClientOptions options(Attempt a, TlsSpec.Mode mode, String caPem, String caLabel) {
    Duration connectTimeout = Duration.ofMillis(Math.max(1, a.timeout.toMillis() * 9 / 10));
    ClientOptions.Builder b =
        ClientOptions.builder()
            .autoReconnect(false)
            .pingBeforeActivateConnection(false)
            .protocolVersion(
                ProtocolVersion.RESP2) // single-argument AUTH, as Memorystore clients send it
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).build())
            .timeoutOptions(TimeoutOptions.enabled(a.timeout));
    if (mode != TlsSpec.Mode.Disabled) {
      SslOptions.Builder ssl =
          SslOptions.builder().jdkSslProvider().handshakeTimeout(connectTimeout);
      if (caPem != null) {
        ssl.trustManager(PemTrust.trusting(caPem, caLabel));
      }
      b.sslOptions(ssl.build());
    }
    return b.build();
  }
}
