package dev.rungate.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.run.v2.Service;
import dev.rungate.emulator.identity.TokenAuthority;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A service deployed without --allow-unauthenticated, and the metadata server that mints its ID
 * tokens.
 */
@Tag("real")
class PrivateIngressTest {
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static EmulatorFixture emulator;
  private static Service service;

  @BeforeAll
  static void start() throws Exception {
    emulator = new EmulatorFixture();
    Service stable = emulator.createReady("priv", "priv-a");
    service =
        emulator.update(
            stable.toBuilder()
                .setTemplate(EmulatorFixture.httpApp("priv-b"))
                .clearTraffic()
                .addTraffic(EmulatorFixture.pinned("priv-a", 100, ""))
                .addTraffic(EmulatorFixture.pinned("priv-b", 0, "candidate"))
                .build());
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  private static HttpResponse<String> get(String url, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * GET the metadata server's identity endpoint as google-auth-library's ComputeEngineCredentials
   * does.
   */
  private static HttpResponse<String> identity(String audience, boolean flavor) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
            URI.create(
                "http://"
                    + emulator.server.metadataHost()
                    + "/computeMetadata/v1/instance/service-accounts/default/identity?audience="
                    + URLEncoder.encode(audience, StandardCharsets.UTF_8)
                    + "&format=full"));
    if (flavor) {
      request.header("Metadata-Flavor", "Google");
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anonymousRequestsAreRefusedOnTheServiceAndTagUrls() throws Exception {
    String tagUrl = service.getTrafficStatuses(1).getUri();
    long before = emulator.server.ingressRejected();
    long statsBefore = emulator.server.stats().of("demo", EmulatorServer.INGRESS_METHOD).rejected();

    HttpResponse<String> anonymous = get(service.getUri() + "/hello", null);
    assertThat(anonymous.statusCode()).isEqualTo(403);
    assertThat(anonymous.body()).contains("Error: Forbidden").contains("<code>/hello</code>");
    assertThat(get(tagUrl, null).statusCode()).isEqualTo(403);
    assertThat(get(tagUrl, "not-a-jwt").statusCode()).isEqualTo(403);
    assertThat(emulator.server.ingressRejected() - before).isEqualTo(3);
    assertThat(
            emulator.server.stats().of("demo", EmulatorServer.INGRESS_METHOD).rejected()
                - statsBefore)
        .as("refusals show as rejected in the emulator's call accounting")
        .isEqualTo(3);
  }

  @Test
  void aTokenFromTheMetadataServerForTheServiceUrlPassesOnBothUrls() throws Exception {
    HttpResponse<String> minted = identity(service.getUri(), true);
    assertThat(minted.statusCode()).isEqualTo(200);
    assertThat(minted.headers().firstValue("Metadata-Flavor")).hasValue("Google");
    String token = minted.body();

    assertThat(get(service.getUri(), token).body()).isEqualTo("priv-a");
    assertThat(get(service.getTrafficStatuses(1).getUri(), token).body()).isEqualTo("priv-b");
  }

  @Test
  void wrongAudienceExpiredTokenAndMissingMetadataFlavorAreRefused() throws Exception {
    String tagUrl = service.getTrafficStatuses(1).getUri();
    assertThat(get(tagUrl, identity("https://other-service.a.run.app", true).body()).statusCode())
        .isEqualTo(403);
    String expired =
        emulator
            .server
            .tokens()
            .mint(service.getUri(), Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1));
    assertThat(get(tagUrl, expired).statusCode()).isEqualTo(403);
    String foreign = new TokenAuthority("elsewhere").mint(service.getUri());
    assertThat(get(tagUrl, foreign).statusCode()).as("signed with another key").isEqualTo(403);
    assertThat(identity(service.getUri(), false).statusCode()).isEqualTo(403);
  }

  @Test
  void allowUnauthenticatedMakesItPublicAgain() throws Exception {
    Service open = emulator.createReady("pub", "pub-a");
    assertThat(get(open.getUri(), null).statusCode()).isEqualTo(403);
    emulator.makePublic("pub");
    assertThat(get(open.getUri(), null).body()).isEqualTo("pub-a");
  }
}
