//! `helmCharts` built in-process, checked against Helm's own engine: `kubectl kustomize` cannot
//! render charts without the helm binary, so each case under `tests/helm_cases` holds
//! `merged-values.yaml`, the values Kustomize hands `helm template` (its `valuesFile` with
//! `valuesInline` over it), and the chart's objects akslint builds must equal what
//! helm-python-sdk renders with those values (release `rel`, namespace `default`). The places
//! of the values are checked too: a value from a values file or the kustomization points there,
//! a key the template wrote points into the template. Without helm-python-sdk the comparison is
//! skipped with a notice (it fails under CI).

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use akslint_core::{Limits, SourceFile, SourceKind};
use akslint_kustomize::{DiskFiles, Node, build};
use support::written;

fn case(name: &str) -> PathBuf {
    support::case("helm_cases", name)
}

fn python() -> Option<PathBuf> {
    let venv = std::env::var_os("HOME")
        .map(|home| PathBuf::from(home).join(".cache/akslint-ci/venv/bin/python3"));
    venv.into_iter()
        .chain([PathBuf::from("python3")])
        .find(|python| {
            Command::new(python)
                .args(["-c", "import helm_python"])
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

/// Helm's objects for a chart rendered with a values file, as JSON.
fn helm_objects(python: &Path, chart: &Path, values: &Path) -> Vec<serde_json::Value> {
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../akslint-helm/tests/oracle/helm_render.py");
    let output = Command::new(python)
        .arg(script)
        .arg(chart)
        .arg(values)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let templates = json["templates"]
        .as_object()
        .expect("Helm rendered the chart");
    let mut objects = Vec::new();
    for text in templates.values() {
        let file = Arc::new(SourceFile::new(
            "helm.yaml",
            SourceKind::Yaml,
            text.as_str().unwrap_or_default(),
        ));
        let parsed = akslint_yaml::parse(&file, &Limits::default());
        objects.extend(
            parsed
                .documents
                .iter()
                .filter_map(|d| Some(Node::from_tree(&d.tree, d.root?, 0).to_json())),
        );
    }
    objects
}

fn sorted(mut objects: Vec<serde_json::Value>) -> Vec<serde_json::Value> {
    objects.sort_by_key(|o| o.to_string());
    objects
}

#[test]
fn web_chart_matches_helm_with_the_merged_values() {
    let dir = case("web");
    let built = build(&dir, &DiskFiles);
    assert!(built.errors.is_empty(), "{:?}", built.errors);
    assert_eq!(built.notes.len(), 1, "the remote chart is a note");
    assert!(built.notes[0].message.contains("metrics-agent"));
    let kinds: Vec<&str> = built.resources.iter().map(|r| r.kind()).collect();
    assert_eq!(
        kinds,
        ["CustomResourceDefinition", "Service", "Deployment"],
        "includeCRDs adds the chart's crds/"
    );
    let deployment = &built.resources[2].node;
    let at = |keys: &[&str]| deployment.path(keys).expect("present");
    assert_eq!(
        written(&built, at(&["spec", "replicas"]).origin),
        ("values-prod.yaml".into(), "3".into())
    );
    let containers = at(&["spec", "template", "spec", "containers"]);
    let container = &containers.items().expect("a list")[0];
    let env = container.get("env").and_then(Node::items).expect("env");
    let log_level = env[0].get("value").expect("a value");
    assert_eq!(log_level.as_str(), Some("debug"));
    assert_eq!(
        written(&built, log_level.origin),
        ("kustomization.yaml".into(), "debug".into()),
        "valuesInline wins and is placed in the kustomization"
    );
    let image = container.get("image").expect("an image");
    assert_eq!(image.as_str(), Some("example.azurecr.io/web:2.4.1"));
    assert_eq!(written(&built, image.origin).0, "values-prod.yaml");
    let spec = deployment.entry("spec").expect("spec");
    assert_eq!(
        written(&built, spec.key_origin),
        ("deployment.yaml".into(), "spec".into()),
        "a key the template wrote is placed in the template"
    );
    let crd_name = built.resources[0]
        .node
        .path(&["metadata", "name"])
        .expect("a name");
    assert_eq!(
        written(&built, crd_name.origin),
        ("widget.yaml".into(), "widgets.example.com".into())
    );

    let Some(python) = python() else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "helm-python-sdk is required under CI"
        );
        eprintln!("helm_charts: Helm comparison skipped, no python3 with helm-python-sdk");
        return;
    };
    let expected = helm_objects(
        &python,
        &dir.join("charts/web"),
        &dir.join("merged-values.yaml"),
    );
    let ours: Vec<serde_json::Value> = built.resources[1..]
        .iter()
        .map(|r| r.node.to_json())
        .collect();
    assert_eq!(sorted(ours), sorted(expected));
}

#[test]
fn missing_local_chart_without_repo_is_an_error() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(
        dir.path().join("kustomization.yaml"),
        "helmCharts:\n- name: absent\n",
    )
    .expect("written");
    let built = build(dir.path(), &DiskFiles);
    assert_eq!(built.errors.len(), 1);
    assert!(
        built.errors[0]
            .message
            .starts_with("no repo specified for pull, no chart found at"),
        "{}",
        built.errors[0].message
    );
}
