package dev.rungate.domain;

import java.time.Instant;
import java.util.List;

/**
 * One "Container called exit(N)." entry with the container's last log lines before it (already
 * redacted).
 */
public record ContainerExit(String revision, int exitCode, Instant at, List<String> evidence) {
  public ContainerExit {
    evidence = List.copyOf(evidence);
  }
}
