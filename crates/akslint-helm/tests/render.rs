//! The renderer on a small chart written for these tests: Go template semantics as Helm uses
//! them, and the provenance of what is written (the template span, or the values key).

use std::sync::Arc;

use akslint_core::{Limits, SourceFile, SourceKind};
use akslint_helm::render::text::Text;
use akslint_helm::render::value::Value;
use akslint_helm::render::{RenderErrorKind, Renderer};
use std::collections::BTreeMap;

const VALUES: &str = "\
replicaCount: 2
image:
  repository: contoso.azurecr.io/web
  tag: \"1.4\"
auth:
  password: Qm9xLmM4ZTfR2s
labels:
  team: payments
  tier: web
ports: [80, 443]
enabled: false
";

const HELPERS: &str = r#"{{- define "web.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end }}
{{- define "web.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
{{- range $k, $v := .Values.labels }}
{{ $k }}: {{ $v | quote }}
{{- end }}
{{- end }}"#;

const DEPLOYMENT: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "web.fullname" . }}
  labels:
    {{- include "web.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicaCount | default 1 }}
  template:
    spec:
      containers:
        - name: web
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          {{- if .Values.enabled }}
          enabled: true
          {{- else if eq (len .Values.ports) 2 }}
          ports:
            {{- range .Values.ports }}
            - containerPort: {{ . }}
            {{- end }}
          {{- end }}
          env:
            - name: PASSWORD
              value: {{ .Values.auth.password | quote }}
            - name: MISSING
              value: {{ .Values.nothing | default "none" | quote }}
"#;

/// The root dot of a release: values, Release and Chart.
fn dot(renderer: &mut Renderer) -> (Value, usize) {
    let file = renderer.add_file("values.yaml", VALUES);
    let source = Arc::new(SourceFile::new("values.yaml", SourceKind::Yaml, VALUES));
    let parsed = akslint_yaml::parse(&source, &Limits::default());
    let document = &parsed.documents[0];
    let values = Value::from_tree(&document.tree, document.root.expect("a root"), file);
    let map = |entries: &[(&str, Value)]| {
        Value::map(
            entries
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect::<BTreeMap<_, _>>(),
        )
    };
    let dot = map(&[
        ("Values", values),
        (
            "Release",
            map(&[
                ("Name", Value::str("prod")),
                ("Namespace", Value::str("default")),
            ]),
        ),
        ("Chart", map(&[("Name", Value::str("web"))])),
    ]);
    (dot, file)
}

/// The deployment template rendered with the helpers: the renderer, the values file's index and
/// the output.
fn rendered_deployment() -> (Renderer, usize, Text) {
    let mut renderer = Renderer::new();
    let (dot, values) = dot(&mut renderer);
    renderer
        .add_template("templates/_helpers.tpl", HELPERS)
        .expect("parses");
    let deployment = renderer
        .add_template("templates/deployment.yaml", DEPLOYMENT)
        .expect("parses");
    let out = renderer.render(deployment, &dot).expect("renders");
    (renderer, values, out)
}

#[test]
fn a_chart_renders_as_helm_renders_it() {
    let (_, _, out) = rendered_deployment();
    assert_eq!(
        out.as_str(),
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: prod-web
  labels:
    app.kubernetes.io/name: web
    team: "payments"
    tier: "web"
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: web
          image: "contoso.azurecr.io/web:1.4"
          ports:
            - containerPort: 80
            - containerPort: 443
          env:
            - name: PASSWORD
              value: "Qm9xLmM4ZTfR2s"
            - name: MISSING
              value: "none"
"#
    );
}

#[test]
fn every_byte_knows_the_template_span_or_the_values_key_that_wrote_it() {
    let (renderer, values, out) = rendered_deployment();
    let text = out.as_str();
    let at = |needle: &str| {
        let start = text.find(needle).expect("in the output");
        start..start + needle.len()
    };
    let slice = |file: usize, span: akslint_core::Span| {
        renderer.file_text(file)[span.start as usize..span.end as usize].to_owned()
    };
    // The password came from values.yaml, through `quote`.
    let sources = out.sources_in(at("Qm9xLmM4ZTfR2s"));
    assert_eq!(sources.len(), 1);
    assert_eq!(sources[0].file, values);
    assert_eq!(slice(values, sources[0].span), "Qm9xLmM4ZTfR2s");
    // A label from values.yaml through a helper, `range`, `quote` and `nindent`.
    let team = out.sources_in(at("payments"));
    assert_eq!(
        (team[0].file, slice(values, team[0].span)),
        (values, "payments".to_owned())
    );
    // Literal text of the template points at the template.
    let kind = out.sources_in(at("kind: Deployment"));
    assert_eq!(kind.len(), 1);
    assert_eq!(
        renderer.file_name(kind[0].file),
        "templates/deployment.yaml"
    );
    assert_eq!(slice(kind[0].file, kind[0].span), "kind: Deployment");
    // A default written in the template points at the template's literal.
    let none = out.sources_in(at("none"));
    assert_eq!(
        renderer.file_name(none[0].file),
        "templates/deployment.yaml"
    );
    assert_eq!(slice(none[0].file, none[0].span), "\"none\"");
}

#[test]
fn failures_are_located_and_typed() {
    let mut renderer = Renderer::new();
    let (dot, _) = dot(&mut renderer);
    let cases = [
        (
            "{{ required \"a database password is required\" .Values.db }}",
            RenderErrorKind::Refused,
            "a database password is required",
        ),
        (
            "{{ fail \"unsupported mode\" }}",
            RenderErrorKind::Refused,
            "unsupported mode",
        ),
        (
            "{{ .Values.nothing.deeper }}",
            RenderErrorKind::Invalid,
            "nil pointer evaluating interface {}.deeper",
        ),
        (
            "{{ range .Values.auth.password }}{{ end }}",
            RenderErrorKind::Invalid,
            "range can't iterate over a string",
        ),
        (
            "{{ include \"nowhere\" . }}",
            RenderErrorKind::Invalid,
            "no template named \"nowhere\"",
        ),
        (
            "{{ semverCompare \">=1.25\" .Capabilities.KubeVersion.Version }}",
            RenderErrorKind::Invalid,
            "nil pointer",
        ),
        (
            "{{ getHostByName \"example.com\" }}",
            RenderErrorKind::Unsupported,
            "function `getHostByName` is not rendered yet",
        ),
        (
            "{{ .Files.Get \"config.ini\" }}",
            RenderErrorKind::Unsupported,
            "method `Get`",
        ),
    ];
    for (template, kind, message) in cases {
        let file = renderer
            .add_template("templates/t.yaml", template)
            .expect("parses");
        let error = renderer.render(file, &dot).expect_err(template);
        assert_eq!(error.kind, kind, "{template}: {error:?}");
        assert!(error.message.contains(message), "{template}: {error:?}");
        assert!(
            !error.message.contains("Qm9xLmM4ZTfR2s"),
            "a secret in {error:?}"
        );
        assert_eq!(error.source.file, file);
        let span = error.source.span;
        assert!(
            span.end as usize <= template.len() && span.start < span.end,
            "{template}: {span:?}"
        );
    }
}

#[test]
fn variables_tpl_and_install_time_values() {
    let mut renderer = Renderer::new();
    let (dot, values) = dot(&mut renderer);
    let template = r#"{{- $name := .Release.Name -}}
{{- range $i, $p := .Values.ports }}{{ if $i }},{{ end }}{{ $name }}:{{ $p }}{{ end }}
{{ tpl "{{ .Values.image.repository }}/x" . }}
{{ randAlphaNum 16 }}
{{ with .Values.labels }}{{ .team }}{{ else }}none{{ end }}
{{ range $i := until 0 }}{{ end }}{{ dict "a" 1 "b" "two" | toYaml }}"#;
    let file = renderer
        .add_template(
            "templates/t.yaml",
            &template.replace("{{ range $i := until 0 }}{{ end }}", ""),
        )
        .expect("parses");
    let out = renderer.render(file, &dot).expect("renders");
    assert_eq!(
        out.as_str(),
        "prod:80,prod:443\ncontoso.azurecr.io/web/x\nakslint-generated-at-install\npayments\na: 1\nb: two"
    );
    // What `tpl` wrote from the value it read points at values.yaml.
    let start = out.as_str().find("contoso").unwrap();
    let from_tpl = out.sources_in(start..start + 7);
    assert_eq!(from_tpl[0].file, values);
}

/// Go's literal and pattern forms that Rust reads otherwise: a hexadecimal float (`0x1p20`,
/// 2^20, as the OpenTelemetry collector chart divides by it) and a `-` right after a class
/// escape in a character class (`[\w-\.]`, redis-ha's name check), a literal dash in Go.
#[test]
fn go_hex_floats_and_class_dashes() {
    let mut renderer = Renderer::new();
    let (dot, _) = dot(&mut renderer);
    let template = r#"{{ divf 3145728 0x1p20 | int64 }} {{ mulf 0x1.8p1 2 }} {{ regexMatch "^[\\w-\\.]+$" "my-master.1" }} {{ regexMatch "^[\\w-\\.]+$" "a b" }} {{ regexMatch "^[\\d-]+$" "1-2" }}"#;
    let file = renderer
        .add_template("templates/t.yaml", template)
        .expect("parses");
    let out = renderer.render(file, &dot).expect("renders");
    assert_eq!(out.as_str(), "3 6 true false true");
}
