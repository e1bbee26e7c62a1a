package dev.rungate.probe;

import static dev.rungate.probe.Checks.NS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rungate.api.checks.HttpCheck;
import dev.rungate.api.checks.NetworkCheck;
import dev.rungate.api.spec.RevisionProbe;
import dev.rungate.api.status.CheckResult;
import dev.rungate.secrets.SecretReader;
import dev.rungate.testing.RedisServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** HTTP(S), TCP and DNS checks and HTTP revision probes against real local servers. */
@Tag("real")
class HttpProbeTest {
  static TestHttpServer http;
  static TestHttpServer https;
  static DefaultProbes probes;

  @BeforeAll
  static void start() throws Exception {
    http = TestHttpServer.http();
    https = TestHttpServer.https(TestCerts.create().serverContext());
    probes = new DefaultProbes(SecretReader.NONE);
  }

  @AfterAll
  static void stop() {
    probes.close();
    http.close();
    https.close();
  }

  static CheckResult check(NetworkCheck c) {
    return probes.checkDependencies(NS, Checks.deps(List.of(), List.of(c))).get(0);
  }

  @Test
  void okEndpointPassesWithBodyCheck() {
    NetworkCheck c = Checks.http("auth", http.url("/ok"), "5s");
    c.http.bodyContains = "ready";
    CheckResult r = check(c);
    assertThat(r.ok()).as(r.toString()).isTrue();
    assertThat(r.kind).isEqualTo("http");
    assertThat(r.target).isEqualTo(http.url("/ok"));
    assertThat(r.message).contains("HTTP 200").contains("body contains 'ready'");
  }

  @Test
  void unexpectedStatusFailsWithStatusAndBodyExcerpt() {
    CheckResult r = check(Checks.http("auth", http.url("/down"), "5s"));
    assertThat(r.failedStep).as(r.toString()).isEqualTo("STATUS");
    assertThat(r.message).contains("HTTP 503, expected one of [200]").contains("redis not ready");
  }

  @Test
  void listedStatusPasses() {
    NetworkCheck c = Checks.http("auth", http.url("/down"), "5s");
    c.http.expectStatus = List.of(200, 503);
    assertThat(check(c).ok()).isTrue();
  }

  @Test
  void missingBodyTextFailsAtBody() {
    NetworkCheck c = Checks.http("auth", http.url("/ok"), "5s");
    c.http.bodyContains = "healthy";
    CheckResult r = check(c);
    assertThat(r.failedStep).as(r.toString()).isEqualTo("BODY");
    assertThat(r.message).contains("does not contain 'healthy'");
  }

  @Test
  void slowResponseFailsWithinTimeout() {
    CheckResult r = check(Checks.http("auth", http.url("/sleep?ms=3000"), "500ms"));
    assertThat(r.failedStep).as(r.toString()).isEqualTo("RESPONSE");
    assertThat(r.message).contains("within 500ms");
    assertThat(r.latencyMillis).isLessThan(1200L);
  }

  @Test
  void refusedConnectionFailsAtConnect() {
    CheckResult r =
        check(Checks.http("auth", "http://127.0.0.1:" + RedisServer.freePort() + "/", "5s"));
    assertThat(r.failedStep).as(r.toString()).isEqualTo("CONNECT");
    assertThat(r.message).contains("connection refused").contains("ConnectException");
  }

  @Test
  void untrustedCertificateFailsAtTlsUnlessVerificationIsSkipped() {
    NetworkCheck c = Checks.http("internal", https.url("/ok"), "3s");
    CheckResult r = check(c);
    assertThat(r.failedStep).as(r.toString()).isEqualTo("TLS");
    assertThat(r.message).contains("not trusted");
    c.http.insecureSkipVerify = true;
    CheckResult skipped = check(c);
    assertThat(skipped.ok()).as(skipped.toString()).isTrue();
  }

  @Test
  void tcpAndDnsChecks() {
    String host = "127.0.0.1";
    int port = Integer.parseInt(http.url("").replaceAll(".*:", ""));
    assertThat(check(Checks.tcp("api", host, port, "1s")).ok()).isTrue();
    CheckResult refused = check(Checks.tcp("api", host, RedisServer.freePort(), "1s"));
    assertThat(refused.failedStep).isEqualTo("CONNECT");
    assertThat(refused.message).contains("connection refused");
    CheckResult dns = check(Checks.dns("name", "localhost"));
    assertThat(dns.ok()).as(dns.toString()).isTrue();
    assertThat(dns.message).startsWith("localhost -> ").contains("127.0.0.1");
    CheckResult nx = check(Checks.dns("name", "no-such-host.invalid"));
    assertThat(nx.failedStep).as(nx.toString()).isEqualTo("DNS");
  }

  @Test
  void checkWithTwoKindsIsSpecError() {
    NetworkCheck c = Checks.http("auth", http.url("/ok"), "5s");
    c.dns = Checks.dns("x", "localhost").dns;
    CheckResult r = check(c);
    assertThat(r.failedStep).isEqualTo("SPEC");
    assertThat(r.message).contains("exactly one of");
  }

  @Test
  void revisionProbesDefaultToFiveSecondsNetworkChecksToTwo() {
    RevisionProbe p = new RevisionProbe();
    p.name = "slow-start";
    p.http = new HttpCheck();
    p.http.path = "/sleep?ms=2500";
    CheckResult revision = probes.probeRevision(http.url(""), List.of(p)).get(0);
    assertThat(revision.ok()).as(revision.toString()).isTrue();
    CheckResult network = check(Checks.http("slow-start", http.url("/sleep?ms=2500"), null));
    assertThat(network.failedStep).as(network.toString()).isEqualTo("RESPONSE");
    assertThat(network.message).contains("within 2000ms");
  }

  @Test
  void revisionProbeJoinsTagUrlAndPath() {
    RevisionProbe p = new RevisionProbe();
    p.name = "ready";
    p.http = new HttpCheck();
    p.http.path = "/ok";
    String tagUrl = http.url("");
    CheckResult r = probes.probeRevision(tagUrl + "/", List.of(p)).get(0);
    assertThat(r.ok()).as(r.toString()).isTrue();
    assertThat(r.target).isEqualTo(tagUrl + "/ok");
  }
}
