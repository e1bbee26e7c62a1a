package dev.rungate.emulator.redis;

import com.google.cloud.redis.v1.TlsCertificate;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Turns a PEM bundle into server_ca_certs entries, one per certificate, with the fields Memorystore
 * fills.
 */
final class CaCertificates {
  private CaCertificates() {}

  static List<TlsCertificate> parse(String pem) {
    List<TlsCertificate> out = new ArrayList<>();
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      for (Certificate c :
          cf.generateCertificates(
              new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
        X509Certificate x = (X509Certificate) c;
        String encoded =
            "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(x.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        out.add(
            TlsCertificate.newBuilder()
                .setSerialNumber(x.getSerialNumber().toString())
                .setCert(encoded)
                .setCreateTime(RedisInstanceStore.ts(x.getNotBefore().toInstant()))
                .setExpireTime(RedisInstanceStore.ts(x.getNotAfter().toInstant()))
                .setSha1Fingerprint(
                    HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-1").digest(x.getEncoded())))
                .build());
      }
    } catch (Exception e) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              "the CA file holds no readable PEM certificate ("
                  + e.getClass().getSimpleName()
                  + ")")
          .asRuntimeException();
    }
    if (out.isEmpty()) {
      throw Status.INVALID_ARGUMENT
          .withDescription("the CA file holds no PEM certificate")
          .asRuntimeException();
    }
    return out;
  }
}
