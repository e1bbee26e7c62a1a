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

local status = obj.status
local generation = obj.metadata and obj.metadata.generation
if status == nil or status.conditions == nil or #status.conditions == 0
    or (generation ~= nil and (status.observedGeneration == nil or status.observedGeneration < generation)) then
  hs.status = "Progressing"
  hs.message = "Waiting for status"
  return hs
end

local phase = status.phase or ""
local ready = condition(status.conditions, "Ready")
local rolledBack = condition(status.conditions, "RolledBack")
local stalled = condition(status.conditions, "Stalled")
local reconciling = condition(status.conditions, "Reconciling")

-- Degraded: the candidate was rolled back, the gate cannot go on by itself, or the spec is invalid.
if isTrue(rolledBack) or phase == "RolledBack" then
  hs.status = "Degraded"
  hs.message = messageOf(rolledBack, "Rolled back")
  return hs
end
if phase == "Invalid" then
  hs.status = "Degraded"
  hs.message = messageOf(ready, "Invalid spec")
  return hs
end
if isTrue(stalled) then
  hs.status = "Degraded"
  hs.message = messageOf(stalled, "Stalled")
  return hs
end

-- Suspended: spec.paused holds the rollout at its current step.
if phase == "Paused" then
  hs.status = "Suspended"
  hs.message = messageOf(ready, "Paused")
  return hs
end

-- Healthy: promoted, or nothing to gate.
if isTrue(ready) or phase == "Promoted" or phase == "Idle" then
  hs.status = "Healthy"
  hs.message = messageOf(ready, phase)
  return hs
end

-- Progressing: verifying the candidate, moving traffic, or blocked on a dependency (re-checked with backoff).
if isTrue(reconciling) or phase == "Verifying" or phase == "Progressing" or phase == "Blocked" then
  hs.status = "Progressing"
  if phase == "Blocked" then
    hs.message = messageOf(ready, "Blocked")
  else
    hs.message = messageOf(reconciling, phase)
  end
  return hs
end

hs.status = "Progressing"
hs.message = "Waiting for status"
return hs
