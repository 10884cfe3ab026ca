{{- define "tapeout.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "tapeout.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "tapeout.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "tapeout.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "tapeout.secretName" -}}
{{ .Values.existingSecret | default (include "tapeout.fullname" .) }}
{{- end -}}

{{- define "tapeout.databaseUrl" -}}
{{- if .Values.externalDatabaseUrl -}}
{{ .Values.externalDatabaseUrl }}
{{- else if .Values.postgresql.enabled -}}
{{ printf "postgresql://%s:%s@%s-postgresql:5432/%s" .Values.postgresql.auth.username .Values.postgresql.auth.password .Release.Name .Values.postgresql.auth.database }}
{{- else -}}
{{ fail "set externalDatabaseUrl, or postgresql.enabled: several instances need Postgres, not the embedded database" }}
{{- end -}}
{{- end -}}

{{- define "tapeout.redisUrl" -}}
{{- if .Values.externalRedisUrl -}}
{{ .Values.externalRedisUrl }}
{{- else if .Values.redis.enabled -}}
{{ printf "redis://%s-redis-master:6379" .Release.Name }}
{{- else -}}
{{ fail "set externalRedisUrl, or redis.enabled: workers and several instances need Redis" }}
{{- end -}}
{{- end -}}

{{/* Environment of every Tapeout container: the ConfigMap and the Secret (extraEnv goes in each container's env). */}}
{{- define "tapeout.envFrom" -}}
envFrom:
  - configMapRef:
      name: {{ include "tapeout.fullname" . }}
  - secretRef:
      name: {{ include "tapeout.secretName" . }}
{{- end -}}

{{- define "tapeout.filesVolume" -}}
- name: files
  persistentVolumeClaim:
    claimName: {{ .Values.files.existingClaim | default (printf "%s-files" (include "tapeout.fullname" .)) }}
{{- end -}}
