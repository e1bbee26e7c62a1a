package dev.rungate.probe.net;

import com.google.auth.oauth2.ComputeEngineCredentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.IdTokenCredentials;
import com.google.auth.oauth2.IdTokenProvider;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Google ID tokens for the audience of a private Cloud Run service (its URL), as its front end
 * requires (platform-facts.md, "Private services"). Minted by google-auth-library's IdTokenProvider
 * from Application Default Credentials: on GKE with Workload Identity the metadata server, locally
 * the emulated one through GCE_METADATA_HOST. One IdTokenCredentials per audience caches its token
 * and refreshes it before expiry.
 */
public interface IdTokens {
  /** No Google credentials: probes go without a token. */
  IdTokens NONE = audience -> Optional.empty();

  /** A token for this audience; empty when there are no credentials able to mint one. */
  Optional<String> tokenFor(String audience) throws IOException;

  /** Tokens from this provider (a service account, ComputeEngineCredentials, impersonation...). */
  static IdTokens from(IdTokenProvider provider) {
    Map<String, IdTokenCredentials> byAudience = new ConcurrentHashMap<>();
    return audience -> {
      IdTokenCredentials credentials =
          byAudience.computeIfAbsent(
              audience,
              a ->
                  IdTokenCredentials.newBuilder()
                      .setIdTokenProvider(provider)
                      .setTargetAudience(a)
                      .setOptions(List.of(IdTokenProvider.Option.FORMAT_FULL))
                      .build());
      credentials.refreshIfExpired();
      return Optional.of(credentials.getIdToken().getTokenValue());
    };
  }

  /**
   * Application Default Credentials, looked up once on first use; NONE when there are none or they
   * cannot mint ID tokens (user credentials from gcloud cannot).
   */
  static IdTokens applicationDefault() {
    IdTokens[] resolved = new IdTokens[1];
    return audience -> {
      synchronized (resolved) {
        if (resolved[0] == null) {
          IdTokens found = NONE;
          try {
            GoogleCredentials adc = GoogleCredentials.getApplicationDefault();
            if (adc instanceof IdTokenProvider provider) {
              found = from(provider);
            }
          } catch (IOException none) {
            // no Application Default Credentials: no tokens
          }
          resolved[0] = found;
        }
      }
      return resolved[0].tokenFor(audience);
    };
  }

  /**
   * The metadata server at $GCE_METADATA_HOST (e.g. the rungate emulator's); NONE when that is not
   * set.
   */
  static IdTokens metadataServerFromEnvironment() {
    String host = System.getenv("GCE_METADATA_HOST");
    return host == null || host.isBlank() ? NONE : from(ComputeEngineCredentials.create());
  }
}
