package dev.rungate.reconciler.model;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.rungate.api.Copies;
import dev.rungate.api.ReadinessPolicySpec;
import dev.rungate.api.checks.DependenciesSpec;
import dev.rungate.api.checks.HttpCheck;
import dev.rungate.api.checks.MemorystoreCheck;
import dev.rungate.api.checks.RevisionEnv;
import dev.rungate.api.spec.CandidateSpec;
import dev.rungate.api.spec.RevisionProbe;
import dev.rungate.api.spec.RevisionSpec;
import dev.rungate.api.spec.RolloutSpec;
import dev.rungate.api.spec.RolloutStep;
import dev.rungate.api.status.TrafficEntry;
import dev.rungate.gate.status.Conditions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.slf4j.LoggerFactory;

/**
 * A randomized model test of the whole decision loop (see {@link ModelChecks} for the invariants,
 * {@link ModelEvent} for what happens between rounds). Fixed seeds run every time on every core,
 * plus one fresh seed that is printed when it fails; a failing sequence is shrunk to a short
 * reproducer before it is reported. Longer runs: {@code scripts/soak-model N}; one reproducer
 * again: {@link ModelReplay}.
 */
class GateModelTest {
  static final long FIRST_SEED = Long.getLong("rungate.model.first", 1);
  static final int SEEDS = Integer.getInteger("rungate.model.seeds", 5000);
  static final int LENGTH = 60;

  @Test
  void invariantsHoldOnRandomSequences() throws Exception {
    long fresh = System.nanoTime();
    long last = FIRST_SEED + SEEDS - 1;
    ForkJoinPool pool = new ForkJoinPool(Math.max(2, Runtime.getRuntime().availableProcessors()));
    // the operator's log of thousands of sequences says nothing the invariants don't (a failure is
    // replayed with it)
    Logger log = (Logger) LoggerFactory.getLogger("dev.rungate");
    Level level = log.getLevel();
    log.setLevel(Level.ERROR);
    try {
      Optional<Long> failed =
          pool.submit(
                  () ->
                      LongStream.rangeClosed(FIRST_SEED, last + 1)
                          .parallel()
                          .map(seed -> seed <= last ? seed : fresh)
                          .filter(seed -> run(Case.of(seed)) != null)
                          .boxed()
                          .min(Long::compare))
              .get();
      failed.ifPresent(
          seed -> {
            Case c = Case.of(seed);
            List<ModelEvent.Step> shrunk = shrink(c);
            throw new AssertionError(
                "seed "
                    + seed
                    + " ("
                    + c.describe()
                    + "): "
                    + run(c.with(shrunk))
                    + "\nshortest reproducer ("
                    + shrunk.size()
                    + " events): "
                    + shrunk);
          });
      System.out.println(
          "GateModelTest: "
              + (SEEDS + 1)
              + " sequences of "
              + LENGTH
              + " events passed (seeds "
              + FIRST_SEED
              + "-"
              + last
              + " and "
              + fresh
              + ")");
    } finally {
      log.setLevel(level);
      pool.shutdown();
    }
  }

  /** Shrunk reproducers the model test found on the way, kept so they stay fixed. */
  @Test
  void regressionsStayFixed() {
    for (String reproducer : ModelRegressions.ALL) {
      assertThat(run(ModelReplay.parse(reproducer))).as(reproducer).isNull();
    }
  }

  /**
   * Replays one case with every round printed:
   * -Drungate.model.replay='pinned;steps;foreign;[EVENT(arg), ...]'.
   */
  @Test
  @EnabledIfSystemProperty(named = "rungate.model.replay", matches = ".+")
  void replay() {
    ModelReplay.main(new String[0]);
  }

  /** One generated case: pinned or not, the steps, a foreign route at the start, and the events. */
  record Case(boolean pinned, int steps, boolean foreign, List<ModelEvent.Step> events) {
    static Case of(long seed) {
      Random random = new Random(seed);
      boolean pinned = random.nextInt(3) == 0;
      int steps = random.nextInt(ModelEvent.STEPS.size());
      boolean foreign = random.nextInt(4) == 0;
      return new Case(pinned, steps, foreign, ModelEvent.sequence(random, LENGTH));
    }

    Case with(List<ModelEvent.Step> shorter) {
      return new Case(pinned, steps, foreign, shorter);
    }

    String describe() {
      return "pinned=" + pinned + ", steps=" + ModelEvent.STEPS.get(steps) + ", foreign=" + foreign;
    }

    @Override
    public String toString() {
      return pinned + ";" + steps + ";" + foreign + ";" + events;
    }
  }

  /** Runs one case; returns the broken invariant, or null. */
  static String run(Case c) {
    ModelWorld w = new ModelWorld(spec(c.steps()), c.foreign());
    ModelOracle oracle = new ModelOracle(w);
    ModelChecks checks = new ModelChecks(w, oracle);
    try {
      for (ModelEvent.Step step : c.events()) {
        step.event().apply(w, oracle, step.arg(), c.pinned());
        if (w.stored == null && step.arg() % 2 == 0) {
          recreate(w, oracle, c);
        }
        for (int i = 0; i < 1 + step.arg() % 3; i++) {
          round(w, checks);
        }
      }
      heal(w, oracle, c);
      for (int i = 0; i < 60; i++) {
        round(w, checks);
      }
      return null;
    } catch (AssertionError e) {
      return e.getMessage();
    } catch (RuntimeException e) {
      if (Boolean.getBoolean("rungate.model.debug")) {
        e.printStackTrace(System.out);
      }
      return "(d) an exception left the round: " + e;
    }
  }

  private static void round(ModelWorld w, ModelChecks checks) {
    int updates = w.cloudRun.accepted().size();
    var before = w.status() == null ? null : Copies.of(w.status());
    boolean crash = "crash".equals(w.nextWrite);
    boolean clean = "ok".equals(w.nextWrite) && !w.cloudRun.readFaultsPending();
    Map<String, List<TrafficEntry>> served = new HashMap<>();
    for (var service : List.of(ModelWorld.SERVICE, ModelWorld.OTHER)) {
      checks.servedAtStart(service.name, w.traffic(service)); // reconciling or not
      if (!w.cloudRun.reconciling(service)) {
        served.put(service.name, w.traffic(service)); // settled: what the gate reads this round
      }
    }
    Duration after = w.reconcile();
    if (crash && !"crash".equals(w.nextWrite)) {
      w.restart();
    }
    if (Boolean.getBoolean("rungate.model.debug")) {
      var st = w.status();
      System.out.println(
          w.now
              + " "
              + w.traffic(w.gated())
              + " "
              + (st == null
                  ? "-"
                  : st.candidateRevision
                      + " "
                      + st.phase
                      + " step="
                      + st.step
                      + "/"
                      + st.stepPercent
                      + "/"
                      + st.reachedPercent
                      + " "
                      + Conditions.reason(st.conditions, "Ready")
                      + " rb="
                      + (st.rollback == null ? null : st.rollback.reason + "/" + st.rollback.done)
                      + " | "
                      + Conditions.find(st.conditions, "Ready")
                          .map(c -> c.getMessage())
                          .orElse("")));
    }
    checks.afterRound(updates, before, clean, served);
    w.advance(after.compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : after);
  }

  /** Every fault healed, a valid spec, no second policy: the gate must finish what it started. */
  private static void heal(ModelWorld w, ModelOracle o, Case c) {
    w.exits.failWith(null);
    o.loggingDown = false;
    w.cloudRun.clearFaults();
    w.conflict = null;
    w.nextWrite = "ok";
    if (w.stored == null) {
      recreate(w, o, c);
    }
  }

  /**
   * The policy applied again after its deletion: it answers only for candidates it gates from now
   * on.
   */
  private static void recreate(ModelWorld w, ModelOracle o, Case c) {
    w.recreate(spec(c.steps()));
    o.adoptBusiest(ModelWorld.SERVICE);
    for (var service : List.of(ModelWorld.SERVICE, ModelWorld.OTHER)) {
      for (var t : w.cloudRun.desired(service)) {
        if (t.percent > 0) {
          o.stables.add(t.revision);
        }
      }
    }
    o.person.clear();
    o.failing.clear();
    o.gated.clear();
  }

  private static List<ModelEvent.Step> shrink(Case c) {
    List<ModelEvent.Step> best = new ArrayList<>(c.events());
    for (int chunk = best.size() / 2; chunk >= 1; chunk /= 2) {
      for (int i = 0; i + chunk <= best.size(); ) {
        List<ModelEvent.Step> shorter = new ArrayList<>(best.subList(0, i));
        shorter.addAll(best.subList(i + chunk, best.size()));
        if (run(c.with(shorter)) != null) {
          best = shorter;
        } else {
          i += chunk;
        }
      }
    }
    return best;
  }

  static ReadinessPolicySpec spec(int steps) {
    ReadinessPolicySpec spec = new ReadinessPolicySpec();
    spec.service = ModelWorld.SERVICE;
    spec.candidate = new CandidateSpec();
    spec.candidate.tag = "candidate";
    spec.dependencies = new DependenciesSpec();
    MemorystoreCheck redis = new MemorystoreCheck();
    redis.name = "session-store";
    redis.instance = ModelWorld.INSTANCE;
    redis.revisionEnv = new RevisionEnv("REDIS_HOST", null, null, null);
    spec.dependencies.memorystore = new ArrayList<>(List.of(redis));
    spec.revision = new RevisionSpec();
    RevisionProbe ready = new RevisionProbe();
    ready.name = "ready";
    ready.http = new HttpCheck();
    ready.http.path = "/health/ready";
    spec.revision.probes = new ArrayList<>(List.of(ready));
    spec.revision.observeFor = "3s";
    spec.rollout = new RolloutSpec();
    spec.rollout.steps =
        new ArrayList<>(
            ModelEvent.STEPS.get(steps).stream().map(p -> new RolloutStep(p, "4s")).toList());
    spec.rollout.progressDeadline = "2m";
    return spec;
  }
}
