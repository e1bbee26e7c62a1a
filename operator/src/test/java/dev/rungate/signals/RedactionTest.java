package dev.rungate.signals;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactionTest {
  @Test
  void valuesAfterSecretKeysAreMasked() {
    assertThat(Redaction.line("connecting with REDIS_PASSWORD=hunter2 db=0"))
        .isEqualTo("connecting with REDIS_PASSWORD=[REDACTED] db=0");
    assertThat(Redaction.line("token: abc.def.ghi")).isEqualTo("token: [REDACTED]");
    assertThat(Redaction.line("{\"client_secret\": \"s3cr3t\", \"user\": \"bob\"}"))
        .isEqualTo("{\"client_secret\": [REDACTED], \"user\": \"bob\"}");
    assertThat(Redaction.line("Authorization: Bearer")).doesNotContain("Bearer");
  }

  @Test
  void urlUserInfoIsMasked() {
    assertThat(Redaction.line("redis://default:pa55@10.0.0.3:6379/0 refused"))
        .isEqualTo("redis://[REDACTED]@10.0.0.3:6379/0 refused");
  }

  @Test
  void harmlessLinesStayAndLongLinesAreCut() {
    assertThat(Redaction.line("Worker (pid:7) exited with code 3"))
        .isEqualTo("Worker (pid:7) exited with code 3");
    assertThat(Redaction.line("x".repeat(500))).hasSize(Redaction.MAX_LINE);
    assertThat(Redaction.line(null)).isEmpty();
  }
}
