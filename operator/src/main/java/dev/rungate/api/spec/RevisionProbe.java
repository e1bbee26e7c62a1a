package dev.rungate.api.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.rungate.api.checks.Durations;
import dev.rungate.api.checks.HttpCheck;
import dev.rungate.api.checks.WebSocketCheck;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A probe of the candidate on its tag URL; set exactly one of http, websocket. */
public class RevisionProbe {
  /** How a probe authenticates to the candidate's tag URL. */
  public enum Auth {
    None,
    IdToken
  }

  @Required
  @Pattern(Durations.NAME_PATTERN)
  @JsonPropertyDescription("Name of this probe, unique within the policy.")
  public String name;

  @JsonPropertyDescription("HTTP GET of a path on the tag URL.")
  public HttpCheck http;

  @JsonPropertyDescription("WebSocket conversation on a path of the tag URL.")
  public WebSocketCheck websocket;

  @Pattern(Durations.PATTERN)
  @JsonPropertyDescription("Bound on the probe, e.g. 10s. Default 5s.")
  public String timeout;

  @JsonPropertyDescription(
      "How the probe authenticates. IdToken: sends a Google ID token for the service URL "
          + "(Authorization: Bearer), minted from the operator's Google credentials (Workload Identity on GKE), as a "
          + "private Cloud Run service requires; the operator's service account needs roles/run.invoker on it. None: "
          + "no token, for a public service (--allow-unauthenticated). Default: IdToken when the operator has "
          + "credentials that can mint ID tokens, else None.")
  public Auth auth;
}
