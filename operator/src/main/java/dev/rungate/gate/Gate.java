package dev.rungate.gate;

import dev.rungate.api.Copies;
import dev.rungate.api.ReadinessPolicySpec;
import dev.rungate.api.ReadinessPolicyStatus;
import dev.rungate.api.status.CheckStep;
import dev.rungate.domain.ServiceSnapshot;
import dev.rungate.gate.commands.Commands;
import dev.rungate.gate.commands.HandBack;
import dev.rungate.gate.observed.Observation;
import dev.rungate.gate.outcome.ExitEvidence;
import dev.rungate.gate.outcome.FailureDetector;
import dev.rungate.gate.outcome.Outcomes;
import dev.rungate.gate.outcome.Rollback;
import dev.rungate.gate.rollout.Rollout;
import dev.rungate.gate.rollout.Signals;
import dev.rungate.gate.rollout.Verification;
import dev.rungate.gate.round.Decision;
import dev.rungate.gate.round.Round;
import dev.rungate.gate.spec.GateSettings;
import dev.rungate.gate.spec.SpecValidator;
import dev.rungate.gate.status.Conditions;
import dev.rungate.gate.status.Phases;
import dev.rungate.gate.status.Reasons;
import dev.rungate.gate.traffic.Routing;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The decision core: (spec, previous status, observation, now) in; (status, actions, requeue) out.
 * Pure: no I/O, no clock of its own. The reconciler writes the status first, then carries out the
 * actions.
 */
public final class Gate {

  private Gate() {}

  public static Decision decide(
      ReadinessPolicySpec spec,
      Long generation,
      ReadinessPolicyStatus previous,
      Observation obs,
      Instant now) {
    return decide(spec, generation, Map.of(), previous, obs, now);
  }

  /**
   * As above, with the policy's annotations, which carry the manual commands (see {@link
   * Commands}).
   */
  public static Decision decide(
      ReadinessPolicySpec spec,
      Long generation,
      Map<String, String> annotations,
      ReadinessPolicyStatus previous,
      Observation obs,
      Instant now) {
    return Round.decide(
        copy(previous), generation, now, r -> decideRound(r, spec, annotations, obs));
  }

  private static void decideRound(
      Round r, ReadinessPolicySpec spec, Map<String, String> annotations, Observation obs) {
    List<String> errors = specErrors(spec, obs);
    boolean inFlight = Phases.inFlight(r.status);
    if (obs.conflictWith() != null) {
      Outcomes.conflict(r, spec, obs.conflictWith());
      Commands.ignoreAll(
          r, annotations, "another policy, " + obs.conflictWith() + ", gates the service");
      return;
    }
    ServiceSnapshot svc = obs.service();
    String before = r.status.candidateRevision;
    if (svc != null && !inFlight && ServiceChange.pending(r.status, spec)) {
      ServiceChange.reset(
          r, spec); // nothing in flight on the old service: the status describes the new one now
    }
    if (svc == null || (!errors.isEmpty() && !inFlight)) {
      Outcomes.invalid(r, errors);
      if (svc != null) {
        Outcomes.adoptManualRouting(r, svc);
        Outcomes.rolledBackOnlyWhileTrue(r, svc);
      }
      Commands.ignoreAll(
          r, annotations, "the policy is invalid (" + String.join("; ", errors) + ")");
      return;
    }
    GateSettings s = GateSettings.lenient(spec);
    Rollback.noteAccepted(r.status, obs);
    if (ServiceChange.pending(r.status, spec)) { // in flight: the observation is of the old service
      ServiceChange.returnTraffic(r, s, spec, obs);
      Commands.ignoreAll(
          r,
          annotations,
          "spec.service changed, and the old service's candidate is rolled back first");
      return;
    }
    r.status.service = spec.service.resourceName();
    r.observed(
        svc.settled() ? svc.traffic() : svc.desired()); // while it reconciles: where it is going
    Signals.record(r, obs);
    String candidate =
        Phases.candidateOf(
            s, svc); // also while invalid: a new candidate only takes traffic away from the old
    if (candidate == null) {
      Outcomes.idle(r, svc, "The service has no revision to gate yet.");
      Commands.ignoreAll(r, annotations, "the service has no revision to gate yet");
      return;
    }
    boolean newCandidate = !candidate.equals(r.status.candidateRevision);
    boolean routedNow =
        inFlight
            && r.status.stepPercent != null
            && Routing.changedByPerson(
                r.status,
                svc,
                Routing.planAt(r.status, svc, rollingBack(r.status) ? 0 : r.status.stepPercent),
                obs);
    boolean routedUnseen =
        newCandidate && routedNow && !Routing.stillHeld(r.status, svc); // not held for before
    if (!inFlight || routedNow) {
      Outcomes.adoptManualRouting(
          r, svc); // a person's route of all traffic to one revision: before anything else
    }
    if (newCandidate) {
      boolean revert = inFlight && candidate.equals(r.status.stableRevision);
      if (revert && rollingBack(r.status) && !Reasons.REVERTED.equals(r.status.rollback.reason)) {
        revert(
            r,
            s,
            svc,
            obs,
            routedUnseen); // a person's word: it overrides the routing set by hand before it
        Commands.ignoreAll(
            r, annotations, "spec.candidate.revision was set back to the stable revision");
        return;
      } else if (rollingBack(r.status)) {
        if (Rollback.takenOverByPerson(r.status, svc, obs)) {
          CandidateStart.startCandidate(r, s, svc, candidate);
        } else {
          candidate =
              r.status
                  .candidateRevision; // a failing candidate's rollback finishes before the next one
          // starts
        }
      } else if (revert) {
        revert(r, s, svc, obs, routedUnseen);
        Commands.ignoreAll(
            r, annotations, "spec.candidate.revision was set back to the stable revision");
        return;
      } else {
        CandidateStart.startCandidate(r, s, svc, candidate);
      }
      if (routedUnseen && candidate.equals(r.status.candidateRevision)) {
        // routed by hand in the same moment as the new candidate came, maybe after it: their
        // routing stands
        Routing.holdFor(r.status, svc.settled() ? svc.traffic() : svc.desired());
      }
      // in flight the round read the old candidate (absent when it is gone): look again
      String readFor = obs.candidate() != null ? obs.candidate().name() : inFlight ? before : null;
      if (readFor != null && !candidate.equals(readFor)) {
        obs = Observation.ofService(svc).withProcess(obs.process());
        r.requeueWithin(Round.FAST);
      }
    }
    r.status.candidatePercent = svc.percentOf(candidate);
    HandBack.resumed(r, s, svc);
    if (Commands.apply(r, s, errors, annotations, obs, before)) {
      return;
    }
    if (r.status.step == null) {
      Outcomes.idleOn(r, svc, candidate);
      Verification.reverify(r, spec, obs);
    } else if (r.status.rollback != null) {
      boolean lateLinesMayArrive = ExitEvidence.complete(r, obs);
      Rollback.proceed(r, s, svc, obs);
      Verification.reverify(r, spec, obs);
      if (lateLinesMayArrive) {
        r.requeueWithin(ExitEvidence.POLL);
      }
      if (!candidate.equals(Phases.candidateOf(s, svc)) && errors.isEmpty()) {
        r.requeueWithin(Round.FAST); // a new candidate waits for this rollback: look again soon
      }
    } else if (Conditions.isTrue(r.status.conditions, Conditions.PROMOTED)) {
      Outcomes.adoptManualRouting(r, svc);
      r.requeue(Round.IDLE);
      Verification.reverify(r, spec, obs);
    } else {
      Rollout.advance(r, s, spec, obs, errors);
    }
  }

  private static boolean rollingBack(ReadinessPolicyStatus st) {
    return st.rollback != null && !Boolean.TRUE.equals(st.rollback.done);
  }

  /**
   * The candidate pinned back to the stable revision mid-rollout (a GitOps revert): the in-flight
   * one rolls back.
   */
  private static void revert(
      Round r, GateSettings s, ServiceSnapshot svc, Observation obs, boolean routedUnseen) {
    var st = r.status;
    // a routing by hand first seen with the revert may have come after it: then it stands
    Rollback.decide(
        r,
        s,
        svc,
        obs,
        new FailureDetector.Failure(
            Reasons.REVERTED,
            "spec.candidate.revision was set back"
                + " to the stable revision "
                + st.stableRevision
                + " during the rollout of "
                + st.candidateRevision
                + " (a revert): its traffic goes back to "
                + st.stableRevision
                + ".",
            null),
        !routedUnseen);
  }

  /**
   * Cloud Run could not be read: nothing moves; the status (and the recorded intent) stays, and the
   * read is retried.
   */
  public static Decision cloudRunUnavailable(
      Long generation,
      Map<String, String> annotations,
      ReadinessPolicyStatus previous,
      String code,
      String message,
      Instant now) {
    return Round.decide(
        copy(previous),
        generation,
        now,
        r -> {
          Commands.ignoreAll(r, annotations, "Cloud Run could not be read (" + code + ")");
          boolean missing = "NOT_FOUND".equals(code);
          String why =
              (missing ? "The Cloud Run service was not found: " : "Cloud Run could not be read: ")
                  + message
                  + ". No traffic moves until it can be read again.";
          String reason = missing ? Reasons.SERVICE_NOT_FOUND : Reasons.CLOUD_RUN_API_ERROR;
          r.ready(false, reason, why);
          r.reconciling(true, reason, why);
          r.stalled(false, reason, why);
          r.requeue(Round.FAST.multipliedBy(5));
        });
  }

  /**
   * A round failed unexpectedly (a bug, or a source that threw where none should): the previous
   * status and its intent stay; the error is shown on Ready and the round is retried with backoff,
   * never wedging the policy.
   */
  public static Decision roundFailed(
      Long generation,
      Map<String, String> annotations,
      ReadinessPolicyStatus previous,
      String message,
      int failures,
      Instant now) {
    return Round.decide(
        copy(previous),
        generation,
        now,
        r -> {
          Commands.ignoreAll(r, annotations, "the round failed (" + message + ")");
          String why =
              "The last reconcile failed ("
                  + message
                  + "); retrying. The recorded step and rollback stay in force.";
          r.ready(false, Reasons.RECONCILE_ERROR, why);
          r.reconciling(true, Reasons.RECONCILE_ERROR, why);
          r.requeue(Round.backoff(failures - 1));
        });
  }

  /** Spec errors, including Secrets or keys a check names that do not exist. */
  static List<String> specErrors(ReadinessPolicySpec spec, Observation obs) {
    List<String> errors = new ArrayList<>(SpecValidator.validate(spec));
    obs.dependencies().stream()
        .filter(c -> CheckStep.SECRET.name().equals(c.failedStep))
        .forEach(c -> errors.add("check " + c.name + ": " + c.message));
    return errors;
  }

  private static ReadinessPolicyStatus copy(ReadinessPolicyStatus previous) {
    return previous == null ? new ReadinessPolicyStatus() : Copies.of(previous);
  }
}
