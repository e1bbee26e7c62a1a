package dev.rungate.reconciler;

import dev.rungate.api.RolloutStep;
import dev.rungate.api.TrafficEntry;
import dev.rungate.cloudrun.RevisionSnapshot;
import dev.rungate.cloudrun.VpcSettings;
import dev.rungate.signals.ContainerExit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** One thing that happens to the world between reconciles; each carries its own random parameters. */
enum ModelEvent {
  DEPLOY(8), CANDIDATE_EXIT(5), STABLE_EXIT(1), REVISION_FAILS(2), PROBE_FAILS(3), PROBE_HEALS(3), DEPENDENCY_FAILS(3),
  DEPENDENCY_HEALS(3), SECRET_DELETED(1), SECRET_RESTORED(1), EDIT_STEPS(2), PAUSE(2), UNPAUSE(3), BREAK_SPEC(1),
  FIX_SPEC(2), ROUTE_BY_HAND(2), FOREIGN_TAG(2), READ_FAULT(2), UPDATE_FAULT(3), ETAG_RACE(2), LOGGING_DOWN(2),
  LOGGING_UP(3), WRITE_CONFLICT(2), CRASH_AFTER_WRITE(3), CLOCK_JUMP(1), ABORT(1), PROMOTE(1), RETRY(1), QUIET(20);

  static final List<List<Integer>> STEPS = List.of(List.of(100), List.of(10, 50, 100), List.of(10, 80, 100),
      List.of(5, 20, 50, 80, 100), List.of(50, 100));
  private final int weight;

  ModelEvent(int weight) {
    this.weight = weight;
  }

  /** An event with its parameter (a random int the event may use). */
  record Step(ModelEvent event, int arg) {
    @Override
    public String toString() {
      return event + "(" + arg + ")";
    }
  }

  static List<Step> sequence(Random random, int length) {
    int total = 0;
    for (ModelEvent e : values()) {
      total += e.weight;
    }
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < length; i++) {
      int pick = random.nextInt(total);
      for (ModelEvent e : values()) {
        pick -= e.weight;
        if (pick < 0) {
          steps.add(new Step(e, random.nextInt(1000)));
          break;
        }
      }
    }
    return steps;
  }

  /** Applies the event to the world (not the reconcile: the caller runs that). */
  void apply(ModelWorld w, ModelChecks checks, int arg) {
    var status = w.status();
    String candidate = status == null ? null : status.candidateRevision;
    switch (this) {
      case DEPLOY -> w.deploy(arg % 5 != 0);
      case CANDIDATE_EXIT -> {
        if (candidate != null) {
          w.exits.add(new ContainerExit(candidate, arg % 4 == 0 ? 4 : 3, w.now, List.of("Worker failed to boot.")));
          checks.failureSignalled(candidate);
        }
      }
      case STABLE_EXIT -> {
        if (status != null && status.stableRevision != null) {
          w.exits.add(new ContainerExit(status.stableRevision, 137, w.now, List.of("OOM")));
        }
      }
      case REVISION_FAILS -> {
        if (candidate != null) {
          w.cloudRun.replaceRevision(ModelWorld.SERVICE, new RevisionSnapshot(candidate, RevisionSnapshot.ReadyState.FAILED,
              "HEALTH_CHECK_CONTAINER_ERROR", "The user-provided container failed to start.", VpcSettings.NONE, w.now));
          checks.failureSignalled(candidate);
        }
      }
      case PROBE_FAILS -> w.probes.fail("ready", "STATUS", "status 503, expected [200]");
      case PROBE_HEALS -> w.probes.heal("ready");
      case DEPENDENCY_FAILS -> w.probes.fail("session-store", "CONNECT", "connect timed out after 2s");
      case DEPENDENCY_HEALS, SECRET_RESTORED -> w.probes.heal("session-store");
      case SECRET_DELETED -> w.probes.fail("session-store", "SECRET", "Secret redis-auth not found in namespace model");
      case EDIT_STEPS -> w.editSpec(s -> s.rollout.steps = new ArrayList<>(
          STEPS.get(arg % STEPS.size()).stream().map(p -> new RolloutStep(p, (arg % 3) * 5 + "s")).toList()));
      case PAUSE -> w.editSpec(s -> s.paused = true);
      case UNPAUSE -> w.editSpec(s -> s.paused = false);
      case BREAK_SPEC -> w.editSpec(s -> s.rollout.steps = new ArrayList<>(List.of(new RolloutStep(60, "1s"),
          new RolloutStep(30, "1s"))));
      case FIX_SPEC -> w.editSpec(s -> s.rollout.steps = new ArrayList<>(List.of(new RolloutStep(10, "5s"),
          new RolloutStep(100, null))));
      case ROUTE_BY_HAND -> routeByHand(w, checks, arg);
      case FOREIGN_TAG -> foreignTag(w, checks, arg);
      case READ_FAULT -> w.cloudRun.failReads(arg % 2 == 0 ? "UNAVAILABLE" : "RESOURCE_EXHAUSTED", 1 + arg % 3);
      case UPDATE_FAULT -> w.cloudRun.failUpdates(arg % 2 == 0 ? "PERMISSION_DENIED" : "UNAVAILABLE", 1 + arg % 4);
      case ETAG_RACE -> w.cloudRun.touch(ModelWorld.SERVICE);
      case LOGGING_DOWN -> w.exits.failWith("RESOURCE_EXHAUSTED: Quota exceeded for ReadRequestsPerMinutePerProject");
      case LOGGING_UP -> w.exits.failWith(null);
      case WRITE_CONFLICT -> w.nextWrite = "conflict";
      case CRASH_AFTER_WRITE -> w.nextWrite = "crash";
      case CLOCK_JUMP -> w.now = w.now.plus(Duration.ofMinutes(1 + arg % 15));
      case ABORT -> w.stored.getMetadata().getAnnotations().put("rungate.dev/abort", "a" + arg);
      case PROMOTE -> {
        w.stored.getMetadata().getAnnotations().put("rungate.dev/promote", "p" + arg);
        checks.promoteAsked();
      }
      case RETRY -> {
        w.stored.getMetadata().getAnnotations().put("rungate.dev/retry", "r" + arg);
        if (status != null && status.rollback != null) {
          checks.retried(candidate); // a person asked to verify it again: its old failure no longer counts
        }
      }
      case QUIET -> { }
    }
  }

  private static void routeByHand(ModelWorld w, ModelChecks checks, int arg) {
    List<TrafficEntry> now = w.traffic();
    String a = w.revisionName(1 + arg % w.revisions);
    String b = w.revisionName(1 + (arg / 7) % w.revisions);
    List<TrafficEntry> routed = new ArrayList<>();
    if (a.equals(b) || arg % 3 == 0) {
      routed.add(new TrafficEntry(a, 100, null));
    } else {
      routed.add(new TrafficEntry(a, 50, null));
      routed.add(new TrafficEntry(b, 50, null));
    }
    now.stream().filter(t -> t.tag != null).forEach(t -> routed.add(new TrafficEntry(t.revision, 0, t.tag))); // gcloud keeps tags
    w.cloudRun.setTrafficByHand(ModelWorld.SERVICE, routed);
    checks.personRouted(routed.stream().filter(t -> t.percent > 0).map(t -> t.revision).toList());
  }

  private static void foreignTag(ModelWorld w, ModelChecks checks, int arg) {
    List<TrafficEntry> now = new ArrayList<>(w.traffic());
    String tag = arg % 2 == 0 ? "blue" : "prod";
    if (now.stream().anyMatch(t -> tag.equals(t.tag))) {
      return;
    }
    String revision = w.revisionName(1 + arg % w.revisions);
    now.add(new TrafficEntry(revision, 0, tag));
    w.cloudRun.setTrafficByHand(ModelWorld.SERVICE, now);
  }
}
