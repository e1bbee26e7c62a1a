package dev.rungate.emulator.runtime;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Ends a process together with everything it started, so no revision leaves orphans behind. */
final class ProcessTrees {
  private ProcessTrees() {}

  /** Sends SIGTERM to the tree, waits up to {@code graceMillis}, then SIGKILLs what is left. */
  static void destroy(ProcessHandle root, long graceMillis) {
    List<ProcessHandle> tree = root.descendants().collect(Collectors.toList());
    tree.add(0, root);
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
    for (ProcessHandle handle : tree) {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        try {
          handle.onExit().get(left, TimeUnit.NANOSECONDS);
        } catch (Exception timeoutOrInterrupt) {
          // killed below
        }
      }
    }
    // children started while we waited are caught by a second look
    root.descendants().forEach(ProcessHandle::destroyForcibly);
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }
}
