package dev.rungate.reconciler;

import dev.rungate.api.status.CheckResult;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs a policy's checks: in the background in the operator ({@link BackgroundChecks}), at once in
 * tests.
 */
public interface CheckRunner extends AutoCloseable {
  /** What the results are valid for: new spec, candidate or URL means new checks. */
  record Key(String policyUid, Long generation, String candidate, String tagUrl) {}

  /** Results of one run. */
  record Results(List<CheckResult> dependencies, List<CheckResult> probes) {
    public static final Results NONE = new Results(List.of(), List.of());
  }

  /**
   * The newest finished results for {@code key} (NONE until a run for it finished); may start a
   * run.
   */
  Results latest(Key key, Supplier<Results> run);

  /** Runs every check at once, on the caller's thread. */
  static CheckRunner direct() {
    return new CheckRunner() {
      @Override
      public Results latest(Key key, Supplier<Results> run) {
        try {
          return run.get();
        } catch (RuntimeException e) {
          return Results.NONE;
        }
      }

      @Override
      public void close() {}
    };
  }

  @Override
  void close();
}
