-- Argo CD health check for rungate.dev/ReadinessPolicy.
-- Argo CD runs this with the resource as the global `obj` and reads back hs.status / hs.message.
-- Install: resource.customizations.health.rungate.dev_ReadinessPolicy in argocd-cm (see README.md).
--
-- Order matters: a stale or missing status first, then failures (Degraded), a user's pause
-- (Suspended), success (Healthy), and a rollout in flight (Progressing).
local hs = {}

local function condition(conditions, type)
  for _, c in ipairs(conditions or {}) do
    if c.type == type then
      return c
    end
  end
  return nil
end

local function isTrue(c)
  return c ~= nil and c.status == "True"
end

local function messageOf(c, fallback)
  if c ~= nil and c.message ~= nil and c.message ~= "" then
    return c.message
  end
  return fallback
end

local function health(status, message)
  hs.status = status
  hs.message = message
  return hs
end

local status = obj.status
local generation = obj.metadata and obj.metadata.generation
if status == nil or status.conditions == nil or #status.conditions == 0
    or (generation ~= nil and (status.observedGeneration == nil or status.observedGeneration < generation)) then
  return health("Progressing", "Waiting for status")
end

local phase = status.phase or ""
local ready = condition(status.conditions, "Ready")
local rolledBack = condition(status.conditions, "RolledBack")
local stalled = condition(status.conditions, "Stalled")
local reconciling = condition(status.conditions, "Reconciling")

-- Degraded: the candidate was rolled back, the spec is invalid, or the gate cannot go on by itself
-- (Stalled=True, e.g. traffic changed outside the gate: phase Paused, but a person must act).
if isTrue(rolledBack) or phase == "RolledBack" then
  return health("Degraded", messageOf(rolledBack, "Rolled back"))
end
if phase == "Invalid" then
  return health("Degraded", messageOf(ready, "Invalid spec"))
end
if isTrue(stalled) then
  return health("Degraded", messageOf(stalled, "Stalled"))
end

-- Suspended: spec.paused holds the rollout at its current step.
if phase == "Paused" then
  return health("Suspended", messageOf(ready, "Paused"))
end

-- Healthy: promoted, or nothing to gate.
if isTrue(ready) or phase == "Promoted" or phase == "Idle" then
  return health("Healthy", messageOf(ready, phase))
end

-- Progressing: verifying the candidate, moving traffic, or blocked on a dependency (re-checked with backoff).
if phase == "Blocked" then
  return health("Progressing", messageOf(ready, "Blocked"))
end
if isTrue(reconciling) or phase == "Verifying" or phase == "Progressing" then
  return health("Progressing", messageOf(reconciling, phase))
end

return health("Progressing", "Waiting for status")
