package dev.rungate.reconciler;

import dev.rungate.api.ReadinessPolicy;
import dev.rungate.api.ReadinessPolicyStatus;
import dev.rungate.cloudrun.CloudRun;
import dev.rungate.cloudrun.CloudRunException;
import dev.rungate.gate.Action;
import dev.rungate.gate.Decision;
import dev.rungate.gate.Gate;
import dev.rungate.gate.Observation;
import dev.rungate.gate.SpecValidator;
import dev.rungate.probe.Probes;
import dev.rungate.signals.ExitSignals;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires only: observe through the ports, ask the core, write the status (the intent), then act. */
// Not generation-aware: the manual controls arrive as annotations, which do not bump metadata.generation.
@ControllerConfiguration(name = ReadinessPolicyReconciler.NAME, generationAwareEventProcessing = false)
public class ReadinessPolicyReconciler implements Reconciler<ReadinessPolicy> {
  public static final String NAME = "readinesspolicy";
  private static final Logger LOG = LoggerFactory.getLogger(ReadinessPolicyReconciler.class);

  private final PolicyObserver observer;
  private final CloudRun cloudRun;
  private final Clock clock;
  private final EventRecorder events;
  private final PollIntervals poll;
  private final GateMetrics metrics;
  private final VerificationScheduleSource schedules = new VerificationScheduleSource();

  public ReadinessPolicyReconciler(CloudRun cloudRun, ExitSignals exits, Probes probes, Clock clock, EventRecorder events) {
    this(cloudRun, exits, probes, clock, events, PollIntervals.DEFAULT, GateMetrics.none());
  }

  public ReadinessPolicyReconciler(CloudRun cloudRun, ExitSignals exits, Probes probes, Clock clock, EventRecorder events,
      PollIntervals poll, GateMetrics metrics) {
    this.observer = new PolicyObserver(cloudRun, exits, probes);
    this.cloudRun = cloudRun;
    this.clock = clock;
    this.events = events;
    this.poll = poll;
    this.metrics = metrics;
  }

  @Override
  public List<EventSource<?, ReadinessPolicy>> prepareEventSources(EventSourceContext<ReadinessPolicy> context) {
    return List.of(schedules);
  }

  @Override
  public UpdateControl<ReadinessPolicy> reconcile(ReadinessPolicy policy, Context<ReadinessPolicy> context) {
    var spec = policy.getSpec();
    schedules.track(policy);
    Long generation = policy.getMetadata().getGeneration();
    var annotations = policy.getMetadata().getAnnotations();
    Instant now = clock.instant(); // one time for the whole round: observation, decision and metrics agree
    Decision decision;
    Observation observed = Observation.ofService(null);
    try {
      if (SpecValidator.validate(spec).isEmpty()) { // an invalid spec is decided without touching Cloud Run
        observed = observer.observe(policy, now);
      }
      decision = Gate.decide(spec, generation, annotations, policy.getStatus(), observed, now);
    } catch (CloudRunException e) {
      metrics.cloudRunError(e.code());
      decision = Gate.cloudRunUnavailable(generation, policy.getStatus(), e.code(), e.getMessage(), now);
    }
    writeStatus(policy, decision.status(), context);
    metrics.record(policy, observed, decision, now);
    act(policy, decision);
    return UpdateControl.<ReadinessPolicy>noUpdate().rescheduleAfter(decision.requeueWith(poll.inFlight(), poll.idle()));
  }

  /** The status is written before any action: a crash after this line resumes from the recorded intent. */
  private void writeStatus(ReadinessPolicy policy, ReadinessPolicyStatus status, Context<ReadinessPolicy> context) {
    if (Objects.equals(Jsons.of(policy.getStatus()), Jsons.of(status))) {
      return;
    }
    ReadinessPolicy copy = new ReadinessPolicy();
    copy.setMetadata(policy.getMetadata());
    copy.setSpec(policy.getSpec());
    copy.setStatus(status);
    context.getClient().resource(copy).updateStatus();
  }

  private void act(ReadinessPolicy policy, Decision decision) {
    for (Action action : decision.actions()) {
      if (action instanceof Action.SetTraffic move) {
        LOG.info("{}/{}: setting traffic {} ({})", policy.getMetadata().getNamespace(), policy.getMetadata().getName(),
            move.targets(), move.why());
        try {
          cloudRun.updateTraffic(policy.getSpec().service, move.targets(), move.etag());
        } catch (CloudRunException e) {
          metrics.cloudRunError(e.code());
          LOG.warn("traffic update for {} failed, will retry from the recorded step: {}", policy.getMetadata().getName(),
              e.getMessage());
        }
      } else if (action instanceof Action.Emit e) {
        events.record(policy, e.type(), e.reason(), e.message());
      }
    }
  }
}
