package dev.rungate.reconciler.model;

import dev.rungate.reconciler.CheckRunner;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs the checks on the caller's thread, like {@link CheckRunner#direct()}, but a new key (new
 * candidate, tag URL or spec) may first answer "not run yet" for some rounds, as the operator's
 * background checks do.
 */
final class ModelCheckRunner implements CheckRunner {
  /** How many rounds a new key answers NONE before its first results. */
  int delay;

  private final Map<Key, Integer> seen = new HashMap<>();
  private static final CheckRunner DIRECT = CheckRunner.direct();

  @Override
  public Results latest(Key key, Supplier<Results> run) {
    int asked = seen.merge(key, 1, Integer::sum);
    return asked <= delay ? Results.NONE : DIRECT.latest(key, run);
  }

  @Override
  public void close() {}
}
