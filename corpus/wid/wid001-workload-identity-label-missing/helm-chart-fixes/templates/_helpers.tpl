{{- define "fixes.batchLabels" -}}
app: batch
tier: jobs
{{- end }}
