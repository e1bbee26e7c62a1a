package dev.rungate.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in the checkout, found from the rungate.repo system property Maven sets. */
public final class Repo {
  private Repo() {}

  public static Path root() {
    return Path.of(System.getProperty("rungate.repo", "..")).toAbsolutePath().normalize();
  }

  public static Path path(String relative) {
    return root().resolve(relative);
  }

  public static Path generatedCrd() {
    return root()
        .resolve("operator/target/classes/META-INF/fabric8/readinesspolicies.rungate.dev-v1.yml");
  }

  /** Debian's kubectl 1.20 as scripts/install-deps caches it (matches the local apiserver). */
  public static String kubectl() {
    String cache =
        System.getenv()
            .getOrDefault("RUNGATE_CACHE", System.getProperty("user.home") + "/.cache/rungate");
    Path cached = Path.of(cache, "bin", "kubectl");
    return Files.isExecutable(cached) ? cached.toString() : "kubectl";
  }
}
