package dev.rungate.probe.memorystore;

import dev.rungate.api.status.CheckStep;
import dev.rungate.probe.step.StepFailure;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TrustManagerFactory that trusts every CA certificate of a PEM bundle (Memorystore publishes
 * several).
 */
final class PemTrust {
  private PemTrust() {}

  /**
   * Parses all certificates of {@code pem}.
   *
   * @throws StepFailure (step SECRET) when the text holds no certificate
   */
  static TrustManagerFactory trusting(String pem, String secretName) {
    List<Certificate> certs = new ArrayList<>();
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      certs.addAll(
          cf.generateCertificates(
              new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new StepFailure(
          CheckStep.SECRET.name(),
          "SECRET failed: "
              + secretName
              + " does not hold PEM certificates ("
              + e.getClass().getSimpleName()
              + ")");
    }
    if (certs.isEmpty()) {
      throw new StepFailure(
          CheckStep.SECRET.name(),
          "SECRET failed: " + secretName + " holds no PEM certificate (NoCertificate)");
    }
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      for (int i = 0; i < certs.size(); i++) {
        store.setCertificateEntry("ca-" + i, certs.get(i));
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      return tmf;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(
          "cannot build a trust store from " + certs.size() + " certificates", e);
    }
  }
}
