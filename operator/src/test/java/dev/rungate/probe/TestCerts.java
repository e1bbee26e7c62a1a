package dev.rungate.probe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A test CA, a server certificate naming 127.0.0.1, one that does not, and an unrelated CA, made
 * with the openssl CLI.
 */
public final class TestCerts {
  public final Path dir;
  public final Path caCert;
  public final Path ipCert;
  public final Path ipKey;
  public final Path nameOnlyCert;
  public final Path nameOnlyKey;
  public final Path otherCaCert;

  private TestCerts(Path dir) {
    this.dir = dir;
    this.caCert = dir.resolve("ca.crt");
    this.ipCert = dir.resolve("ip.crt");
    this.ipKey = dir.resolve("ip.key");
    this.nameOnlyCert = dir.resolve("name.crt");
    this.nameOnlyKey = dir.resolve("name.key");
    this.otherCaCert = dir.resolve("other-ca.crt");
  }

  public static TestCerts create() {
    try {
      TestCerts c = new TestCerts(Files.createTempDirectory("rungate-certs-"));
      c.ca("ca", "rungate test CA");
      c.ca("other-ca", "some other CA");
      c.server("ip", "subjectAltName=IP:127.0.0.1,DNS:localhost");
      c.server("name", "subjectAltName=DNS:redis.example.internal");
      return c;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public String pem(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A server-side SSLContext presenting the 127.0.0.1 certificate (signed by the test CA, unknown
   * to the JDK).
   */
  public SSLContext serverContext() {
    openssl(
        "pkcs12",
        "-export",
        "-in",
        "ip.crt",
        "-inkey",
        "ip.key",
        "-out",
        "ip.p12",
        "-passout",
        "pass:changeit");
    try (InputStream in = Files.newInputStream(dir.resolve("ip.p12"))) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, "changeit".toCharArray());
      KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
      kmf.init(ks, "changeit".toCharArray());
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return ctx;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private void ca(String name, String cn) {
    openssl(
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        name + ".key",
        "-out",
        name + ".crt",
        "-days",
        "2",
        "-subj",
        "/CN=" + cn);
  }

  private void server(String name, String san) throws IOException {
    Files.writeString(
        dir.resolve(name + ".ext"),
        san + "\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
    openssl(
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        name + ".key",
        "-out",
        name + ".csr",
        "-subj",
        "/CN=redis-" + name);
    openssl(
        "x509",
        "-req",
        "-in",
        name + ".csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        name + ".crt",
        "-days",
        "2",
        "-extfile",
        name + ".ext");
  }

  private void openssl(String... args) {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("openssl failed: " + cmd + "\n" + out);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
