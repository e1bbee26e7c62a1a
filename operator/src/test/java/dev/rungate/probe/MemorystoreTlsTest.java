package dev.rungate.probe;

import static dev.rungate.api.checks.TlsSpec.Mode.Disabled;
import static dev.rungate.api.checks.TlsSpec.Mode.VerifyCA;
import static dev.rungate.api.checks.TlsSpec.Mode.VerifyFull;
import static dev.rungate.probe.Checks.NS;
import static dev.rungate.probe.Checks.redis;
import static dev.rungate.probe.Checks.withAuth;
import static dev.rungate.probe.Checks.withTls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rungate.api.checks.MemorystoreCheck;
import dev.rungate.api.status.CheckResult;
import dev.rungate.secrets.InMemorySecretReader;
import dev.rungate.testing.RedisServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * TLS modes against real TLS-only redis-servers, with certificates made by openssl for the test.
 */
@Tag("real")
class MemorystoreTlsTest {
  static final String PASSWORD = "Tls-Auth-Llama-5581";
  static TestCerts certs;
  static RedisServer tlsIp;
  static RedisServer tlsNameOnly;
  static RedisServer plain;
  static DefaultProbes probes;

  @BeforeAll
  static void start() {
    certs = TestCerts.create();
    tlsIp =
        RedisServer.startTls(certs.ipCert, certs.ipKey, certs.caCert, "--requirepass", PASSWORD);
    tlsNameOnly = RedisServer.startTls(certs.nameOnlyCert, certs.nameOnlyKey, certs.caCert);
    plain = RedisServer.start();
    InMemorySecretReader secrets =
        new InMemorySecretReader()
            .put(NS, "redis-ca", "ca.pem", certs.pem(certs.caCert))
            .put(NS, "other-ca", "ca.pem", certs.pem(certs.otherCaCert))
            .put(NS, "bundle-ca", "ca.pem", certs.pem(certs.otherCaCert) + certs.pem(certs.caCert))
            .put(NS, "junk-ca", "ca.pem", "not a certificate")
            .put(NS, "redis-auth", "password", PASSWORD);
    probes = new DefaultProbes(secrets);
  }

  @AfterAll
  static void stop() {
    probes.close();
    tlsIp.close();
    tlsNameOnly.close();
    plain.close();
  }

  static CheckResult probe(MemorystoreCheck c) {
    if (c.timeout == null) {
      c.timeout =
          "5s"; // generous: a cold JVM's first TLS handshake on a busy 2-core machine is slow
    }
    return probes.checkDependencies(NS, Checks.deps(List.of(c), List.of())).get(0);
  }

  @Test
  void verifyFullWithAuthAndWritePassesWhenCertNamesTheIp() {
    MemorystoreCheck c =
        withAuth(
            withTls(redis("cache", tlsIp.port), VerifyFull, "redis-ca"), "redis-auth", "password");
    c.write = true;
    CheckResult r = probe(c);
    assertThat(r.ok()).as(r.toString()).isTrue();
    assertThat(r.target).isEqualTo("127.0.0.1:" + tlsIp.port + " (TLS VerifyFull)");
    assertThat(r.message)
        .contains("TLS VerifyFull")
        .contains("AUTH ok")
        .contains("write round trip ok");
  }

  @Test
  void verifyCaPassesWhenCertDoesNotNameTheIp() {
    CheckResult r = probe(withTls(redis("cache", tlsNameOnly.port), VerifyCA, "redis-ca"));
    assertThat(r.ok()).as(r.toString()).isTrue();
  }

  @Test
  void caBundleWithSeveralCertificatesIsTrustedWhole() {
    CheckResult r = probe(withTls(redis("cache", tlsNameOnly.port), VerifyCA, "bundle-ca"));
    assertThat(r.ok()).as(r.toString()).isTrue();
  }

  @Test
  void verifyFullFailsOnNameMismatch() {
    CheckResult r = probe(withTls(redis("cache", tlsNameOnly.port), VerifyFull, "redis-ca"));
    assertThat(r.failedStep).as(r.toString()).isEqualTo("TLS");
    assertThat(r.message)
        .contains("does not name")
        .contains("use VerifyCA")
        .contains("CertificateException");
  }

  @Test
  void unknownCaFailsAtTls() {
    CheckResult r = probe(withTls(redis("cache", tlsNameOnly.port), VerifyCA, "other-ca"));
    assertThat(r.failedStep).as(r.toString()).isEqualTo("TLS");
    assertThat(r.message).contains("unknown CA");
  }

  @Test
  void plaintextClientOnTlsPortFailsAtTls() {
    CheckResult r = probe(withTls(redis("cache", tlsNameOnly.port), Disabled, null));
    assertThat(r.failedStep).as(r.toString()).isEqualTo("TLS");
    assertThat(r.message)
        .contains("closed the connection")
        .contains("tls is Disabled")
        .contains("6378");
  }

  @Test
  void tlsClientOnPlaintextPortFailsAtTls() {
    MemorystoreCheck c = withTls(redis("cache", plain.port), VerifyCA, "redis-ca");
    c.timeout = "2s";
    CheckResult r = probe(c);
    assertThat(r.failedStep).as(r.toString()).isEqualTo("TLS");
    assertThat(r.message).contains("plaintext port with tls enabled");
  }

  @Test
  void caSecretWithoutCertificatesIsSecretError() {
    CheckResult r = probe(withTls(redis("cache", tlsNameOnly.port), VerifyCA, "junk-ca"));
    assertThat(r.failedStep).as(r.toString()).isEqualTo("SECRET");
    assertThat(r.message).contains("junk-ca").contains("ca.pem");
  }
}
