package dev.rungate.emulator.cli;

import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.TrafficTarget;
import com.google.cloud.run.v2.TrafficTargetStatus;
import dev.rungate.emulator.EmulatorClients;
import dev.rungate.emulator.rules.GcloudTraffic;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "traffic",
    description =
        "Adjust the service's traffic as gcloud run services update-traffic does: "
            + "--to-revisions R=P[,R2=P2] (LATEST for the latest revision; the rest is taken from the revisions now "
            + "serving, in proportion) or --to-latest; tags are kept unless --update-tags, --remove-tags or --clear-tags.")
final class TrafficCommand implements Callable<Integer> {
  /**
   * Prints through its command line's out and err (System.out and System.err unless a caller in
   * process sets them).
   */
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ClientOptions client;

  @Option(names = "--service", required = true)
  String service;

  @Option(
      names = "--to-revisions",
      split = ",",
      description = "REVISION=PERCENT (REVISION may be LATEST)")
  Map<String, Integer> percents = new LinkedHashMap<>();

  @Option(names = "--to-latest", description = "100%% to the latest ready revision.")
  boolean toLatest;

  @Option(
      names = {"--update-tags", "--set-tags", "--tags"},
      split = ",",
      description = "TAG=REVISION")
  Map<String, String> tags = new LinkedHashMap<>();

  @Option(names = "--remove-tags", split = ",", description = "TAG")
  Set<String> removeTags = new LinkedHashSet<>();

  @Option(names = "--clear-tags", description = "Remove every tag.")
  boolean clearTags;

  @Override
  public Integer call() throws Exception {
    try (EmulatorClients clients = new EmulatorClients(client.endpoint)) {
      Service current = clients.services().getService(client.service(service));
      List<TrafficTarget> targets;
      try {
        targets =
            GcloudTraffic.updateTraffic(
                current,
                toLatest ? Map.of(GcloudTraffic.LATEST, 100) : percents,
                tags,
                removeTags,
                clearTags);
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println("Traffic update refused: " + e.getMessage());
        return 2;
      }
      try {
        Service done =
            clients
                .services()
                .updateServiceAsync(
                    current.toBuilder().clearTraffic().addAllTraffic(targets).build())
                .get();
        for (TrafficTargetStatus s : done.getTrafficStatusesList()) {
          spec.commandLine()
              .getOut()
              .println(
                  s.getPercent()
                      + "% "
                      + s.getRevision()
                      + (s.getTag().isEmpty() ? "" : " tag " + s.getTag() + " " + s.getUri()));
        }
        return 0;
      } catch (ExecutionException e) {
        spec.commandLine().getErr().println("Traffic update failed: " + e.getCause().getMessage());
        return 1;
      }
    }
  }
}
