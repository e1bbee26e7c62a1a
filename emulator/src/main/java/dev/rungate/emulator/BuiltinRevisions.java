package dev.rungate.emulator;

import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.RevisionTemplate;
import dev.rungate.emulator.runtime.BuiltinRevision;

/**
 * A BENCHMARK AID, not a fidelity default: containers for revisions the emulator serves itself,
 * without a process ({@link BuiltinRevision}), so thousands of services fit on one machine. Deploy
 * them with any client (the container command is all it takes, e.g. {@code rungate-emulator deploy
 * --service S builtin:ok}) or with {@link EmulatorServer#deploy}.
 */
public final class BuiltinRevisions {
  private BuiltinRevisions() {}

  /** Ready at once; its URLs answer 200 on any path, with the revision name as body. */
  public static Container ok() {
    return container("builtin:ok");
  }

  /** Ready at once; its URLs answer this HTTP status on any path. */
  public static Container answering(int status) {
    return container("builtin:status=" + status);
  }

  /**
   * A worker that exits with this code on startup: Cloud Run's crash loop and log entries, then a
   * failed revision.
   */
  public static Container exitingOnStartup(int exitCode) {
    return container("builtin:exit=" + exitCode);
  }

  /**
   * A template with an explicit revision name (null: named by the server) running this container.
   */
  public static RevisionTemplate template(String revision, Container container) {
    RevisionTemplate.Builder t = RevisionTemplate.newBuilder().addContainers(container);
    if (revision != null) {
      t.setRevision(revision);
    }
    return t.build();
  }

  private static Container container(String command) {
    return Container.newBuilder()
        .setName("app")
        .setImage("local/" + command.replace(':', '-').replace('=', '-'))
        .addCommand(command)
        .build();
  }
}
