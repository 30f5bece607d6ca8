//! Helm charts in the editor: a finding whose value a chart's `values.yaml` wrote is shown in
//! `values.yaml`, at the key, with the template that prints it as related information (not in
//! the template, and not again as SEC006); editing `values.yaml`, a template or a helper
//! (`_helpers.tpl`, whatever language the editor gives it), unsaved, renders the chart again
//! and republishes what changed.

mod support;

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use support::*;
use tower_lsp_server::ls_types::Uri;

/// A fake password (random characters).
const PASSWORD: &str = "wOHngnaS2Qyim8eJ9gs";

const VALUES: &str = "auth:\n  password: wOHngnaS2Qyim8eJ9gs\n";

const DEPLOYMENT: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
spec:
  template:
    spec:
      containers:
        - name: web
          env:
            - name: DB_PASSWORD
              value: {{ .Values.auth.password | quote }}
"#;

/// Writes files (path under `root`, text).
fn write(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

const CHART_YAML: &str = "apiVersion: v2\nname: web\nversion: 1.0.0\n";

/// A chart whose Deployment puts `auth.password` of its values into an environment variable.
fn chart(root: &Path) {
    write(
        root,
        &[
            ("charts/web/Chart.yaml", CHART_YAML),
            ("charts/web/values.yaml", VALUES),
            ("charts/web/templates/deployment.yaml", DEPLOYMENT),
        ],
    );
}

/// A temporary workspace folder (removed when the first is dropped) and its canonical path.
fn workspace() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    (dir, root)
}

/// Writes `text` to the file at `path`, as a save or a checkout does, and tells the server.
async fn changed_on_disk(client: &mut TestClient, path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": uri(path).as_str(), "type": 2}]}),
        )
        .await;
}

/// `path` changed on disk to `changed`, after which `document` has no finding, then back to
/// `original`, after which it has the finding `(code, line)` again.
async fn changed_and_back_on_disk(
    client: &mut TestClient,
    path: &Path,
    changed: &str,
    original: &str,
    document: &Uri,
    (code, line): (&str, u64),
) {
    changed_on_disk(client, path, changed).await;
    client
        .diagnostics_where(document, |p| p["diagnostics"] == json!([]))
        .await;
    changed_on_disk(client, path, original).await;
    client
        .diagnostics_where(document, |p| has(p, code, line))
        .await;
}

/// A client of a server whose workspace is `root`, once it has read it.
async fn indexed(root: &Path) -> TestClient {
    let mut client = TestClient::quick();
    client.initialize(Some(root), json!({}), Value::Null).await;
    client.wait_for_index().await;
    client
}

/// Whether published diagnostics hold a finding of `code` starting on `line` (0-based).
fn has(params: &Value, code: &str, line: u64) -> bool {
    params["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == code && range(d).0 == line)
}

#[tokio::test]
async fn a_value_is_reported_in_values_yaml_and_edits_of_either_file_republish_it() {
    within(async {
        let (_dir, root) = workspace();
        chart(&root);
        let mut client = indexed(&root).await;
        let values = uri(&root.join("charts/web/values.yaml"));
        let template = uri(&root.join("charts/web/templates/deployment.yaml"));
        client.open(&values, "yaml", 1, VALUES).await;
        let diagnostics = client.diagnostics(&values, 1).await;
        assert_eq!(codes(&diagnostics), ["SEC001"], "{diagnostics:?}");
        assert_eq!(range(&diagnostics[0]).0, 1);
        let related = diagnostics[0]["relatedInformation"].as_array().unwrap();
        assert!(
            related
                .iter()
                .any(|r| r["location"]["uri"] == template.as_str()
                    && range(&r["location"]).0 == 11
                    && r["message"] == "the template writes it here"),
            "{related:?}"
        );
        // The template shows what it wrote itself: not the value's finding.
        client.open(&template, "yaml", 1, DEPLOYMENT).await;
        let in_template = client.diagnostics(&template, 1).await;
        assert!(!codes(&in_template).contains(&"SEC001".to_owned()));

        // An unsaved edit of values.yaml renders the chart with it: the key moved a line down.
        let moved = format!("# the database\n{VALUES}");
        client.replace(&values, 2, &moved).await;
        let republished = client.diagnostics(&values, 2).await;
        assert_eq!(codes(&republished), ["SEC001"], "{republished:?}");
        assert_eq!(range(&republished[0]).0, 2);

        // A suppression on the values line silences it (and SEC006 is not said instead).
        let suppressed = moved.replace(
            PASSWORD,
            &format!("{PASSWORD} # akslint-ignore SEC001: a test value"),
        );
        client.replace(&values, 3, &suppressed).await;
        assert_eq!(client.diagnostics(&values, 3).await, Vec::<Value>::new());
        client.replace(&values, 4, &moved).await;
        client
            .diagnostics_where(&values, |p| has(p, "SEC001", 2))
            .await;

        // An unsaved edit of the template that no longer prints the value republishes
        // values.yaml without the finding.
        let without = DEPLOYMENT.replace("{{ .Values.auth.password | quote }}", "from-a-secret");
        client.replace(&template, 2, &without).await;
        client
            .diagnostics_where(&values, |p| {
                p["diagnostics"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|d| d["code"] != "SEC001")
            })
            .await;
        client.assert_never_sent(PASSWORD);
    })
    .await;
}

const HELPERS: &str = "{{- define \"web.labels\" -}}\napp: web\n{{- end }}\n";

const LABELLED: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    metadata:
      labels:
        {{- include "web.labels" . | nindent 8 }}
    spec:
      serviceAccountName: web
      containers:
        - name: web
          image: web:1.0.0
"#;

const SERVICE_ACCOUNT: &str = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n  annotations:\n    azure.workload.identity/client-id: 4d1f0c6b-2a9e-4b7d-8c3f-5e6a7b8c9d0e\n";

/// A chart `web` under `root` with no values and the templates `templates` (name, text).
fn web_chart(root: &Path, templates: &[(&str, &str)]) {
    write(
        root,
        &[("web/Chart.yaml", CHART_YAML), ("web/values.yaml", "")],
    );
    for (name, text) in templates {
        write(root, &[(&format!("web/templates/{name}"), text)]);
    }
}

/// [`HELPERS`] with the workload identity label written in it too.
fn labelled_helpers() -> String {
    HELPERS.replace(
        "app: web",
        "app: web\nazure.workload.identity/use: \"true\"",
    )
}

/// The chart `web` in `root` with a helper that writes the pods' labels, a Deployment that
/// includes it and its ServiceAccount (a managed identity's), and a client with the Deployment
/// open; its first findings, the WID001 of pods without the workload identity label.
async fn labelled_chart_opened(root: &Path) -> (TestClient, Uri, Vec<Value>) {
    web_chart(
        root,
        &[
            ("_helpers.tpl", HELPERS),
            ("deployment.yaml", LABELLED),
            ("serviceaccount.yaml", SERVICE_ACCOUNT),
        ],
    );
    let mut client = indexed(root).await;
    let deployment = uri(&root.join("web/templates/deployment.yaml"));
    client.open(&deployment, "yaml", 1, LABELLED).await;
    let found = client.diagnostics(&deployment, 1).await;
    assert_eq!(codes(&found), ["WID001"], "{found:?}");
    (client, deployment, found)
}

#[tokio::test]
async fn an_unsaved_helper_edit_renders_the_charts_templates_again() {
    within(async {
        let (_dir, root) = workspace();
        let (mut client, deployment, _) = labelled_chart_opened(&root).await;
        let helpers = uri(&root.join("web/templates/_helpers.tpl"));
        // An editor without a Helm extension calls the helper plain text: it is the chart's.
        client.open(&helpers, "plaintext", 1, HELPERS).await;
        assert_eq!(client.diagnostics(&helpers, 1).await, Vec::<Value>::new());

        // A helper that does not parse, unsaved: PARSE010 at its line, in the helper, and the
        // template that includes it does not render.
        let broken = HELPERS.replace("app: web", "app: {{ .Chart.Name }");
        client.replace(&helpers, 2, &broken).await;
        let failed = client.diagnostics(&helpers, 2).await;
        assert_eq!(codes(&failed), ["PARSE010"], "{failed:?}");
        assert_eq!(range(&failed[0]).0, 1);
        client
            .diagnostics_where(&deployment, |p| has(p, "PARSE010", 7))
            .await;

        // The helper fixed and the label written in it, unsaved: the Deployment renders again
        // and its pods have the label.
        let labelled = labelled_helpers();
        client.replace(&helpers, 3, &labelled).await;
        assert_eq!(client.diagnostics(&helpers, 3).await, Vec::<Value>::new());
        client
            .diagnostics_where(&deployment, |p| p["diagnostics"] == json!([]))
            .await;
    })
    .await;
}

#[tokio::test]
async fn a_closed_helper_changed_on_disk_renders_the_open_templates_again() {
    within(async {
        let (_dir, root) = workspace();
        let (mut client, deployment, found) = labelled_chart_opened(&root).await;
        let line = range(&found[0]).0;

        // The helper, never opened, gets the label in a checkout: the pods have it now; and
        // back, as the file was.
        let helpers = root.join("web/templates/_helpers.tpl");
        let labelled = labelled_helpers();
        changed_and_back_on_disk(
            &mut client,
            &helpers,
            &labelled,
            HELPERS,
            &deployment,
            ("WID001", line),
        )
        .await;
    })
    .await;
}

/// A Job of the chart that prints the same password: the Deployment's pod template in a Job.
fn job() -> String {
    DEPLOYMENT
        .replace("apps/v1\nkind: Deployment", "batch/v1\nkind: Job")
        .replace("-web", "-migrate")
}

#[tokio::test]
async fn a_template_edit_keeps_the_other_templates_renderings_and_a_values_edit_reaches_them() {
    within(async {
        let (_dir, root) = workspace();
        chart(&root);
        write(&root, &[("charts/web/templates/job.yaml", &job())]);
        let mut client = indexed(&root).await;
        let values = uri(&root.join("charts/web/values.yaml"));
        let deployment = uri(&root.join("charts/web/templates/deployment.yaml"));
        client.open(&values, "yaml", 1, VALUES).await;
        client.diagnostics(&values, 1).await;
        client.open(&deployment, "yaml", 1, DEPLOYMENT).await;
        client.diagnostics(&deployment, 1).await;
        // Both templates print the password: one finding in values.yaml, both related.
        let written_by = |p: &Value, line: u64, template: &str| {
            p["diagnostics"].as_array().unwrap().iter().any(|d| {
                d["code"] == "SEC001"
                    && range(d).0 == line
                    && d["relatedInformation"].as_array().is_some_and(|r| {
                        r.iter().any(|r| {
                            r["location"]["uri"]
                                .as_str()
                                .is_some_and(|u| u.ends_with(template))
                        })
                    })
            })
        };

        // The Deployment no longer prints it (unsaved): the Job's rendering, kept, still does.
        let without = DEPLOYMENT.replace("{{ .Values.auth.password | quote }}", "from-a-secret");
        client.replace(&deployment, 2, &without).await;
        client.diagnostics(&deployment, 2).await;
        client
            .diagnostics_where(&values, |p| {
                written_by(p, 1, "job.yaml") && !written_by(p, 1, "deployment.yaml")
            })
            .await;

        // values.yaml edited (the key a line down): the Job renders again with it.
        let moved = format!("# the database\n{VALUES}");
        client.replace(&values, 2, &moved).await;
        client
            .diagnostics_where(&values, |p| written_by(p, 2, "job.yaml"))
            .await;

        // The Deployment edited again: the Job's rendering kept is the one with the values
        // as edited, and the Deployment prints the value again.
        client.replace(&deployment, 3, DEPLOYMENT).await;
        client.diagnostics(&deployment, 3).await;
        client
            .diagnostics_where(&values, |p| {
                written_by(p, 2, "job.yaml") && written_by(p, 2, "deployment.yaml")
            })
            .await;
        client.assert_never_sent(PASSWORD);
    })
    .await;
}

const VERSIONED: &str = r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: web
data:
  version: {{ required "the chart needs an appVersion" .Chart.AppVersion | quote }}
"#;

#[tokio::test]
async fn a_saved_change_of_chart_yaml_renders_the_open_template_again() {
    within(async {
        let (_dir, root) = workspace();
        web_chart(&root, &[("version.yaml", VERSIONED)]);
        let mut client = indexed(&root).await;
        let template = uri(&root.join("web/templates/version.yaml"));
        client.open(&template, "yaml", 1, VERSIONED).await;
        let refused = client.diagnostics(&template, 1).await;
        assert_eq!(codes(&refused), ["PARSE010"], "{refused:?}");

        // Chart.yaml changed on disk (saved, or a checkout): the template renders with it;
        // and back: refused again.
        let chart_yaml = root.join("web/Chart.yaml");
        let versioned = format!("{CHART_YAML}appVersion: \"2.1\"\n");
        changed_and_back_on_disk(
            &mut client,
            &chart_yaml,
            &versioned,
            CHART_YAML,
            &template,
            ("PARSE010", 5),
        )
        .await;
    })
    .await;
}
