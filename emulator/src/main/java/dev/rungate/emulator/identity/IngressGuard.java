package dev.rungate.emulator.identity;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cloud Run's IAM check on a private service's URLs (platform-facts.md, "Private services"): a
 * request needs {@code Authorization: Bearer <ID token>} whose audience is the service URL, else
 * 403. Counts the requests it refuses.
 */
public final class IngressGuard {
  private final TokenAuthority authority;
  private final AtomicLong rejected = new AtomicLong();

  public IngressGuard(TokenAuthority authority) {
    this.authority = authority;
  }

  /**
   * Why this request head is refused for a service accepting these audiences; empty when it may
   * pass.
   */
  public Optional<String> refusal(String head, Collection<String> audiences) {
    Optional<String> why =
        bearer(head)
            .map(token -> authority.refusal(token, audiences))
            .orElse(Optional.of("the request carries no Authorization: Bearer ID token"));
    why.ifPresent(w -> rejected.incrementAndGet());
    return why;
  }

  /** Requests refused since start. */
  public long rejected() {
    return rejected.get();
  }

  /** The body Cloud Run's front end answers a refused request with. */
  public static String forbiddenPage(String path) {
    return "<html><head>\n<meta http-equiv=\"content-type\" content=\"text/html;charset=utf-8\">\n"
        + "<title>403 Forbidden</title>\n</head>\n<body text=#000000 bgcolor=#ffffff>\n<h1>Error: Forbidden</h1>\n"
        + "<h2>Your client does not have permission to get URL <code>"
        + path
        + "</code> from this server.</h2>\n"
        + "<h2></h2>\n</body></html>\n";
  }

  private static Optional<String> bearer(String head) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0
          && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("authorization")) {
        String value = line.substring(colon + 1).trim();
        if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
          return Optional.of(value.substring(7).trim());
        }
      }
    }
    return Optional.empty();
  }
}
