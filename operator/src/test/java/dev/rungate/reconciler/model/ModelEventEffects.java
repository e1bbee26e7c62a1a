package dev.rungate.reconciler.model;

import dev.rungate.api.spec.DeployWindow;
import dev.rungate.api.spec.RolloutStep;
import dev.rungate.api.spec.VerificationSpec;
import dev.rungate.domain.ContainerExit;
import dev.rungate.domain.RevisionSnapshot;
import dev.rungate.gate.status.Phases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What each group of {@link ModelEvent}s does to the world, and what it tells the oracle. */
final class ModelEventEffects {
  private ModelEventEffects() {}

  /** Deploys, revisions becoming ready or failing, container exits, deleted revisions. */
  static void onRevisions(ModelEvent event, ModelWorld w, ModelOracle o, int arg, boolean pinned) {
    var status = w.status();
    String candidate = status == null ? null : status.candidateRevision;
    var service = w.gated();
    switch (event) {
      case DEPLOY, DEPLOY_TAGGED -> {
        String revision = w.deploy(service, arg % 5 != 0, arg % 11 != 0);
        if (event == ModelEvent.DEPLOY_TAGGED) {
          w.cloudRun.setTrafficByHand(
              service,
              ModelPolicies.withTagMoved(w.cloudRun.desired(service), revision, "candidate"));
        }
        if (arg % 4 == 0) {
          w.cloudRun.reconcileFor(
              service, Duration.ofSeconds(5 + arg % 40)); // the new revision starts
        }
        if (pinned) {
          w.editSpec(s -> s.candidate.revision = revision);
        }
      }
      case REVISION_READY -> {
        var rev = candidate == null ? null : o.revision(candidate);
        if (rev != null && !rev.isReady() && !rev.hasFailed()) {
          w.cloudRun.replaceRevision(
              service,
              new RevisionSnapshot(
                  rev.name(),
                  RevisionSnapshot.ReadyState.SUCCEEDED,
                  null,
                  null,
                  rev.vpc(),
                  rev.createTime(),
                  rev.env()));
        }
      }
      case CANDIDATE_EXIT -> {
        if (candidate != null) {
          int code = arg % 5 == 0 ? (arg % 2 == 0 ? 1 : 137) : arg % 4 == 0 ? 4 : 3;
          var exit =
              new ContainerExit(candidate, code, w.worldNow(), List.of("Worker failed to boot."));
          var visible =
              arg % 3 == 0
                  ? w.worldNow().plusSeconds(2 + arg % 20)
                  : w.worldNow(); // late, out of order
          w.exits.add(exit, visible);
          o.exits.add(new ModelOracle.Exit(exit, visible));
        }
      }
      case STABLE_EXIT -> {
        if (status != null && status.stableRevision != null) {
          w.exits.add(new ContainerExit(status.stableRevision, 137, w.worldNow(), List.of("OOM")));
        }
      }
      case REVISION_FAILS -> {
        var rev = candidate == null ? null : o.revision(candidate);
        if (rev != null && ModelOracle.serviceOf(candidate).equals(service)) {
          w.cloudRun.replaceRevision(
              service,
              new RevisionSnapshot(
                  candidate,
                  RevisionSnapshot.ReadyState.FAILED,
                  "HEALTH_CHECK_CONTAINER_ERROR",
                  "The user-provided container failed to start.",
                  rev.vpc(),
                  rev.createTime(),
                  rev.env()));
        }
      }
      case DELETE_REVISION -> {
        int n = w.revisions.get(service.name);
        String revision = w.revisionName(service, 1 + arg % n);
        if (!o.stables.contains(
            revision)) { // a deleted stable revision leaves nothing to roll back to (Cloud Run
          // refuses)
          w.cloudRun.deleteRevision(service, revision);
        }
      }
      default -> throw new IllegalArgumentException(event + " is not a revision event");
    }
  }

  /** The probes and dependencies failing and healing, the Secret, the instance, slow checks. */
  static void onChecks(ModelEvent event, ModelWorld w, ModelOracle o, int arg) {
    switch (event) {
      case PROBE_FAILS -> {
        w.probes.fail("ready", "STATUS", "status 503, expected [200]");
        o.probeFailing = true;
      }
      case PROBE_HEALS -> {
        w.probes.heal("ready");
        o.probeFailing = false;
      }
      case DEPENDENCY_FAILS -> {
        w.probes.fail("session-store", "CONNECT", "connect timed out after 2s");
        o.dependencyFailing = true;
        w.secretMissing = false;
      }
      case DEPENDENCY_HEALS, SECRET_RESTORED -> {
        w.probes.heal("session-store");
        o.dependencyFailing = false;
        w.secretMissing = false;
      }
      case SECRET_DELETED -> {
        w.probes.fail("session-store", "SECRET", "Secret redis-auth not found in namespace model");
        o.dependencyFailing = false;
        w.secretMissing = true;
      }
      case MAINTENANCE -> {
        w.instanceState = arg % 2 == 0 ? "READY" : "MAINTENANCE";
        w.describeInstance();
      }
      case CHECKS_SLOW -> w.checks.delay = arg % 4;
      default -> throw new IllegalArgumentException(event + " is not a check event");
    }
  }

  /** People's and GitOps' edits of the policy's spec: steps, pause, pins, window, schedule. */
  static void onSpecEdits(ModelEvent event, ModelWorld w, ModelOracle o, int arg) {
    var status = w.status();
    var service = w.gated();
    switch (event) {
      case EDIT_STEPS ->
          w.editSpec(
              s ->
                  s.rollout.steps =
                      new ArrayList<>(
                          ModelEvent.STEPS.get(arg % ModelEvent.STEPS.size()).stream()
                              .map(p -> new RolloutStep(p, (arg % 3) * 5 + "s"))
                              .toList()));
      case PAUSE -> w.editSpec(s -> s.paused = true);
      case UNPAUSE -> {
        if (w.stored != null && Boolean.TRUE.equals(w.spec().paused)) {
          w.editSpec(s -> s.paused = false);
          if (Phases.inFlight(status)) {
            o.handBackIfSeen(service); // resuming a rollout hands control back
          }
        }
      }
      case BREAK_SPEC ->
          w.editSpec(
              s ->
                  s.rollout.steps =
                      new ArrayList<>(
                          List.of(new RolloutStep(60, "1s"), new RolloutStep(30, "1s"))));
      case FIX_SPEC ->
          w.editSpec(
              s ->
                  s.rollout.steps =
                      new ArrayList<>(
                          List.of(new RolloutStep(10, "5s"), new RolloutStep(100, null))));
      case PIN_STABLE -> {
        String stable = o.stable.get(service.name);
        if (w.stored != null && !Objects.equals(w.spec().candidate.revision, stable)) {
          w.editSpec(s -> s.candidate.revision = stable);
          if (Phases.inFlight(status)) {
            o.handBackIfSeen(service); // a revert of a rollout is a person's word, like abort
          }
        }
      }
      case PIN_OLDER -> {
        int n = w.revisions.get(service.name);
        String older = w.revisionName(service, 1 + arg % n);
        if (w.stored != null
            && older.equals(o.stable.get(service.name))
            && !older.equals(w.spec().candidate.revision)
            && Phases.inFlight(status)) {
          o.handBackIfSeen(
              service); // pinning the stable revision is a revert: a person's word, like abort
        }
        w.editSpec(s -> s.candidate.revision = older);
      }
      case WINDOW ->
          w.editSpec(
              s -> {
                s.rollout.window = arg % 2 == 0 ? null : new DeployWindow();
                if (s.rollout.window != null) {
                  s.rollout.window.schedule = ModelWorld.WINDOW;
                }
              });
      case SCHEDULE ->
          w.editSpec(
              s -> {
                s.verification = arg % 2 == 0 ? null : new VerificationSpec();
                if (s.verification != null) {
                  s.verification.schedule = "0/30 * * * * ?";
                }
              });
      default -> throw new IllegalArgumentException(event + " is not a spec edit event");
    }
  }

  /** Faults of Cloud Run, Logging, the status writes and the clock. */
  static void onFaults(ModelEvent event, ModelWorld w, ModelOracle o, int arg) {
    var service = w.gated();
    switch (event) {
      case READ_FAULT ->
          w.cloudRun.failReads(arg % 2 == 0 ? "UNAVAILABLE" : "RESOURCE_EXHAUSTED", 1 + arg % 3);
      case UPDATE_FAULT ->
          w.cloudRun.failUpdates(arg % 2 == 0 ? "PERMISSION_DENIED" : "UNAVAILABLE", 1 + arg % 4);
      case ETAG_RACE -> w.cloudRun.touch(service);
      case ABORT_INSIDE -> w.cloudRun.abortNextUpdate();
      case OPERATION_FAILS ->
          w.cloudRun.failNextOperation("Revision 'x' does not exist or is deleted.");
      case REVISION_READ_FAULT -> w.cloudRun.failRevisionReads(1 + arg % 2);
      case LOGGING_DOWN -> {
        w.exits.failWith("RESOURCE_EXHAUSTED: Quota exceeded for ReadRequestsPerMinutePerProject");
        o.loggingDown = true;
      }
      case LOGGING_UP -> {
        if (o.loggingDown) {
          w.exits.failWith(null);
          w.exits.catchUpUntil(w.worldNow().plusSeconds(arg % 10));
          o.loggingDown = false;
          o.catchUpUntil = w.worldNow().plusSeconds(arg % 10);
        }
      }
      case WRITE_CONFLICT -> w.nextWrite = "conflict";
      case CRASH_AFTER_WRITE -> w.nextWrite = "crash";
      case CLOCK_JUMP ->
          w.advance(Duration.ofMinutes(1 + arg % 15)); // the operator down for minutes
      case CLOCK_BACK ->
          w.now = w.now.minus(Duration.ofSeconds(30 + arg % 270)); // a replica whose clock lags
      default -> throw new IllegalArgumentException(event + " is not a fault event");
    }
  }
}
