package dev.rungate.emulator.identity;

import com.google.api.client.json.JsonFactory;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.client.json.webtoken.JsonWebSignature;
import com.google.api.client.json.webtoken.JsonWebToken;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;

/**
 * The emulator's stand-in for Google's ID token issuer: mints RS256-signed ID tokens (as the
 * metadata server's identity endpoint does) with its own key, and verifies them the way Cloud Run's
 * front end does: signature, audience (the service URL) and expiry (platform-facts.md, "Private
 * services"), on the emulator's clock.
 */
public final class TokenAuthority {
  public static final String ISSUER = "https://accounts.google.com";
  public static final Duration LIFETIME = Duration.ofHours(1);
  private static final JsonFactory JSON = GsonFactory.getDefaultInstance();

  private final KeyPair keys;
  private final String keyId = UUID.randomUUID().toString().replace("-", "");
  private final String email;
  private final Clock clock;

  public TokenAuthority(String project) {
    this(project, Clock.systemUTC());
  }

  public TokenAuthority(String project, Clock clock) {
    this.clock = clock;
    this.email = "rungate-emulator@" + project + ".iam.gserviceaccount.com";
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      this.keys = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA is not available in this JVM", e);
    }
  }

  /** The default service account's e-mail, as the metadata server reports it. */
  public String email() {
    return email;
  }

  /** An ID token for this audience, valid for an hour from now. */
  public String mint(String audience) {
    return mint(audience, clock.instant(), LIFETIME);
  }

  /** An ID token issued at {@code issuedAt}, e.g. in the past to get an expired one. */
  public String mint(String audience, Instant issuedAt, Duration lifetime) {
    JsonWebSignature.Header header =
        new JsonWebSignature.Header().setAlgorithm("RS256").setType("JWT").setKeyId(keyId);
    JsonWebToken.Payload payload =
        new JsonWebToken.Payload()
            .setIssuer(ISSUER)
            .setAudience(audience)
            .setSubject(Long.toString(Math.abs(email.hashCode())))
            .setIssuedAtTimeSeconds(issuedAt.getEpochSecond())
            .setExpirationTimeSeconds(issuedAt.plus(lifetime).getEpochSecond());
    payload.set("azp", payload.getSubject());
    payload.set("email", email);
    payload.set("email_verified", true);
    try {
      return JsonWebSignature.signUsingRsaSha256(keys.getPrivate(), JSON, header, payload);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot sign an ID token", e);
    }
  }

  /**
   * Why the token is refused for a request to a service with these accepted audiences; empty when
   * it is valid.
   */
  public Optional<String> refusal(String token, Collection<String> audiences) {
    JsonWebSignature jws;
    try {
      jws = JsonWebSignature.parse(JSON, token);
      if (!"RS256".equals(jws.getHeader().getAlgorithm())
          || !jws.verifySignature(keys.getPublic())) {
        return Optional.of("the ID token's signature does not verify");
      }
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      return Optional.of("the bearer token is not a signed JWT");
    }
    JsonWebToken.Payload payload = jws.getPayload();
    if (!ISSUER.equals(payload.getIssuer())) {
      return Optional.of("the ID token was not issued by " + ISSUER);
    }
    Long expires = payload.getExpirationTimeSeconds();
    if (expires == null || clock.instant().getEpochSecond() >= expires) {
      return Optional.of("the ID token has expired");
    }
    if (payload.getAudienceAsList().stream().noneMatch(audiences::contains)) {
      return Optional.of(
          "the ID token's audience " + payload.getAudienceAsList() + " is not this service's URL");
    }
    return Optional.empty();
  }
}
