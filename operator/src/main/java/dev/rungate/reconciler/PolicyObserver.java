package dev.rungate.reconciler;

import dev.rungate.api.CheckResult;
import dev.rungate.api.ReadinessPolicy;
import dev.rungate.cloudrun.CloudRun;
import dev.rungate.cloudrun.RevisionSnapshot;
import dev.rungate.cloudrun.ServiceSnapshot;
import dev.rungate.gate.Gate;
import dev.rungate.gate.GateSettings;
import dev.rungate.gate.Observation;
import dev.rungate.gate.Schedules;
import dev.rungate.probe.Probes;
import dev.rungate.signals.ContainerExit;
import java.time.Instant;
import java.util.List;

/** Reads everything the core needs through the ports, and only what the policy's state calls for. */
final class PolicyObserver {
  private final CloudRun cloudRun;
  private final dev.rungate.signals.ExitSignals exits;
  private final Probes probes;
  private final BackgroundChecks background = new BackgroundChecks();

  PolicyObserver(CloudRun cloudRun, dev.rungate.signals.ExitSignals exits, Probes probes) {
    this.cloudRun = cloudRun;
    this.exits = exits;
    this.probes = probes;
  }

  Observation observe(ReadinessPolicy policy, Instant now) {
    var spec = policy.getSpec();
    ServiceSnapshot service = cloudRun.getService(spec.service);
    GateSettings settings = GateSettings.of(spec);
    String candidate = Gate.candidateOf(settings, service);
    var status = policy.getStatus();
    boolean fresh = candidate != null && (status == null || !candidate.equals(status.candidateRevision));
    if (candidate == null || !(fresh || Gate.inFlight(status))) {
      if (!Schedules.verificationDue(spec, status, now)) {
        return Observation.ofService(service);
      }
      var key = new BackgroundChecks.Key(policy.getMetadata().getUid(), policy.getMetadata().getGeneration(), null, null);
      String namespace = policy.getMetadata().getNamespace();
      var checks = background.latest(key, () -> new BackgroundChecks.Results(
          probes.checkDependencies(namespace, spec.dependencies), List.of()));
      return new Observation(service, null, List.of(), checks.dependencies(), List.of())
          .withInstances(InstanceFactsReader.forVerification(cloudRun, probes, spec, service));
    }
    RevisionSnapshot revision = cloudRun.getRevision(spec.service, candidate).orElse(null);
    if (revision == null) {
      return new Observation(service, null, List.of(), List.of(), List.of());
    }
    Instant since = revision.createTime() == null ? Instant.EPOCH : revision.createTime();
    List<ContainerExit> seen = exits.exitsOf(spec.service, candidate, since);
    String tagUrl = service.tagUrls().get(settings.tag());
    String namespace = policy.getMetadata().getNamespace();
    var key = new BackgroundChecks.Key(policy.getMetadata().getUid(), policy.getMetadata().getGeneration(), candidate,
        revision.isReady() ? tagUrl : null);
    var checks = background.latest(key, () -> new BackgroundChecks.Results(
        probes.checkDependencies(namespace, spec.dependencies),
        key.tagUrl() != null && !settings.probes().isEmpty() ? probes.probeRevision(tagUrl, settings.probes())
            : List.<CheckResult>of()));
    return new Observation(service, revision, seen, checks.dependencies(), checks.probes())
        .withInstances(InstanceFactsReader.forCandidate(probes, spec));
  }
}
