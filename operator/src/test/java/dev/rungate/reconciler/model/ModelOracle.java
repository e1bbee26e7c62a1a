package dev.rungate.reconciler.model;

import dev.rungate.api.spec.ServiceRef;
import dev.rungate.api.status.TrafficEntry;
import dev.rungate.domain.ContainerExit;
import dev.rungate.domain.RevisionSnapshot;
import dev.rungate.gate.traffic.TrafficPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the world knows, independently of the gate's status: each service's stable revision, the
 * revisions that were candidates, the routing a person set and has not handed back, which revisions
 * are healthy and since when, which have a failure signal, and which promote a person gave. Events
 * feed it; {@link ModelChecks} holds the gate to it. It reads the in-memory Cloud Run only through
 * accessors that consume no injected fault.
 */
final class ModelOracle {
  /** A person's routing of a service, in force until a person hands control back. */
  record PersonRouting(List<TrafficEntry> traffic, Instant at, int round) {}

  /**
   * A promote given with this annotation value for a candidate at a generation (null: the value
   * named none).
   */
  record Grant(String value, String candidate, Long generation) {}

  record Exit(ContainerExit exit, Instant visibleAt) {}

  static final Duration OBSERVE_FOR = Duration.ofSeconds(3);

  final ModelWorld w;
  final Map<String, String> stable = new HashMap<>();

  /** Every revision that was its service's stable one since the gate last promoted there. */
  final Set<String> stables = new HashSet<>();

  /** Services gated afresh whose stable revision the gate has not recorded yet. */
  final Set<String> stableUnrecorded = new HashSet<>();

  /** What each service served when the round began (settled or not). */
  final Map<String, List<TrafficEntry>> servedAtStart = new HashMap<>();

  final Set<String> everCandidate = new HashSet<>();

  /** Revisions the gate itself took up as its candidate (status.candidateRevision). */
  final Set<String> gated = new HashSet<>();

  /**
   * Candidates in the order they came, newest last: the gate remembers the last few it superseded.
   */
  final List<String> candidateOrder = new ArrayList<>();

  final Map<String, PersonRouting> person = new HashMap<>();

  /**
   * The traffic the service was asked for before a person's routing began (until control is handed
   * back).
   */
  final Map<String, List<TrafficEntry>> beforePerson = new HashMap<>();

  /**
   * The round in which the gate could first see each person's routing (a round that read the
   * service).
   */
  final Map<String, Integer> personSeen = new HashMap<>();

  final Map<String, Instant> healthySince = new HashMap<>();

  /**
   * Revisions with a failure signal, and for how much unexcused time the gate has let them keep
   * traffic.
   */
  final Map<String, Duration> failing = new HashMap<>();

  final Map<String, Instant> retriedAt = new HashMap<>();

  /** A candidate's step percent (of the gated share), as the gate last raised it. */
  final Map<String, Integer> stepOf = new HashMap<>();

  final Map<String, Instant> raisedAt = new HashMap<>();
  final Map<String, Long> raisedAtGeneration = new HashMap<>();
  final List<Exit> exits = new ArrayList<>();
  final List<Grant> grants = new ArrayList<>();

  /**
   * Candidates a person promoted (an applied promote given for them): the gate may give them all of
   * their share.
   */
  final Set<String> promotedByCommand = new HashSet<>();

  boolean probeFailing;
  boolean dependencyFailing;
  boolean loggingDown;
  Instant catchUpUntil;
  String lastWorldCandidate;
  String lastAnswer;

  /** Rounds run so far. */
  int rounds;

  ModelOracle(ModelWorld w) {
    this.w = w;
    for (ServiceRef service : List.of(ModelWorld.SERVICE, ModelWorld.OTHER)) {
      adoptBusiest(service);
    }
  }

  /** A policy gates the service afresh: its stable revision is the one serving the most traffic. */
  void adoptBusiest(ServiceRef service) {
    String busiest = TrafficPlan.busiestExcept(w.traffic(service), List.of());
    stable.put(service.name, busiest);
    stables.add(busiest);
  }

  static ServiceRef serviceOf(String revision) {
    return revision.startsWith(ModelWorld.OTHER.name + "-") ? ModelWorld.OTHER : ModelWorld.SERVICE;
  }

  /**
   * The revision the spec asks the gate to gate: the pinned one, else the service's latest created.
   */
  String worldCandidate() {
    if (w.stored == null) {
      return null;
    }
    var spec = w.spec();
    if (spec.candidate != null && spec.candidate.revision != null) {
      return spec.candidate.revision;
    }
    return w.cloudRun.latestCreated(spec.service);
  }

  void personRouted(ServiceRef service, List<TrafficEntry> traffic) {
    person.put(service.name, new PersonRouting(List.copyOf(traffic), w.now, rounds));
    personSeen.remove(service.name);
  }

  /**
   * Control handed back; a person's full route to one revision still counts: the gate adopts it
   * when it looks.
   */
  void handBack(ServiceRef service) {
    PersonRouting routing = person.remove(service.name);
    beforePerson.remove(service.name);
    String sole = routing == null ? null : TrafficPlan.soleRevision(routing.traffic());
    if (sole != null && sole.equals(TrafficPlan.soleRevision(w.traffic(service)))) {
      stable.put(service.name, sole);
      stables.add(sole);
    }
  }

  /**
   * A person's word (revert, resume) hands control back from a routing the gate has already seen;
   * one it sees in the same moment may have come after that word, and stands.
   */
  void handBackIfSeen(ServiceRef service) {
    if (!person.containsKey(service.name) || personSeen.get(service.name) != null) {
      handBack(service);
    }
  }

  boolean loggingReadable() {
    return !loggingDown && (catchUpUntil == null || !w.worldNow().isBefore(catchUpUntil));
  }

  /** A failing exit (3 or 4) of the revision, since its last retry, that the gate can read now. */
  boolean visibleFailingExit(String revision) {
    Instant since = retriedAt.getOrDefault(revision, Instant.MIN);
    return loggingReadable()
        && exits.stream()
            .anyMatch(
                e ->
                    e.exit().revision().equals(revision)
                        && (e.exit().exitCode() == 3 || e.exit().exitCode() == 4)
                        && !e.exit().at().isBefore(since)
                        && !w.worldNow().isBefore(e.visibleAt()));
  }

  /**
   * One of the candidates the gate still manages: the current one or the last five it superseded.
   */
  boolean recentCandidate(String revision) {
    int i = candidateOrder.lastIndexOf(revision);
    return i >= 0 && candidateOrder.size() - 1 - i <= 5;
  }

  RevisionSnapshot revision(String name) {
    return w.cloudRun.revisionOf(serviceOf(name), name).orElse(null);
  }

  /**
   * What the gate must see before a revision serves more: ready, not failed, no failing exit,
   * checks pass, no drift.
   */
  boolean healthy(String revision) {
    RevisionSnapshot rev = revision(revision);
    return rev != null
        && rev.isReady()
        && !visibleFailingExit(revision)
        && !probeFailing
        && !dependencyFailing
        && ModelWorld.REDIS_HOST.equals(rev.env().get("REDIS_HOST"));
  }

  int desired(String revision) {
    return TrafficPlan.percentOf(w.cloudRun.desired(serviceOf(revision)), revision);
  }

  int served(String revision) {
    return TrafficPlan.percentOf(w.traffic(serviceOf(revision)), revision);
  }
}
