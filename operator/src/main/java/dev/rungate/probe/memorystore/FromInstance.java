package dev.rungate.probe.memorystore;

import dev.rungate.api.checks.MemorystoreCheck;
import dev.rungate.api.checks.TlsSpec;
import dev.rungate.domain.MemorystoreInstance;
import dev.rungate.probe.step.StepFailure;

/** A check naming an instance, turned into the host/port/TLS check the instance describes. */
public final class FromInstance {
  private FromInstance() {}

  /**
   * A copy of {@code check} aimed at the instance's host and port, with TLS when the instance
   * encrypts.
   */
  static MemorystoreCheck effective(MemorystoreCheck check, MemorystoreInstance i) {
    MemorystoreCheck c = new MemorystoreCheck();
    c.name = check.name;
    c.instance = check.instance;
    c.host = i.host();
    c.port = i.port();
    c.authSecretRef = check.authSecretRef;
    c.write = check.write;
    c.timeout = check.timeout;
    c.maxLatency = check.maxLatency;
    if (i.transitEncryption()) {
      c.tls = new TlsSpec();
      c.tls.mode =
          check.tls != null && check.tls.mode == TlsSpec.Mode.VerifyFull
              ? TlsSpec.Mode.VerifyFull
              : TlsSpec.Mode.VerifyCA;
    }
    return c;
  }

  /**
   * Every CA the instance lists (Memorystore rotates them: trust all), or null without in-transit
   * encryption.
   */
  static String caBundle(MemorystoreInstance i) {
    if (!i.transitEncryption()) {
      return null;
    }
    if (i.caCertificates().isEmpty()) {
      throw new StepFailure(
          "INSTANCE",
          "INSTANCE failed: instance "
              + i.name()
              + " has in-transit encryption but"
              + " lists no server_ca_certs (NoCaCertificates)");
    }
    return String.join("\n", i.caCertificates());
  }
}
