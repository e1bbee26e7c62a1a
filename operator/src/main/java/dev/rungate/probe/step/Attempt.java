package dev.rungate.probe.step;

import dev.rungate.api.status.CheckResult;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One run of one check: its identity, start time and deadline; builds the CheckResult. */
public final class Attempt {
  final String name;
  final String kind;
  public final String target;
  public final Duration timeout;
  private final Instant startedAt = Instant.now();
  private final long startNanos = System.nanoTime();
  private final List<String> secrets = new ArrayList<>();

  public Attempt(String name, String kind, String target, Duration timeout) {
    this.name = name;
    this.kind = kind;
    this.target = target;
    this.timeout = timeout;
  }

  /** Time left before the whole check's deadline; never negative. */
  Duration remaining() {
    long left = timeout.toNanos() - (System.nanoTime() - startNanos);
    return Duration.ofNanos(Math.max(left, 0));
  }

  public long remainingMillis() {
    return Math.max(1, remaining().toMillis());
  }

  public long elapsedMillis() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  /** Registers a secret value: it is masked in every message this attempt produces. */
  public void redact(String secret) {
    if (secret != null && !secret.isBlank()) {
      secrets.add(secret);
    }
  }

  String mask(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String s : secrets) {
      out = out.replace(s, "<redacted>");
    }
    return out;
  }

  public CheckResult passed(String message) {
    return stamp(CheckResult.passed(name, kind, target, elapsedMillis(), mask(message)));
  }

  public CheckResult failed(String step, String message) {
    return stamp(CheckResult.failed(name, kind, target, step, elapsedMillis(), mask(message)));
  }

  public CheckResult failed(StepFailure f) {
    return failed(f.step, f.getMessage());
  }

  /** A failure that is our bug, not the dependency's: never reported as "unreachable". */
  public CheckResult probeError(Throwable t) {
    Throwable root = Failures.root(t);
    return failed(
        "ProbeError",
        "ProbeError: the probe itself failed ("
            + t.getClass().getName()
            + (t.getMessage() == null ? "" : ": " + t.getMessage())
            + (root == t
                ? ""
                : "; caused by "
                    + root.getClass().getName()
                    + (root.getMessage() == null ? "" : ": " + root.getMessage()))
            + "); this is a bug in rungate, not a verdict on the dependency");
  }

  private CheckResult stamp(CheckResult r) {
    r.checkedAt = startedAt.truncatedTo(ChronoUnit.MILLIS).toString();
    return r;
  }
}
