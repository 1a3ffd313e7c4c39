{{/* The chart name, overridable. */}}
{{- define "mlp.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The prefix of every resource name: release and chart, or fullnameOverride. */}}
{{- define "mlp.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Labels on every object. */}}
{{- define "mlp.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "mlp.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Selector of one component (api, worker-light, worker-compute). Call with (dict "root" $ "component" "api"). */}}
{{- define "mlp.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mlp.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "mlp.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "mlp.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "mlp.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "mlp.secretName" -}}
{{- default (printf "%s-secrets" (include "mlp.fullname" .)) .Values.secrets.existingSecret -}}
{{- end -}}

{{/* The task queue each pool polls: fixed by the code (contract/taskQueues.ts). */}}
{{- define "mlp.taskQueue" -}}
{{- get (dict "light" "ml-pipeline" "compute" "ml-compute") . -}}
{{- end -}}

{{/* S3 credentials from the Secret, for both processes; absent keys fall back to the pod's identity. */}}
{{- /* The payload codec's key ring: every worker and the API need the same one (optional in an existing Secret). */}}
{{- define "mlp.payloadCodecEnv" -}}
{{- if or .Values.secrets.existingSecret .Values.secrets.payloadCodecKeys -}}
- name: PAYLOAD_CODEC_KEYS
  valueFrom:
    secretKeyRef:
      name: {{ include "mlp.secretName" . }}
      key: PAYLOAD_CODEC_KEYS
      optional: true
{{- end }}
{{- end }}

{{- /* MLflow credentials from the Secret, only with a tracking server: alone they are a config error. */}}
{{- define "mlp.mlflowCredentialsEnv" -}}
{{- if .Values.mlflow.trackingUri -}}
{{- if or .Values.secrets.existingSecret .Values.secrets.mlflowTrackingToken }}
- name: MLFLOW_TRACKING_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ include "mlp.secretName" . }}
      key: MLFLOW_TRACKING_TOKEN
      optional: true
{{- end }}
{{- if and .Values.mlflow.username (or .Values.secrets.existingSecret .Values.secrets.mlflowTrackingPassword) }}
- name: MLFLOW_TRACKING_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "mlp.secretName" . }}
      key: MLFLOW_TRACKING_PASSWORD
      optional: true
{{- end }}
{{- end }}
{{- end }}

{{- define "mlp.awsCredentialsEnv" -}}
{{- if or .Values.secrets.existingSecret .Values.secrets.awsAccessKeyId -}}
- name: AWS_ACCESS_KEY_ID
  valueFrom:
    secretKeyRef:
      name: {{ include "mlp.secretName" . }}
      key: AWS_ACCESS_KEY_ID
      optional: true
- name: AWS_SECRET_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "mlp.secretName" . }}
      key: AWS_SECRET_ACCESS_KEY
      optional: true
{{- end }}
{{- end -}}

{{/* Scratch space: the root filesystem is read-only, ingest streams remote sources to /tmp. */}}
{{- define "mlp.tmpVolumeMount" -}}
- name: tmp
  mountPath: /tmp
{{- end -}}
{{- define "mlp.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpSizeLimit }}
{{- end -}}
