//! A chart on disk rendered into plain data: each template's output knows which values file
//! line and which template line wrote it; failures name their template and place.

use std::fs;

use akslint_helm::chart::Release;
use akslint_helm::output::render_dir;
use akslint_helm::render::RenderErrorKind;

#[test]
fn outputs_point_at_values_and_templates_on_disk() {
    let dir = tempfile::tempdir().expect("temp dir");
    let chart = dir.path();
    fs::create_dir_all(chart.join("templates")).expect("mkdir");
    fs::create_dir_all(chart.join("charts/cache/templates")).expect("mkdir");
    fs::write(chart.join("Chart.yaml"), "apiVersion: v2\nname: web\nversion: 1.0.0\ndependencies:\n  - name: cache\n    version: 1.0.0\n    condition: cache.enabled\n").expect("write");
    fs::write(
        chart.join("values.yaml"),
        "db:\n  password: Zx9pQ2mT7vLrA1bC\ncache:\n  enabled: true\n  size: 3\n",
    )
    .expect("write");
    fs::write(
        chart.join("templates/secret.yaml"),
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}-db\nstringData:\n  password: {{ .Values.db.password | quote }}\n",
    )
    .expect("write");
    fs::write(
        chart.join("templates/broken.yaml"),
        "a: {{ required \"set db.host\" .Values.db.host }}\n",
    )
    .expect("write");
    fs::write(
        chart.join("charts/cache/Chart.yaml"),
        "apiVersion: v2\nname: cache\nversion: 1.0.0\n",
    )
    .expect("write");
    fs::write(chart.join("charts/cache/values.yaml"), "size: 1\n").expect("write");
    fs::write(
        chart.join("charts/cache/templates/cm.yaml"),
        "size: {{ .Values.size }}\n",
    )
    .expect("write");

    let output = render_dir(chart, &Release::default()).expect("renders");
    let secret = output
        .template(&chart.join("templates/secret.yaml"))
        .expect("rendered");
    assert!(
        secret.text.contains("name: release-name-db"),
        "{}",
        secret.text
    );
    let at = secret.text.find("Zx9pQ2mT7vLrA1bC").expect("the password");
    let sources = secret.sources_in(at..at + 16);
    let (path, text) = output.file(sources[0].file).expect("a file");
    assert_eq!(path, chart.join("values.yaml"));
    assert_eq!(
        &text[sources[0].span.start as usize..sources[0].span.end as usize],
        "Zx9pQ2mT7vLrA1bC"
    );

    // The dependency renders with the parent's section over its own values.
    let cache = output
        .template(&chart.join("charts/cache/templates/cm.yaml"))
        .expect("rendered");
    assert_eq!(cache.text, "size: 3\n");
    let at = cache.text.find('3').expect("size");
    let (path, _) = output
        .file(cache.sources_in(at..at + 1)[0].file)
        .expect("a file");
    assert_eq!(path, chart.join("values.yaml"));

    // `required` refuses, at its call in the template.
    let failure = output
        .failures_of(&chart.join("templates/broken.yaml"))
        .into_iter()
        .next()
        .expect("a failure");
    assert_eq!(failure.kind, RenderErrorKind::Refused);
    assert_eq!(failure.message, "set db.host");
    let (_, text) = output.file(failure.source.file).expect("the template");
    assert!(text[failure.source.span.start as usize..].starts_with("required"));
}

/// A dependency's template is rendered by its parent chart, with the parent's values.
#[test]
fn a_dependency_template_belongs_to_its_outermost_chart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sub = dir.path().join("charts/cache/templates");
    fs::create_dir_all(&sub).expect("mkdir");
    fs::create_dir_all(dir.path().join("templates")).expect("mkdir");
    fs::write(
        dir.path().join("Chart.yaml"),
        "apiVersion: v2\nname: web\nversion: 1.0.0\n",
    )
    .expect("write");
    fs::write(
        dir.path().join("charts/cache/Chart.yaml"),
        "apiVersion: v2\nname: cache\nversion: 1.0.0\n",
    )
    .expect("write");
    fs::write(sub.join("cm.yaml"), "a: {{ .Values.a }}\n").expect("write");
    assert_eq!(
        akslint_helm::chart_of(&sub.join("cm.yaml")).as_deref(),
        Some(dir.path())
    );
    assert_eq!(
        akslint_helm::chart_of(&dir.path().join("templates/x.yaml")).as_deref(),
        Some(dir.path())
    );
    assert_eq!(
        akslint_helm::chart_of(&dir.path().join("other/templates/x.yaml")),
        None
    );
}
