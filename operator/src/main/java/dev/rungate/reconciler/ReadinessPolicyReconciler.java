package dev.rungate.reconciler;

import dev.rungate.api.ReadinessPolicy;
import dev.rungate.api.ReadinessPolicyStatus;
import dev.rungate.cloudrun.CloudRun;
import dev.rungate.gate.Release;
import dev.rungate.probe.Probes;
import dev.rungate.signals.ExitSignals;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Wires only: JOSDK and Kubernetes around {@link PolicyRound}. Reconciles on what people change
 * (spec, manual-command annotations, deletion), on its own requeue timers and on the verification
 * schedule, never on its own status writes. The finalizer rolls an in-flight candidate back before
 * a deleted policy goes.
 */
// Not generation-aware: the manual controls arrive as annotations, which do not bump
// metadata.generation;
// PersonChanges filters out the operator's own status writes instead.
@ControllerConfiguration(
    name = ReadinessPolicyReconciler.NAME,
    generationAwareEventProcessing = false,
    informer =
        @Informer(
            onUpdateFilter = PersonChanges.class,
            itemStore = TrimmedPolicyStore.class,
            informerListLimit = 500))
public class ReadinessPolicyReconciler
    implements Reconciler<ReadinessPolicy>, Cleaner<ReadinessPolicy> {
  public static final String NAME = "readinesspolicy";

  /**
   * The informer's index of policies by the Cloud Run service they gate
   * (projects/p/locations/r/services/s).
   */
  static final String BY_SERVICE = "service";

  private final PolicyRound round;
  private final CheckRunner checks;
  private final VerificationScheduleSource schedules = new VerificationScheduleSource();

  /**
   * Rounds hold the read lock; {@link #stopRounds} takes the write lock once they are done and
   * keeps it.
   */
  private final ReentrantReadWriteLock rounds = new ReentrantReadWriteLock();

  private volatile boolean stopping;

  public ReadinessPolicyReconciler(
      CloudRun cloudRun, ExitSignals exits, Probes probes, Clock clock, EventSink events) {
    this(cloudRun, exits, probes, clock, events, PollIntervals.DEFAULT, GateMetrics.none());
  }

  public ReadinessPolicyReconciler(
      CloudRun cloudRun,
      ExitSignals exits,
      Probes probes,
      Clock clock,
      EventSink events,
      PollIntervals poll,
      GateMetrics metrics) {
    this.checks = new BackgroundChecks(poll.inFlight(), metrics.registry());
    this.round =
        new PolicyRound(
            new PolicyObserver(cloudRun, exits, probes, checks),
            cloudRun,
            events,
            metrics,
            clock,
            poll);
  }

  @Override
  public List<EventSource<?, ReadinessPolicy>> prepareEventSources(
      EventSourceContext<ReadinessPolicy> context) {
    context
        .getPrimaryCache()
        .addIndexer(
            BY_SERVICE,
            p ->
                p.getSpec() == null || p.getSpec().service == null
                    ? List.of()
                    : List.of(p.getSpec().service.resourceName()));
    return List.of(schedules);
  }

  @Override
  public UpdateControl<ReadinessPolicy> reconcile(
      ReadinessPolicy policy, Context<ReadinessPolicy> context) {
    if (!enterRound()) {
      return UpdateControl
          .noUpdate(); // this replica is stopping: the next leader looks at the policy
    }
    try {
      schedules.track(policy);
      String conflict = conflictWith(policy, context);
      var after = round.run(policy, conflict, (p, status) -> writeStatus(p, status, context));
      return UpdateControl.<ReadinessPolicy>noUpdate().rescheduleAfter(after);
    } finally {
      rounds.readLock().unlock();
    }
  }

  @Override
  public DeleteControl cleanup(ReadinessPolicy policy, Context<ReadinessPolicy> context) {
    if (!enterRound()) {
      return DeleteControl.noFinalizerRemoval();
    }
    try {
      if (conflictWith(policy, context) != null || round.release(policy)) {
        schedules.forget(policy);
        round.forget(policy);
        return DeleteControl.defaultDelete();
      }
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(Release.RETRY.toMillis());
    } finally {
      rounds.readLock().unlock();
    }
  }

  private boolean enterRound() {
    if (stopping || !rounds.readLock().tryLock()) {
      return false;
    }
    if (stopping) {
      rounds.readLock().unlock();
      return false;
    }
    return true;
  }

  /**
   * Starts no round from now on and waits up to {@code within} for the rounds in flight (each one a
   * read, a status write and at most one traffic update) to finish; true when none is left. Then
   * another replica can lead without two replicas ever acting on a policy at once.
   */
  public boolean stopRounds(Duration within) throws InterruptedException {
    stopping = true;
    return rounds.writeLock().tryLock(within.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Another policy in this operator's cache that gates the same service and was there first (older,
   * or the same age and a smaller namespace/name), or null. Policies seen by other operators (other
   * shards) are not visible.
   */
  static String conflictWith(ReadinessPolicy policy, Context<ReadinessPolicy> context) {
    if (policy.getSpec() == null || policy.getSpec().service == null) {
      return null;
    }
    return conflictWith(
        policy,
        context.getPrimaryCache().byIndex(BY_SERVICE, policy.getSpec().service.resourceName()));
  }

  /**
   * The first of {@code sameService} (policies on the policy's service) that came before it, or
   * null.
   */
  static String conflictWith(ReadinessPolicy policy, List<ReadinessPolicy> sameService) {
    Comparator<ReadinessPolicy> first =
        Comparator.comparing(
                (ReadinessPolicy p) ->
                    Objects.requireNonNullElse(p.getMetadata().getCreationTimestamp(), ""))
            .thenComparing(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName());
    return sameService.stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> !Objects.equals(p.getMetadata().getUid(), policy.getMetadata().getUid()))
        .filter(p -> first.compare(p, policy) < 0)
        .map(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName())
        .sorted()
        .findFirst()
        .orElse(null);
  }

  /**
   * The status is written before any action: a crash after this line resumes from the recorded
   * intent.
   */
  private static void writeStatus(
      ReadinessPolicy policy, ReadinessPolicyStatus status, Context<ReadinessPolicy> context) {
    ReadinessPolicy copy = new ReadinessPolicy();
    copy.setMetadata(policy.getMetadata());
    copy.setSpec(policy.getSpec());
    copy.setStatus(status);
    context.getClient().resource(copy).updateStatus();
  }

  /** Stops the background checks. */
  public void close() {
    checks.close();
  }
}
