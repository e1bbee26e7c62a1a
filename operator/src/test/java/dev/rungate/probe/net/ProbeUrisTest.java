package dev.rungate.probe.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rungate.probe.step.StepFailure;
import org.junit.jupiter.api.Test;

/** Unit test of the tag URL + path join used by revision probes. */
class ProbeUrisTest {
  static final String TAG = "https://candidate---backend-abc123-uc.a.run.app";

  @Test
  void joinsPathsAndSwitchesSchemesForWebSockets() {
    assertThat(ProbeUris.join(TAG, "/health/ready", false)).isEqualTo(TAG + "/health/ready");
    assertThat(ProbeUris.join(TAG + "/", "ws", true))
        .isEqualTo("wss://candidate---backend-abc123-uc.a.run.app/ws");
    assertThat(ProbeUris.join("http://127.0.0.1:8080", null, true))
        .isEqualTo("ws://127.0.0.1:8080/");
  }

  @Test
  void theAudienceOfACloudRunTagUrlIsItsServiceUrl() {
    assertThat(ProbeUris.serviceUrlOf(TAG)).isEqualTo("https://backend-abc123-uc.a.run.app");
    assertThat(ProbeUris.serviceUrlOf(TAG + "/")).isEqualTo("https://backend-abc123-uc.a.run.app");
    assertThat(ProbeUris.serviceUrlOf("http://127.0.0.1:8080")).isEqualTo("http://127.0.0.1:8080");
  }

  @Test
  void rejectsUrlsOfTheWrongScheme() {
    assertThatThrownBy(() -> ProbeUris.parse("ftp://x/", "http", "https"))
        .isInstanceOf(StepFailure.class)
        .hasMessageContaining("is not a http:// or https:// URL");
    assertThat(ProbeUris.parse("WSS://x.example/ws", "ws", "wss").getHost()).isEqualTo("x.example");
  }
}
