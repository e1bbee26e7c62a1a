package dev.rungate.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.rungate.api.status.CheckResult;
import dev.rungate.api.status.CommandAnswer;
import dev.rungate.api.status.ExitRecord;
import dev.rungate.api.status.HistoryEntry;
import dev.rungate.api.status.RollbackStatus;
import dev.rungate.api.status.TrafficEntry;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReadinessPolicyStatus {
  @JsonPropertyDescription("The metadata.generation this status was computed for.")
  public Long observedGeneration;

  @JsonPropertyDescription(
      "Summary derived from the conditions: Idle, Verifying, Progressing, Paused, Promoted, RollingBack, RolledBack, Blocked, Invalid.")
  public Phase phase;

  @JsonPropertyDescription(
      "The Cloud Run service the status describes (projects/P/locations/R/services/S). When spec.service changes during a rollout, the candidate's traffic on this service returns to its stable revision first.")
  public String service;

  @JsonPropertyDescription(
      "Revision that served before the candidate, and takes all traffic on rollback.")
  public String stableRevision;

  @JsonPropertyDescription("Revision being gated.")
  public String candidateRevision;

  @JsonPropertyDescription(
      "Recorded step index: 0 = candidate at 0% under its tag, N = spec.rollout.steps[N-1]. Recorded before the traffic moves.")
  public Integer step;

  @JsonPropertyDescription(
      "Tag the candidate is served under, fixed when the candidate was detected (a changed spec.candidate.tag applies to the next candidate).")
  public String candidateTag;

  @JsonPropertyDescription(
      "Earlier candidates superseded by this one, newest first (at most 5), never promoted: whatever traffic they have returns to the stable revision.")
  public List<String> previousCandidates = new ArrayList<>();

  @JsonPropertyDescription("Candidate percent the recorded step plans (the intent).")
  public Integer stepPercent;

  @JsonPropertyDescription(
      "Candidate percent of the last step Cloud Run reported as reached; null before the first.")
  public Integer reachedPercent;

  @JsonPropertyDescription("Percent of traffic the service reports on the candidate.")
  public Integer candidatePercent;

  @JsonPropertyDescription(
      "Traffic a person routed outside the gate during a rollout: the gate changes nothing of it until a person hands control back (restores the planned traffic, runs abort, promote or retry, or a new candidate arrives).")
  public List<TrafficEntry> routedByHand;

  @JsonPropertyDescription(
      "While the gate holds for routedByHand: the traffic it last saw before that routing. A person who puts the planned traffic back, with the other routes as they were before, hands control back.")
  public List<TrafficEntry> trafficBeforeHand;

  @JsonPropertyDescription(
      "True once the policy was paused while the gate left a person's routing alone: resuming it (spec.paused false) hands control back to the gate.")
  public Boolean resumeHandsBack;

  @JsonPropertyDescription(
      "Traffic as the service last reported it; while it reconciles, the traffic it was last asked for.")
  public List<TrafficEntry> traffic = new ArrayList<>();

  @JsonPropertyDescription("When the service first reported the current step's traffic (RFC 3339).")
  public String stepStartedAt;

  @JsonPropertyDescription(
      "When the rollout last made progress (RFC 3339); the progress deadline counts from here.")
  public String lastProgressAt;

  @JsonPropertyDescription(
      "When the current hold began (paused, outside the deploy window, blocked, traffic changed by someone else); the progress deadline does not run during a hold (RFC 3339).")
  public String heldSince;

  @JsonPropertyDescription(
      "Since when every check and probe of the candidate has passed at this step (RFC 3339).")
  public String healthySince;

  @JsonPropertyDescription("The rollback in progress or done for the current candidate.")
  public RollbackStatus rollback;

  @JsonPropertyDescription("Consecutive blocked verifications, for the re-check backoff.")
  public Integer blockedAttempts;

  @JsonPropertyDescription(
      "Manual commands already carried out: annotation (abort, promote, retry) to the value handled.")
  public Map<String, String> handledCommands = new TreeMap<>();

  @JsonPropertyDescription("The answer to the last manual command: applied, or ignored and why.")
  public CommandAnswer lastCommand;

  @JsonPropertyDescription(
      "When the current candidate was retried (RFC 3339); container exits before it are history.")
  public String retriedAt;

  @JsonPropertyDescription(
      "When a person last handed traffic back to the gate (rungate retry, or a resume after their"
          + " routing; RFC 3339): a traffic update the operator sent before it is no evidence that someone undid its plan.")
  public String handedBackAt;

  @JsonPropertyDescription(
      "When dependencies were last re-verified on spec.verification.schedule (RFC 3339).")
  public String lastVerifiedAt;

  @JsonPropertyDescription("Latest result of every dependency check and revision probe.")
  public List<CheckResult> checks = new ArrayList<>();

  @JsonPropertyDescription(
      "The candidate's latest container exit, with evidence lines from its log.")
  public ExitRecord lastExit;

  @JsonPropertyDescription("The last 10 outcomes, newest first.")
  public List<HistoryEntry> history = new ArrayList<>();

  @JsonPropertyDescription(
      "Ready, DependenciesReady, CandidateHealthy, ExitSignalsAvailable, Promoted, RolledBack, Reconciling, Stalled.")
  public List<Condition> conditions = new ArrayList<>();
}
