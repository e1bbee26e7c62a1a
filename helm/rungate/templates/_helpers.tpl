{{/* Chart name, truncated to the 63 characters a label value allows. */}}
{{- define "rungate.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name: release-chart, or the release name when it already contains the chart name. */}}
{{- define "rungate.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "rungate.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Selector labels: stable across upgrades (a Deployment's selector is immutable). */}}
{{- define "rungate.selectorLabels" -}}
app.kubernetes.io/name: {{ include "rungate.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "rungate.labels" -}}
helm.sh/chart: {{ include "rungate.chart" . }}
{{ include "rungate.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "rungate.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "rungate.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "rungate.leaseNamespace" -}}
{{- default .Release.Namespace .Values.leaderElection.leaseNamespace }}
{{- end }}

{{/*
The rules the operator needs on the namespaces it watches; the same list is used for the
ClusterRole (all namespaces) and each namespaced Role. Nothing else: no wildcards.
*/}}
{{- define "rungate.policyRules" -}}
# Watch ReadinessPolicies (informer: get/list/watch); update/patch because the manual
# controls are applied by patching the policy resource itself.
- apiGroups: ["rungate.dev"]
  resources: ["readinesspolicies"]
  verbs: ["get", "list", "watch", "update", "patch"]
# Write the status: the recorded step (the intent) goes here before any traffic moves.
- apiGroups: ["rungate.dev"]
  resources: ["readinesspolicies/status"]
  verbs: ["get", "update", "patch"]
# Read the Secrets a policy names (Memorystore AUTH string, CA certificate), one by one by name:
# get only, so the operator cannot list or watch every Secret.
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get"]
# Record Events on policies (rollbacks, promotions, problems); patch folds repeats into a count.
# core/v1 Events only: the operator writes no events.k8s.io Events.
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end }}
