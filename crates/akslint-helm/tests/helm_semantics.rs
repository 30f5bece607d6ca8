//! Helm semantics the `ci/` values of the shared charts revealed (see tests/helm_oracle.rs),
//! each on a chart written here, with the output Helm's own engine gives for it (helm-python-sdk
//! 0.2.2, recorded): a `null` in a chart's values is no value, a user's `null` deletes a
//! dependency's default, `.Subcharts` by alias, NOTES.txt failures refuse the chart, and
//! `values.schema.json` violations (which Helm refuses) are recorded, the chart still rendered.

use std::fs;
use std::path::Path;

use akslint_core::{Limits, SourceFile, SourceKind};
use akslint_helm::chart::{self, Release, RenderedChart};
use akslint_helm::render::RenderErrorKind;
use akslint_helm::render::value::Value;

/// A chart `web` with a dependency `cache` aliased `store`, a schema and a NOTES.txt.
fn write_chart(dir: &Path) {
    let files = [
        (
            "Chart.yaml",
            "apiVersion: v2\nname: web\nversion: 1.0.0\ndependencies:\n  - name: cache\n    version: 1.0.0\n    alias: store\n",
        ),
        (
            "values.yaml",
            "replicas: 2\nowner: null\nlabels:\n  team: null\n  tier: web\nstore:\n  size: null\n  ttl: 30\n",
        ),
        (
            "values.schema.json",
            r#"{"$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "required": ["replicas"],
 "properties": {"replicas": {"type": "integer", "minimum": 1}}}"#,
        ),
        (
            "templates/cm.yaml",
            "owner: {{ hasKey .Values \"owner\" }}\nteam: {{ hasKey .Values.labels \"team\" }}\nstore: {{ include \"cache.name\" .Subcharts.store }}\nttl: {{ .Subcharts.store.Values.ttl }} {{ hasKey .Values.store \"size\" }}\nkube: {{ .Capabilities.KubeVersion.Version }}\n",
        ),
        (
            "templates/NOTES.txt",
            "Owned by {{ required \"set owner\" .Values.owner }}.\n",
        ),
        (
            "charts/cache/Chart.yaml",
            "apiVersion: v2\nname: cache\nversion: 1.0.0\n",
        ),
        ("charts/cache/values.yaml", "size: 1\nttl: 10\nmode: null\n"),
        (
            "charts/cache/templates/_helpers.tpl",
            "{{- define \"cache.name\" -}}{{ .Chart.Name }}-{{ .Values.size }}{{- end }}\n",
        ),
        (
            "charts/cache/templates/cm.yaml",
            "size: {{ .Values.size }} mode: {{ hasKey .Values \"mode\" }} ttl: {{ .Values.ttl }}\n",
        ),
    ];
    for (path, text) in files {
        let path = dir.join(path);
        fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
        fs::write(path, text).expect("write");
    }
}

/// The chart rendered with a user's values file of `text`.
fn render(dir: &Path, text: &str) -> RenderedChart {
    let loaded = chart::load(dir).expect("the chart reads");
    let source = std::sync::Arc::new(SourceFile::new("user.yaml", SourceKind::Yaml, text));
    let parsed = akslint_yaml::parse(&source, &Limits::default());
    let overrides = parsed.documents.first().and_then(|d| {
        d.root
            .map(|root| Value::from_tree(&d.tree, root, usize::MAX))
    });
    let release = Release {
        name: "rel".to_owned(),
        ..Release::default()
    };
    chart::render(&loaded, overrides, &release)
}

fn output<'r>(rendered: &'r RenderedChart, name: &str) -> &'r str {
    rendered
        .manifests
        .iter()
        .find(|m| m.name == name)
        .map(|m| m.text.as_str())
        .unwrap_or_else(|| panic!("{name} is not rendered"))
}

#[test]
fn nulls_subcharts_and_the_default_kubernetes_version_as_helm() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_chart(dir.path());
    let rendered = render(dir.path(), "owner: payments\n");
    assert!(rendered.errors.is_empty(), "{:?}", rendered.errors);
    // Helm's output for these values, template by template.
    assert_eq!(
        output(&rendered, "web/templates/cm.yaml"),
        "owner: true\nteam: false\nstore: store-1\nttl: 30 true\nkube: v1.36.0\n"
    );
    assert_eq!(
        output(&rendered, "web/charts/store/templates/cm.yaml"),
        "size: 1 mode: false ttl: 30\n"
    );
    assert!(
        rendered
            .manifests
            .iter()
            .all(|m| !m.name.ends_with("NOTES.txt")),
        "NOTES.txt is rendered but is no manifest"
    );
    // A user's null deletes the dependency's default (Helm: `ttl:` empty).
    let rendered = render(dir.path(), "owner: payments\nstore:\n  ttl: null\n");
    assert_eq!(
        output(&rendered, "web/charts/store/templates/cm.yaml"),
        "size: 1 mode: false ttl: \n"
    );
}

#[test]
fn a_failing_notes_txt_refuses_the_chart_and_a_schema_violation_is_recorded() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_chart(dir.path());
    // Helm: `execution error at (web/templates/NOTES.txt:1:12): set owner`.
    let rendered = render(dir.path(), "");
    let (name, _, error) = &rendered.errors[0];
    assert_eq!(name, "web/templates/NOTES.txt");
    assert_eq!(error.kind, RenderErrorKind::Refused);
    assert_eq!(error.message, "set owner");
    // Helm: `values don't meet the specifications of the schema(s) in the following chart(s):
    // web: - at '/replicas': minimum: got 0, want 1`.
    let rendered = render(dir.path(), "owner: payments\nreplicas: 0\n");
    assert!(rendered.errors.is_empty(), "{:?}", rendered.errors);
    assert_eq!(rendered.violations.len(), 1, "{:?}", rendered.violations);
    let violation = &rendered.violations[0];
    assert_eq!(
        (violation.chart.as_str(), violation.pointer.as_str()),
        ("web", "/replicas")
    );
    assert!(
        violation.helm_message().starts_with(
            "values don't meet the specifications of the schema(s) in the following chart(s): web: at '/replicas':"
        ),
        "{}",
        violation.helm_message()
    );
    assert!(
        !violation.message.contains('0'),
        "no value shown: {}",
        violation.message
    );
    // The templates still render, to be linted.
    assert_eq!(
        output(&rendered, "web/charts/store/templates/cm.yaml"),
        "size: 1 mode: false ttl: 30\n"
    );
}

#[test]
fn a_schema_violation_is_placed_at_the_value_that_breaks_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_chart(dir.path());
    fs::write(
        dir.path().join("values.yaml"),
        "owner: payments\nreplicas: -3\n",
    )
    .expect("write");
    let rendered = render(dir.path(), "");
    assert_eq!(rendered.violations.len(), 1, "{:?}", rendered.violations);
    let source = rendered.violations[0].source;
    assert_eq!(rendered.paths[source.file], dir.path().join("values.yaml"));
    let text = fs::read_to_string(dir.path().join("values.yaml")).expect("read");
    let span = source.span;
    assert_eq!(&text[span.start as usize..span.end as usize], "-3");
}

/// Helm asserts `format` in a draft-07 schema and not in a 2020-12 one (Helm: `at '/mail': … is
/// not valid email: missing @` for draft 07, the chart rendered for 2020-12).
#[test]
fn schema_formats_are_asserted_up_to_draft_07_as_helm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let chart = dir.path();
    fs::create_dir_all(chart.join("templates")).expect("mkdir");
    fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: fmt\nversion: 0.1.0\n",
    )
    .expect("write");
    fs::write(chart.join("values.yaml"), "mail: not-an-email\n").expect("write");
    fs::write(chart.join("templates/a.yaml"), "a: {{ .Values.mail }}\n").expect("write");
    for (draft, refused) in [
        ("http://json-schema.org/draft-07/schema#", true),
        ("https://json-schema.org/draft/2020-12/schema", false),
    ] {
        fs::write(
            chart.join("values.schema.json"),
            format!(
                r#"{{"$schema": "{draft}", "properties": {{"mail": {{"type": "string", "format": "email"}}}}}}"#
            ),
        )
        .expect("write");
        let rendered = render(chart, "");
        assert!(rendered.errors.is_empty(), "{draft}: {:?}", rendered.errors);
        assert_eq!(
            !rendered.violations.is_empty(),
            refused,
            "{draft}: {:?}",
            rendered.violations
        );
        if refused {
            let message = rendered.violations[0].helm_message();
            assert!(message.contains("at '/mail'"), "{message}");
            assert!(
                !message.contains("not-an-email"),
                "the value is not shown: {message}"
            );
        }
    }
}

#[test]
fn to_toml_writes_a_values_map_as_helm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let files = [
        ("Chart.yaml", "apiVersion: v2\nname: conf\nversion: 1.0.0\n"),
        (
            "values.yaml",
            "app:\n  name: web\n  ratio: 0.5\n  db:\n    host: db.internal\n  hosts: [a, b]\n",
        ),
        (
            "templates/cm.yaml",
            "data:\n  app.toml: |\n{{ toToml (merge (dict \"workers\" 4) .Values.app) | indent 4 }}\n",
        ),
        ("templates/nil.yaml", "x: {{ toToml .Values.missing }}\n"),
    ];
    for (path, text) in files {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
        fs::write(path, text).expect("write");
    }
    let rendered = render(dir.path(), "{}\n");
    // Helm's output (helm-python-sdk 0.2.2) for this chart, byte for byte.
    assert_eq!(
        output(&rendered, "conf/templates/cm.yaml"),
        "data:\n  app.toml: |\n    hosts = [\"a\", \"b\"]\n    name = \"web\"\n    ratio = 0.5\n    \
         workers = 4\n    \n    [db]\n      host = \"db.internal\"\n    \n"
    );
    // Helm refuses `toToml` of nil (a reflect error at the call): one located error.
    assert_eq!(rendered.errors.len(), 1, "{:?}", rendered.errors);
    assert!(
        format!("{:?}", rendered.errors[0]).contains("toToml"),
        "{:?}",
        rendered.errors
    );
}
