package dev.rungate.emulator.cli;

import dev.rungate.emulator.EmulatorClients;

import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.TrafficTarget;
import com.google.cloud.run.v2.TrafficTargetStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "traffic", description = "Set the service's traffic: --to-revisions R=P[,R2=P2] [--tags T=R[,T2=R2]].")
final class TrafficCommand implements Callable<Integer> {
  @Mixin
  ClientOptions client;

  @Option(names = "--service", required = true)
  String service;

  @Option(names = "--to-revisions", required = true, split = ",", description = "REVISION=PERCENT")
  Map<String, Integer> percents = new LinkedHashMap<>();

  @Option(names = "--tags", split = ",", description = "TAG=REVISION")
  Map<String, String> tags = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    try (EmulatorClients clients = new EmulatorClients(client.endpoint)) {
      Service current = clients.services().getService(client.service(service));
      List<TrafficTarget> targets = new ArrayList<>();
      Map<String, String> tagOf = new LinkedHashMap<>();
      tags.forEach((tag, revision) -> tagOf.put(revision, tag));
      percents.forEach((revision, percent) ->
          targets.add(DeployCommand.pinned(revision, percent, tagOf.getOrDefault(revision, ""))));
      tags.forEach((tag, revision) -> {
        if (!percents.containsKey(revision)) {
          targets.add(DeployCommand.pinned(revision, 0, tag));
        }
      });
      try {
        Service done = clients.services().updateServiceAsync(current.toBuilder().clearTraffic()
            .addAllTraffic(targets).build()).get();
        for (TrafficTargetStatus s : done.getTrafficStatusesList()) {
          System.out.println(s.getPercent() + "% " + s.getRevision() + (s.getTag().isEmpty() ? ""
              : " tag " + s.getTag() + " " + s.getUri()));
        }
        return 0;
      } catch (ExecutionException e) {
        System.err.println("Traffic update failed: " + e.getCause().getMessage());
        return 1;
      }
    }
  }
}
