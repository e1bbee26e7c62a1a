package dev.rungate.probe.net;

import dev.rungate.api.status.CheckStep;
import dev.rungate.probe.step.StepFailure;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * URL checks shared by the HTTP and WebSocket probes, and the tag URL + path join of revision
 * probes.
 */
public final class ProbeUris {
  private ProbeUris() {}

  /** Parses {@code url}, which must use one of the two schemes; a SPEC failure otherwise. */
  static URI parse(String url, String plain, String secure) {
    if (url == null || url.isBlank()) {
      throw new StepFailure(
          CheckStep.SPEC.name(),
          "SPEC failed: no URL, set url (or path for a revision probe) (InvalidSpec)");
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
      if (!scheme.equals(plain) && !scheme.equals(secure) || uri.getHost() == null) {
        throw new StepFailure(
            CheckStep.SPEC.name(),
            "SPEC failed: '"
                + url
                + "' is not a "
                + plain
                + ":// or "
                + secure
                + ":// URL (InvalidSpec)");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new StepFailure(
          CheckStep.SPEC.name(), "SPEC failed: '" + url + "' is not a URL (URISyntaxException)");
    }
  }

  /**
   * The service URL behind a Cloud Run tag URL: https://TAG---SERVICE-HASH-REGION.a.run.app serves
   * under https://SERVICE-HASH-REGION.a.run.app, the audience its ID tokens need. Other URLs are
   * their own audience.
   */
  public static String serviceUrlOf(String tagUrl) {
    if (tagUrl == null) {
      return null;
    }
    int marker = tagUrl.indexOf("---");
    int scheme = tagUrl.indexOf("://");
    if (marker < 0 || scheme < 0 || marker < scheme) {
      return tagUrl;
    }
    String url = tagUrl.substring(0, scheme + 3) + tagUrl.substring(marker + 3);
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** tagUrl + path; for WebSocket probes http becomes ws and https becomes wss. */
  static String join(String tagUrl, String path, boolean websocket) {
    String base = tagUrl.endsWith("/") ? tagUrl.substring(0, tagUrl.length() - 1) : tagUrl;
    String p = path == null || path.isEmpty() ? "/" : path.startsWith("/") ? path : "/" + path;
    String url = base + p;
    if (websocket) {
      if (url.startsWith("https://")) {
        return "wss://" + url.substring("https://".length());
      }
      if (url.startsWith("http://")) {
        return "ws://" + url.substring("http://".length());
      }
    }
    return url;
  }
}
