package dev.rungate.emulator.admin;

import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.RevisionTemplate;
import com.google.cloud.run.v2.Service;
import com.google.longrunning.Operation;
import dev.rungate.emulator.Names;
import dev.rungate.emulator.logging.LogStore;
import dev.rungate.emulator.rules.GcloudTraffic;
import dev.rungate.emulator.rules.RevisionNames;
import dev.rungate.emulator.runtime.BuiltinRevision;
import dev.rungate.emulator.runtime.RevisionInstance;
import dev.rungate.emulator.runtime.RevisionRunner;
import io.grpc.Status;
import java.io.File;
import java.time.Duration;

/** What a new revision must satisfy, what serves it, and in-process deploys of one. */
public final class NewRevisions {
  private NewRevisions() {}

  /**
   * Refuses a revision the emulator cannot run, or whose name is taken, as Cloud Run refuses it.
   */
  static void check(ServiceRecord record, RevisionTemplate template, String revisionId) {
    RevisionNames.checkRevision(Names.shortName(record.name()), revisionId);
    if (record.revisions.containsKey(revisionId)) {
      throw Status.ALREADY_EXISTS
          .withDescription(
              "Revision named '"
                  + revisionId
                  + "' with different "
                  + "configuration already exists.")
          .asRuntimeException();
    }
    if (template.getContainersCount() != 1
        || template.getContainers(0).getCommandCount() + template.getContainers(0).getArgsCount()
            == 0) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              "the emulator runs exactly one container's command + args "
                  + "as a local process: give containers[0].command")
          .asRuntimeException();
    }
    if (BuiltinRevision.isBuiltin(template.getContainers(0))) {
      BuiltinRevision.check(template.getContainers(0));
    }
  }

  /** A builtin revision (command builtin:..., a benchmark aid) or a local process. */
  static RevisionInstance instance(
      String revisionName,
      Container container,
      File workdir,
      Duration defaultStartup,
      LogStore logs,
      RevisionInstance.Listener listener) {
    return BuiltinRevision.isBuiltin(container)
        ? new BuiltinRevision(revisionName, container, defaultStartup, logs, listener)
        : new RevisionRunner(revisionName, container, workdir, defaultStartup, logs, listener);
  }

  /**
   * As {@code rungate-emulator deploy}: creates the service (100% to LATEST) or deploys the
   * template's revision without traffic (gcloud's --no-traffic), tagged when {@code tag} is given.
   * Returns the update's operation.
   */
  public static Operation deploy(
      ServiceStore store, String serviceName, RevisionTemplate template, String tag) {
    synchronized (store) {
      ServiceRecord record = store.services.get(serviceName);
      String revision = template.getRevision();
      if (record == null) {
        Service.Builder fresh = Service.newBuilder().setTemplate(template);
        if (tag != null) {
          fresh
              .addTraffic(GcloudTraffic.target(GcloudTraffic.LATEST, 100, ""))
              .addTraffic(GcloudTraffic.target(revision, 0, tag));
        }
        return store.create(
            Names.parentOf(serviceName), Names.shortName(serviceName), fresh.build(), false);
      }
      return store.apply(
          record,
          record.service.toBuilder()
              .setTemplate(template)
              .clearTraffic()
              .addAllTraffic(GcloudTraffic.deploy(record.service, revision, tag, true))
              .build(),
          "UpdateService",
          false,
          false);
    }
  }
}
