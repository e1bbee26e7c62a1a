package dev.rungate.reconciler;

import dev.rungate.api.ReadinessPolicy;
import dev.rungate.api.ReadinessPolicyStatus;
import dev.rungate.api.spec.ServiceRef;
import dev.rungate.api.status.TrafficEntry;
import dev.rungate.cloudrun.CloudRun;
import dev.rungate.cloudrun.CloudRunException;
import dev.rungate.gate.Gate;
import dev.rungate.gate.Release;
import dev.rungate.gate.observed.Observation;
import dev.rungate.gate.round.Action;
import dev.rungate.gate.round.Decision;
import dev.rungate.gate.spec.GateSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconcile of one policy, without Kubernetes: observe through the ports, decide, write the
 * status (the intent), act. No exception leaves a round: a source that fails is named in the
 * observation, a round that fails anyway keeps the recorded intent and is retried with backoff, and
 * a status write that loses a race acts on nothing. The outcome of each traffic update is
 * remembered for the next round, so a refused rollback is seen and retried.
 */
public final class PolicyRound {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyRound.class);

  /** Writes a policy's status; throws when it lost a race (the round then acts on nothing). */
  public interface StatusWriter {
    void write(ReadinessPolicy policy, ReadinessPolicyStatus status);
  }

  private final PolicyObserver observer;
  private final CloudRun cloudRun;
  private final EventSink events;
  private final GateMetrics metrics;
  private final Clock clock;
  private final PollIntervals poll;
  private final Map<String, String> updateErrors = new ConcurrentHashMap<>();
  private final Map<String, List<TrafficEntry>> accepted = new ConcurrentHashMap<>();
  private final Map<String, Instant> acceptedAt = new ConcurrentHashMap<>();
  private final Map<String, Integer> failedRounds = new ConcurrentHashMap<>();
  private final Watching watching = new Watching();

  public PolicyRound(
      PolicyObserver observer,
      CloudRun cloudRun,
      EventSink events,
      GateMetrics metrics,
      Clock clock,
      PollIntervals poll) {
    this.observer = observer;
    this.cloudRun = cloudRun;
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
    this.poll = poll;
  }

  /**
   * Runs one round; returns when to look again. {@code conflictWith} names another policy on the
   * same service.
   */
  public Duration run(ReadinessPolicy policy, String conflictWith, StatusWriter writer) {
    String uid = policy.getMetadata().getUid();
    Instant now =
        clock.instant(); // one time for the whole round: observation, decision and metrics agree
    Observation observed = Observation.ofService(null);
    Decision decision;
    long t0 = System.nanoTime();
    long t1 =
        0; // end of observe; stays 0 when the observation failed (then it took the whole time)
    try {
      if (conflictWith == null && policy.getSpec() != null && policy.getSpec().service != null) {
        observed =
            observer
                .observe(policy, now)
                .withProcess(
                    new Observation.ProcessMemory(
                        updateErrors.get(uid),
                        accepted.get(uid),
                        acceptedAt.get(uid),
                        watching.since(uid, now)));
      }
      t1 = System.nanoTime();
      decision =
          Gate.decide(
              policy.getSpec(),
              policy.getMetadata().getGeneration(),
              policy.getMetadata().getAnnotations(),
              policy.getStatus(),
              observed.withConflict(conflictWith),
              now);
      failedRounds.remove(uid);
    } catch (CloudRunException e) {
      metrics.cloudRunError(e.code());
      decision =
          Gate.cloudRunUnavailable(
              policy.getMetadata().getGeneration(),
              policy.getMetadata().getAnnotations(),
              policy.getStatus(),
              e.code(),
              e.getMessage(),
              now);
    } catch (RuntimeException e) {
      int failures = failedRounds.merge(uid, 1, Integer::sum);
      LOG.warn("{}: round failed ({} in a row)", name(policy), failures, e);
      decision =
          Gate.roundFailed(
              policy.getMetadata().getGeneration(),
              policy.getMetadata().getAnnotations(),
              policy.getStatus(),
              PolicyObserver.oneLine(e),
              failures,
              now);
    }
    long t2 = System.nanoTime();
    t1 = t1 == 0 ? t2 : t1;
    metrics.stage("observe", t1 - t0);
    metrics.stage("decide", t2 - t1);
    try {
      if (!Objects.equals(Jsons.of(policy.getStatus()), Jsons.of(decision.status()))) {
        writer.write(policy, decision.status());
      }
    } catch (RuntimeException e) {
      LOG.info(
          "{}: status not written ({}); looking again without acting",
          name(policy),
          PolicyObserver.oneLine(e));
      return poll.inFlight();
    } finally {
      metrics.stage("write", System.nanoTime() - t2);
    }
    metrics.record(policy, observed, decision, now);
    var rollback = decision.status().rollback;
    boolean doneNow =
        rollback != null
            && Boolean.TRUE.equals(rollback.done)
            && (policy.getStatus() == null
                || policy.getStatus().rollback == null
                || !Boolean.TRUE.equals(policy.getStatus().rollback.done));
    if (doneNow
        && rollback.sentAt == null) { // nothing had to be sent: the candidate had no traffic
      metrics.rollbackAccepted(Duration.between(Instant.parse(rollback.failureAt), now));
    }
    long t3 = System.nanoTime();
    act(policy, decision.actions(), now);
    metrics.stage("act", System.nanoTime() - t3);
    return decision.requeueWith(poll.inFlight(), poll.idle());
  }

  /**
   * The policy is being deleted: returns true when it may go (the candidate has no traffic left, or
   * the gate must not touch it); otherwise sends the candidate's traffic back to stable and returns
   * false.
   */
  public boolean release(ReadinessPolicy policy) {
    if (policy.getStatus() == null
        || policy.getSpec() == null
        || policy.getSpec().service == null) {
      return true;
    }
    try {
      var svc = cloudRun.getService(gated(policy, policy.getStatus().service));
      Release.Step step =
          Release.decide(GateSettings.lenient(policy.getSpec()), policy.getStatus(), svc);
      if (step.move().isEmpty()) {
        LOG.info("{}: deleted; {}", name(policy), step.why());
        return true;
      }
      LOG.info("{}: deleted; {}", name(policy), step.why());
      act(policy, List.of(step.move().get()), clock.instant());
      return false;
    } catch (CloudRunException e) {
      metrics.cloudRunError(e.code());
      return "NOT_FOUND".equals(e.code()); // a service that is gone has no traffic to give back
    }
  }

  private void act(ReadinessPolicy policy, List<Action> actions, Instant decidedAt) {
    String uid = policy.getMetadata().getUid();
    for (Action action : actions) {
      if (action instanceof Action.SetTraffic move) {
        LOG.info("{}: setting traffic {} ({})", name(policy), move.targets(), move.why());
        try {
          cloudRun.updateTraffic(gated(policy, move.service()), move.targets(), move.etag());
          updateErrors.remove(uid);
          accepted.put(uid, move.targets());
          acceptedAt.put(uid, decidedAt);
          if (move.rollback()) {
            metrics.rollbackAccepted(Duration.between(move.failureAt(), clock.instant()));
          }
        } catch (RuntimeException e) {
          String code = e instanceof CloudRunException c ? c.code() : e.getClass().getSimpleName();
          metrics.cloudRunError(code);
          if (move.rollback()) {
            metrics.rollbackFailed();
          }
          updateErrors.put(uid, code + ": " + PolicyObserver.oneLine(e));
          accepted.remove(uid);
          acceptedAt.remove(uid);
          LOG.warn(
              "{}: traffic update refused, retried from the recorded intent: {}",
              name(policy),
              e.getMessage());
        }
      } else if (action instanceof Action.Emit e) {
        try {
          events.record(policy, e.type(), e.reason(), e.message());
        } catch (RuntimeException ex) {
          LOG.warn("{}: event {} not recorded: {}", name(policy), e.reason(), ex.getMessage());
        }
      }
    }
  }

  /**
   * The service a move is for: the one the status names (it may be the previous spec.service), else
   * the spec's.
   */
  private static ServiceRef gated(ReadinessPolicy policy, String service) {
    return service == null ? policy.getSpec().service : ServiceRef.parse(service);
  }

  /** Forgets what was kept in memory for a policy that is gone. */
  public void forget(ReadinessPolicy policy) {
    String uid = policy.getMetadata().getUid();
    updateErrors.remove(uid);
    accepted.remove(uid);
    acceptedAt.remove(uid);
    failedRounds.remove(uid);
    watching.forget(uid);
  }

  private static String name(ReadinessPolicy p) {
    return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
  }
}
