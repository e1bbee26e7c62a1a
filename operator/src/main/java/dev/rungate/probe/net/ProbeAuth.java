package dev.rungate.probe.net;

import dev.rungate.api.spec.RevisionProbe;
import dev.rungate.probe.step.Attempt;
import dev.rungate.probe.step.Failures;
import dev.rungate.probe.step.StepFailure;
import java.io.IOException;
import java.util.Optional;

/**
 * The Authorization a revision probe carries: a Google ID token for the service URL, unless auth is
 * None.
 */
final class ProbeAuth {
  private ProbeAuth() {}

  /**
   * The token to send, or null; an AUTH step failure when IdToken is asked for and none can be had.
   */
  static String token(Attempt a, RevisionProbe.Auth auth, IdTokens idTokens, String audience) {
    if (auth == RevisionProbe.Auth.None) {
      return null;
    }
    Optional<String> token;
    try {
      token = idTokens.tokenFor(audience);
    } catch (IOException | RuntimeException e) {
      throw new StepFailure(
          "AUTH",
          "AUTH failed: could not get a Google ID token for audience "
              + audience
              + ": "
              + Failures.describe(e));
    }
    if (token.isEmpty() && auth == RevisionProbe.Auth.IdToken) {
      throw new StepFailure(
          "AUTH",
          "AUTH failed: auth is IdToken but the operator has no Google credentials that "
              + "mint ID tokens (NoCredentials); give it Workload Identity (chart value serviceAccount.gcpServiceAccount)"
              + " or set auth: None for a public service");
    }
    token.ifPresent(a::redact);
    return token.orElse(null);
  }

  /** What a 401/403 from a tag URL most likely means. */
  static String hint(int status, String bearer) {
    if (status != 401 && status != 403) {
      return "";
    }
    return bearer == null
        ? "; the service requires authentication: give the operator Google credentials for ID tokens (auth: IdToken)"
        : "; the service refused the operator's ID token: grant its Google service account roles/run.invoker";
  }
}
