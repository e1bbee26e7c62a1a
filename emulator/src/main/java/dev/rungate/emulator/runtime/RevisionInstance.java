package dev.rungate.emulator.runtime;

import dev.rungate.emulator.router.Upstream;
import java.util.List;

/**
 * What serves a revision: a local process ({@link RevisionRunner}) or the emulator itself ({@link
 * BuiltinRevision}).
 */
public interface RevisionInstance {
  /** What the store learns from an instance. */
  interface Listener {
    void onReady(String revisionName);

    void onFailed(String revisionName, String message);
  }

  /** Starts the instance unless it runs already or the revision failed. */
  void ensureRunning();

  /** Stops the instance; {@link #ensureRunning()} may start it again. */
  void stop();

  boolean hasFailed();

  /** PIDs of the processes serving the revision now (none for a builtin revision). */
  List<Long> pids();

  /** Where requests for the revision go. */
  Upstream upstream();
}
