package dev.rungate.reconciler;

import dev.rungate.api.ReadinessPolicy;
import dev.rungate.api.ReadinessPolicySpec;
import dev.rungate.api.ReadinessPolicyStatus;
import dev.rungate.api.spec.ServiceRef;
import dev.rungate.api.status.CheckResult;
import dev.rungate.cloudrun.CloudRun;
import dev.rungate.domain.ContainerExit;
import dev.rungate.domain.RevisionSnapshot;
import dev.rungate.domain.ServiceSnapshot;
import dev.rungate.gate.observed.Observation;
import dev.rungate.gate.outcome.ExitEvidence;
import dev.rungate.gate.spec.GateSettings;
import dev.rungate.gate.spec.Schedules;
import dev.rungate.gate.status.Phases;
import dev.rungate.probe.Probes;
import dev.rungate.signals.ExitSignals;
import dev.rungate.signals.SignalsCatchingUpException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Reads everything the core needs through the ports, and only what the policy's state calls for.
 * The service must be readable (else the round is a CloudRunException); every other source that
 * fails is named in the observation and the core decides from the rest: a Logging outage never
 * hides a failed revision. Public for the model test (dev.rungate.reconciler.model).
 */
public final class PolicyObserver {
  private final CloudRun cloudRun;
  private final ExitSignals exits;
  private final Probes probes;
  private final CheckRunner checks;
  static final Duration IN_FLIGHT_READ_AGE = Duration.ofSeconds(1);
  static final Duration IDLE_READ_AGE = Duration.ofSeconds(10);

  /** Public for the model test (dev.rungate.reconciler.model). */
  public PolicyObserver(CloudRun cloudRun, ExitSignals exits, Probes probes, CheckRunner checks) {
    this.cloudRun = cloudRun;
    this.exits = exits;
    this.probes = probes;
    this.checks = checks;
  }

  Observation observe(ReadinessPolicy policy, Instant now) {
    var spec = policy.getSpec();
    var status = policy.getStatus();
    ServiceRef ref = gatedService(policy);
    ServiceSnapshot service = cloudRun.getService(ref, readAge(policy));
    GateSettings settings = GateSettings.lenient(spec);
    String candidate =
        Phases.inFlight(status) ? status.candidateRevision : Phases.candidateOf(settings, service);
    boolean fresh =
        candidate != null && (status == null || !candidate.equals(status.candidateRevision));
    String namespace = policy.getMetadata().getNamespace();
    if (candidate == null || !(fresh || Phases.inFlight(status))) {
      List<ContainerExit> late = lateExits(spec, status, now);
      if (!Schedules.verificationDue(spec, status, now)) {
        return Observation.ofService(service).withExits(late);
      }
      var key =
          new CheckRunner.Key(
              policy.getMetadata().getUid(), policy.getMetadata().getGeneration(), null, null);
      var results =
          checks.latest(
              key,
              () ->
                  new CheckRunner.Results(
                      probes.checkDependencies(namespace, spec.dependencies), List.of()));
      return new Observation(
              service,
              null,
              late,
              results.dependencies(),
              List.of(),
              null,
              null,
              null,
              null,
              false,
              null,
              false)
          .withInstances(InstanceFactsReader.forVerification(cloudRun, probes, spec, service));
    }
    RevisionSnapshot revision = null;
    String revisionError = null;
    try {
      revision = cloudRun.getRevision(ref, candidate).orElse(null);
    } catch (RuntimeException e) {
      revisionError = oneLine(e);
    }
    List<ContainerExit> seen = List.of();
    String exitsError = null;
    boolean catchingUp = false;
    try {
      seen = exits.exitsOf(ref, candidate, createdAt(revision));
    } catch (RuntimeException e) {
      exitsError = oneLine(e);
      catchingUp = e instanceof SignalsCatchingUpException;
    }
    String tag =
        status != null && status.candidateTag != null && !fresh
            ? status.candidateTag
            : settings.tag();
    String tagUrl = service.tagUrls().get(tag);
    boolean probe =
        revision != null && revision.isReady() && tagUrl != null && !settings.probes().isEmpty();
    var key =
        new CheckRunner.Key(
            policy.getMetadata().getUid(),
            policy.getMetadata().getGeneration(),
            candidate,
            probe ? tagUrl : null);
    var results =
        checks.latest(
            key,
            () ->
                new CheckRunner.Results(
                    probes.checkDependencies(namespace, spec.dependencies),
                    probe
                        ? probes.probeRevision(tagUrl, service.uri(), settings.probes())
                        : List.<CheckResult>of()));
    return new Observation(
        service,
        revision,
        seen,
        results.dependencies(),
        results.probes(),
        exitsError,
        revisionError,
        null,
        InstanceFactsReader.forCandidate(probes, spec),
        true,
        null,
        catchingUp);
  }

  /**
   * The service to read: the one the status names while a rollout is in flight there (spec.service
   * may have been edited since; the gate rolls that candidate back first), else spec.service.
   */
  static ServiceRef gatedService(ReadinessPolicy policy) {
    var status = policy.getStatus();
    return Phases.inFlight(status) && status.service != null
        ? ServiceRef.parse(status.service)
        : policy.getSpec().service;
  }

  /**
   * A rolled-back candidate's exits while late log lines may still complete the recorded one's
   * evidence ({@link ExitEvidence}); empty otherwise, or when Logging cannot be read (the evidence
   * then stays as it is).
   */
  private List<ContainerExit> lateExits(
      ReadinessPolicySpec spec, ReadinessPolicyStatus status, Instant now) {
    if (!ExitEvidence.stillArriving(status, now)) {
      return List.of();
    }
    String revision = status.lastExit.revision;
    try {
      ServiceRef ref = status.service == null ? spec.service : ServiceRef.parse(status.service);
      return exits.exitsOf(
          ref, revision, createdAt(cloudRun.getRevision(ref, revision).orElse(null)));
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  /**
   * Where a revision's exits are read from: its creation, or the beginning when it is not known.
   */
  private static Instant createdAt(RevisionSnapshot revision) {
    return revision == null || revision.createTime() == null
        ? Instant.EPOCH
        : revision.createTime();
  }

  /**
   * How old a shared read of the service may be: a rollout in flight, a policy edited since its
   * last round, or one without status reads at most {@link #IN_FLIGHT_READ_AGE} old; an idle,
   * unchanged policy accepts {@link #IDLE_READ_AGE}, so thousands of idle policies in a project
   * share one ListServices every 10 s.
   */
  static Duration readAge(ReadinessPolicy policy) {
    var status = policy.getStatus();
    boolean idle =
        status != null
            && !Phases.inFlight(status)
            && Objects.equals(status.observedGeneration, policy.getMetadata().getGeneration());
    return idle ? IDLE_READ_AGE : IN_FLIGHT_READ_AGE;
  }

  /**
   * The first line of an error's message, with its class when the message is empty: what a status
   * can carry.
   */
  static String oneLine(Throwable e) {
    String m =
        e.getMessage() == null || e.getMessage().isBlank()
            ? e.getClass().getSimpleName()
            : e.getMessage();
    int nl = m.indexOf('\n');
    m = nl < 0 ? m : m.substring(0, nl);
    return m.length() > 300 ? m.substring(0, 297) + "..." : m;
  }
}
