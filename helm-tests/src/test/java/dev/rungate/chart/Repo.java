package dev.rungate.chart;

import java.nio.file.Path;

/** Paths in the checkout, from the rungate.repo system property Maven sets. */
final class Repo {
  private Repo() {}

  static Path path(String relative) {
    return Path.of(System.getProperty("rungate.repo", ".."))
        .toAbsolutePath()
        .normalize()
        .resolve(relative);
  }
}
