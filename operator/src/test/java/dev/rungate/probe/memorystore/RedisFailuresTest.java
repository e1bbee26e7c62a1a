package dev.rungate.probe.memorystore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungate.probe.step.StepFailure;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisLoadingException;
import io.netty.channel.ConnectTimeoutException;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * Unit test of the reply/exception mapping, with the exact reply texts Redis 7 sends. The same
 * signatures are produced by real servers in MemorystoreProbeTest, MemorystoreFailuresTest and
 * MemorystoreTlsTest; this covers the wrapping variants Lettuce uses.
 */
class RedisFailuresTest {
  static final RedisFailures.Context PLAIN =
      new RedisFailures.Context("10.0.0.3:6379", false, false, 2000);
  static final RedisFailures.Context TLS =
      new RedisFailures.Context("10.0.0.3:6378 (TLS VerifyCA)", true, true, 2000);

  @Test
  void loadingReplyKeepsTheStepAndSaysLoading() {
    StepFailure f =
        RedisFailures.map(
            "PING",
            new RedisLoadingException("LOADING Redis is loading the dataset in memory"),
            PLAIN);
    assertThat(f.step).isEqualTo("PING");
    assertThat(f.getMessage()).contains("loading its dataset").contains("RedisLoadingException");
  }

  @Test
  void authRepliesWrappedInAConnectionExceptionMapToAuth() {
    Throwable wrapped =
        new ExecutionException(
            new RedisConnectionException(
                "Unable to connect",
                new RedisCommandExecutionException(
                    "WRONGPASS invalid username-password pair or user is disabled.")));
    assertThat(RedisFailures.map("CONNECT", wrapped, TLS).step).isEqualTo("AUTH");
    StepFailure noPassword =
        RedisFailures.map(
            "AUTH",
            new RedisCommandExecutionException(
                "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?"),
            TLS);
    assertThat(noPassword.step).isEqualTo("AUTH");
    assertThat(noPassword.getMessage()).contains("no password configured");
  }

  @Test
  void connectTimeoutIsConnectStep() {
    Throwable t =
        new RedisConnectionException(
            "Unable to connect to 10.0.0.3:6379",
            new ConnectTimeoutException("connection timed out after 1800 ms: /10.0.0.3:6379"));
    StepFailure f = RedisFailures.map("CONNECT", t, PLAIN);
    assertThat(f.step).isEqualTo("CONNECT");
    assertThat(f.getMessage())
        .contains("connect timeout")
        .contains("no VPC path")
        .contains("ConnectTimeoutException");
  }

  @Test
  void resetWithTlsOnIsAPlainConnectionClosure() {
    StepFailure f = RedisFailures.map("PING", new IOException("Connection reset by peer"), TLS);
    assertThat(f.step).isEqualTo("PING");
    assertThat(f.getMessage()).contains("closed the connection").contains("IOException");
  }

  @Test
  void unknownExceptionIsNotMapped() {
    assertThat(RedisFailures.map("PING", new NullPointerException("x"), PLAIN)).isNull();
  }
}
