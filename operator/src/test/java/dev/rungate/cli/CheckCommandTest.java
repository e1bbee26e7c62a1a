package dev.rungate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rungate.probe.TestHttpServer;
import dev.rungate.testing.RedisServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** rungate check through Main's command line, against a real redis-server and HTTP server. */
@Tag("real")
class CheckCommandTest {
  static RedisServer redis;
  static TestHttpServer http;
  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.start();
    http = TestHttpServer.http();
  }

  @AfterAll
  static void stop() {
    redis.close();
    http.close();
  }

  record Run(int code, String out, String err) {}

  /**
   * Main's command line with its output and errors captured per call (not by swapping System.out,
   * which the classes running beside this one in the Failsafe pool write to).
   */
  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        new CommandLine(new Main())
            .setCaseInsensitiveEnumValuesAllowed(true)
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  Path policy(String dependencies) throws Exception {
    Path f = dir.resolve("policy.yaml");
    Files.writeString(
        f,
        """
        apiVersion: rungate.dev/v1alpha1
        kind: ReadinessPolicy
        metadata:
          name: backend
          namespace: apps
        spec:
          service: {project: netra-staging, region: us-central1, name: backend}
        """
            + dependencies);
    return f;
  }

  @Test
  void allPassingPrintsTableAndExitsZero() throws Exception {
    Path f =
        policy(
            """
          dependencies:
            memorystore:
              - {name: cache, host: 127.0.0.1, port: %d, write: true}
            network:
              - {name: auth, http: {url: "%s"}, timeout: 5s}
        """
                .formatted(redis.port, http.url("/ok")));
    Run r = run("check", "-f", f.toString());
    assertThat(r.code).as(r.out + r.err).isEqualTo(0);
    assertThat(r.out.lines().findFirst().orElse(""))
        .startsWith("NAME")
        .contains("STEP")
        .contains("LATENCY");
    assertThat(r.out)
        .contains("cache")
        .contains("memorystore")
        .contains("127.0.0.1:" + redis.port)
        .contains("true")
        .contains("auth")
        .contains("HTTP 200");
  }

  @Test
  void failingProbeExitsOneAndJsonNamesTheStep() throws Exception {
    int closed = RedisServer.freePort();
    Path f =
        policy(
            """
          dependencies:
            memorystore:
              - {name: cache, host: 127.0.0.1, port: %d}
              - {name: stale, host: 127.0.0.1, port: %d}
        """
                .formatted(redis.port, closed));
    Run r = run("check", "-f", f.toString(), "-o", "json");
    assertThat(r.code).as(r.out + r.err).isEqualTo(1);
    JsonNode doc = new ObjectMapper().readTree(r.out);
    assertThat(doc.get("passed").asBoolean()).isFalse();
    assertThat(doc.get("namespace").asText()).isEqualTo("apps");
    assertThat(doc.get("checks").get(0).get("passed").asBoolean()).isTrue();
    assertThat(doc.get("checks").get(1).get("failedStep").asText()).isEqualTo("CONNECT");
    assertThat(doc.get("checks").get(1).get("message").asText()).contains("connection refused");
  }

  @Test
  void policyWithoutDependenciesExitsZeroWithANote() throws Exception {
    Run r = run("check", "-f", policy("").toString());
    assertThat(r.code).isEqualTo(0);
    assertThat(r.out).contains("no dependencies");
  }

  @Test
  void policyWhoseStepsDecreaseIsASpecErrorNotNothingToProbe() throws Exception {
    Path f =
        policy(
            """
          rollout:
            steps: [{percent: 50}, {percent: 10}, {percent: 100}]
        """);
    Run r = run("check", "-f", f.toString());
    assertThat(r.code).as(r.out + r.err).isEqualTo(2);
    assertThat(r.err).contains("spec.rollout.steps[1].percent: 10 must be greater than 50");
    assertThat(r.out).doesNotContain("nothing to probe");
  }

  @Test
  void unreadableFileAndMissingOptionExitTwo() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "spec: [this is: not: a policy");
    Run r = run("check", "-f", bad.toString());
    assertThat(r.code).isEqualTo(2);
    assertThat(r.err).contains("cannot read").contains("bad.yaml");
    assertThat(run("check", "-f", dir.resolve("missing.yaml").toString()).code).isEqualTo(2);
    assertThat(run("check").code).isEqualTo(2);
  }

  @Test
  void malformedTimeoutInPolicyIsSpecErrorExitTwo() throws Exception {
    Path f =
        policy(
            """
          dependencies:
            memorystore:
              - {name: cache, host: 127.0.0.1, port: %d, timeout: soon}
        """
                .formatted(redis.port));
    Run r = run("check", "-f", f.toString());
    assertThat(r.code).isEqualTo(2);
    // the operator's validator refuses it before anything is probed, naming the field
    assertThat(r.err)
        .contains("spec.dependencies.memorystore[0].timeout")
        .contains("'soon' is not a duration");
  }

  @Test
  void unreadableKubeconfigIsUsageErrorExitTwo() throws Exception {
    Path f =
        policy(
            """
          dependencies:
            memorystore:
              - {name: cache, host: 127.0.0.1, port: %d, authSecretRef: {name: redis-auth, key: password}}
        """
                .formatted(redis.port));
    Run r = run("check", "-f", f.toString(), "--kubeconfig", dir.resolve("nope").toString());
    assertThat(r.code).as(r.out + r.err).isEqualTo(2);
    assertThat(r.err).contains("cannot read --kubeconfig");
  }

  @Test
  void secretRefWithUnreachableClusterFailsAtSecretStep() throws Exception {
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "http://127.0.0.1:%d"}}]
        users: [{name: u, user: {token: abc}}]
        contexts: [{name: x, context: {cluster: c, user: u, namespace: apps}}]
        current-context: x
        """
            .formatted(RedisServer.freePort()));
    Path f =
        policy(
            """
          dependencies:
            memorystore:
              - {name: cache, host: 127.0.0.1, port: %d, authSecretRef: {name: redis-auth, key: password}, timeout: 5s}
        """
                .formatted(redis.port));
    Run r =
        run(
            "check",
            "-f",
            f.toString(),
            "--kubeconfig",
            kubeconfig.toString(),
            "-n",
            "apps",
            "-o",
            "json");
    assertThat(r.code).as(r.out + r.err).isEqualTo(1);
    JsonNode check = new ObjectMapper().readTree(r.out).get("checks").get(0);
    assertThat(check.get("failedStep").asText()).isEqualTo("SECRET");
    assertThat(check.get("message").asText())
        .contains("apps/redis-auth")
        .contains("'password'")
        .contains("unreachable");
  }
}
