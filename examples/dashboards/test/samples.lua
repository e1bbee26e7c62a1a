-- Sample ReadinessPolicies as Argo CD hands them to the health check (the resource as a table).
-- Conditions and messages are the ones the gate writes (operator/src/main/java/dev/rungate/gate).
local function cond(type, status, reason, message)
  return { type = type, status = status, reason = reason, message = message, observedGeneration = 3 }
end

local function policy(phase, conditions)
  return {
    apiVersion = "rungate.dev/v1alpha1",
    kind = "ReadinessPolicy",
    metadata = { name = "netra-backend-staging", namespace = "team-a", generation = 3 },
    status = { observedGeneration = 3, phase = phase, conditions = conditions },
  }
end

local ROLLED_BACK = "Candidate netra-00042-xyz exited with code 3 at 2025-09-09T10:00:00Z (the gunicorn worker"
  .. " failed to boot: the app's startup validation raised). Traffic is back on netra-00041-abc (100%);"
  .. " the candidate stays at 0% under tag candidate."
local OUTSIDE = "The service serves [netra-00041-abc=50] but step 1 planned [netra-00041-abc=90]. Someone else"
  .. " changed traffic; the gate will not overwrite it. Restore the planned traffic to continue, or set a new candidate."
local INVALID = "The policy is invalid and moves no traffic: spec.rollout.steps must end at 100"
local PAUSED = "spec.paused is true: the rollout holds at step 1; set it to false to continue."

local stale = policy("Promoted", {
  cond("Ready", "True", "Promoted", "Candidate netra-00041-abc serves 100% of traffic; it is the new stable revision."),
})
stale.metadata.generation = 4

return {
  { name = "promoted", obj = policy("Promoted", {
    cond("Ready", "True", "Promoted", "Candidate netra-00042-xyz serves 100% of traffic; it is the new stable revision."),
    cond("Promoted", "True", "Promoted", "Candidate netra-00042-xyz serves 100% of traffic; it is the new stable revision."),
    cond("RolledBack", "False", "NotRolledBack", "Not rolled back."),
    cond("Reconciling", "False", "Promoted", "Rollout finished."),
    cond("Stalled", "False", "Promoted", "Rollout finished."),
  }) },
  { name = "in-progress", obj = policy("Progressing", {
    cond("Ready", "False", "TrafficMoving", "Step 1 of 3: 10% on netra-00042-xyz."),
    cond("Reconciling", "True", "TrafficMoving", "Step 1 of 3: 10% on netra-00042-xyz."),
    cond("Stalled", "False", "TrafficMoving", "Step 1 of 3: 10% on netra-00042-xyz."),
  }) },
  { name = "rolled-back", obj = policy("RolledBack", {
    cond("Ready", "False", "WorkerBootError", ROLLED_BACK),
    cond("RolledBack", "True", "WorkerBootError", ROLLED_BACK),
    cond("Promoted", "False", "NotPromoted", "Candidate netra-00042-xyz was rolled back."),
    cond("Reconciling", "False", "WorkerBootError", "Rolled back."),
    cond("Stalled", "True", "WorkerBootError", ROLLED_BACK),
  }) },
  { name = "traffic-changed-outside-gate", obj = policy("Paused", {
    cond("Ready", "False", "TrafficChangedOutsideGate", OUTSIDE),
    cond("Reconciling", "False", "TrafficChangedOutsideGate", OUTSIDE),
    cond("Stalled", "True", "TrafficChangedOutsideGate", OUTSIDE),
  }) },
  { name = "paused-by-user", obj = policy("Paused", {
    cond("Ready", "False", "PausedByUser", PAUSED),
    cond("Reconciling", "False", "PausedByUser", PAUSED),
    cond("Stalled", "False", "PausedByUser", PAUSED),
  }) },
  { name = "invalid", obj = policy("Invalid", {
    cond("Ready", "False", "InvalidSpec", INVALID),
    cond("Reconciling", "False", "InvalidSpec", "Waiting for a valid spec."),
    cond("Stalled", "True", "InvalidSpec", INVALID),
  }) },
  { name = "blocked", obj = policy("Blocked", {
    cond("Ready", "False", "DependencyUnreachable", "session-store: connection refused (10.166.204.83:6379)."),
    cond("Reconciling", "True", "DependencyUnreachable", "Re-checking in 4s."),
    cond("Stalled", "False", "DependencyUnreachable", "Re-checking in 4s."),
  }) },
  { name = "no-status", obj = {
    apiVersion = "rungate.dev/v1alpha1", kind = "ReadinessPolicy",
    metadata = { name = "new-policy", namespace = "team-a", generation = 1 },
  } },
  { name = "stale-generation", obj = stale },
}
