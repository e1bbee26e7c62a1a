package dev.rungate.gate.instances;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungate.api.checks.MemorystoreCheck;
import dev.rungate.api.checks.RevisionEnv;
import dev.rungate.domain.MemorystoreInstance;
import dev.rungate.gate.Fixtures;
import dev.rungate.gate.status.Block;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The drift decision, table-style: env vars of a revision against the instance's host, port and
 * TLS.
 */
class ConfigDriftTest {
  static final MemorystoreInstance PLAIN = Instances.ready("10.0.0.3", 6379, false);
  static final MemorystoreInstance TLS = Instances.ready("10.0.0.3", 6378, true);

  static Stream<Arguments> cases() {
    return Stream.of(
        // instance, env, host/port/tls/url vars, expected fragments of the message (none = no
        // drift)
        row(
            PLAIN,
            env("REDIS_HOST", "10.0.0.3", "REDIS_PORT", "6379"),
            vars("REDIS_HOST", "REDIS_PORT", null, null)),
        row(
            PLAIN,
            env("REDIS_HOST", "10.9.9.9", "REDIS_PORT", "6379"),
            vars("REDIS_HOST", "REDIS_PORT", null, null),
            "REDIS_HOST=10.9.9.9 but instance " + Instances.NAME,
            "10.0.0.3:6379",
            "--update-env-vars REDIS_HOST=10.0.0.3"),
        row(
            PLAIN,
            env("REDIS_HOST", "10.0.0.3", "REDIS_PORT", "6380"),
            vars("REDIS_HOST", "REDIS_PORT", null, null),
            "REDIS_PORT=6380",
            "REDIS_PORT=6379"),
        row(
            PLAIN,
            env("REDIS_PORT", "6379"),
            vars("REDIS_HOST", "REDIS_PORT", null, null),
            "REDIS_HOST is not set",
            "REDIS_HOST=10.0.0.3"),
        row(
            TLS,
            env("REDIS_HOST", "10.0.0.3", "REDIS_PORT", "6379", "REDIS_TLS", "false"),
            vars("REDIS_HOST", "REDIS_PORT", "REDIS_TLS", null),
            "REDIS_PORT=6379",
            "REDIS_TLS=false",
            "with TLS",
            "REDIS_PORT=6378",
            "REDIS_TLS=true"),
        row(
            TLS,
            env("REDIS_HOST", "10.0.0.3", "REDIS_PORT", "6378", "REDIS_TLS", "yes"),
            vars("REDIS_HOST", "REDIS_PORT", "REDIS_TLS", null)),
        row(
            TLS,
            env("REDIS_HOST", "10.0.0.3", "REDIS_PORT", "6378"),
            vars("REDIS_HOST", "REDIS_PORT", "REDIS_TLS", null),
            "REDIS_TLS is not set"),
        row(
            PLAIN,
            env("REDIS_TLS", "maybe"),
            vars(null, null, "REDIS_TLS", null),
            "REDIS_TLS=maybe"),
        // a DNS name cannot be compared with an IP without resolving it: not reported
        row(PLAIN, env("REDIS_HOST", "redis.internal"), vars("REDIS_HOST", null, null, null)),
        // a value from Secret Manager (null) cannot be compared: not reported
        row(PLAIN, env("REDIS_HOST", null), vars("REDIS_HOST", null, null, null)),
        row(
            PLAIN,
            env("REDIS_URL", "redis://10.0.0.3:6379/0"),
            vars(null, null, null, "REDIS_URL")),
        row(
            TLS,
            env("REDIS_URL", "rediss://:s3cret-pw@10.0.0.3:6378"),
            vars(null, null, null, "REDIS_URL")),
        row(
            TLS,
            env("REDIS_URL", "redis://:s3cret-pw@10.0.0.3:6379"),
            vars(null, null, null, "REDIS_URL"),
            "REDIS_URL=redis://***@10.0.0.3:6379",
            "REDIS_URL=rediss://10.0.0.3:6378"));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("cases")
  void decides(
      MemorystoreInstance instance,
      Map<String, String> env,
      RevisionEnv vars,
      List<String> expected) {
    MemorystoreCheck check = Instances.check(vars.host, vars.port, vars.tls, vars.url);
    Optional<Block> block =
        ConfigDrift.check(
            List.of(check), Map.of("session-store", instance), Instances.revision(env));
    if (expected.isEmpty()) {
      assertThat(block).isEmpty();
      return;
    }
    assertThat(block)
        .hasValueSatisfying(
            b -> {
              assertThat(b.reason()).isEqualTo("ConfigDrift");
              assertThat(b.message())
                  .contains(Fixtures.CANDIDATE)
                  .contains(expected)
                  .doesNotContain("s3cret-pw");
            });
  }

  @Test
  void aCheckWithHostComparesWithItsHostAndAnUnknownInstanceIsLeftToTheProbe() {
    MemorystoreCheck byHost = new MemorystoreCheck();
    byHost.name = "cache";
    byHost.host = "10.1.1.1";
    byHost.revisionEnv = new RevisionEnv("CACHE_HOST", null, null, null);
    var revision = Instances.revision(env("CACHE_HOST", "10.2.2.2", "REDIS_HOST", "10.9.9.9"));
    assertThat(ConfigDrift.check(List.of(byHost), Map.of(), revision))
        .hasValueSatisfying(
            b ->
                assertThat(b.message())
                    .contains("CACHE_HOST=10.2.2.2 but check cache is at 10.1.1.1:6379"));
    MemorystoreCheck missing = Instances.check("REDIS_HOST", null, null, null);
    assertThat(ConfigDrift.check(List.of(missing), Map.of(), revision)).isEmpty();
  }

  static Arguments row(
      MemorystoreInstance instance, Map<String, String> env, RevisionEnv vars, String... expected) {
    return Arguments.of(instance, env, vars, List.of(expected));
  }

  static RevisionEnv vars(String host, String port, String tls, String url) {
    return new RevisionEnv(host, port, tls, url);
  }

  static Map<String, String> env(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }
}
