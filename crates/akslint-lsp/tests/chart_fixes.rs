//! Quick fixes on a chart's findings in the editor: a fix that lands in one literal is offered
//! on the diagnostic in the file it edits (the template's own text, or the `values.yaml` key
//! that wrote the value); applying it and sending the edit renders the chart again without the
//! finding. A label block written by `include` gets no fix.

mod support;

use std::path::Path;

use serde_json::Value;
use support::*;
use tower_lsp_server::ls_types::Uri;

const VALUES: &str =
    "clientId: 3d1e7a52-9c4b-4f08-b6e2-71a5c0d9e842\napi:\n  workloadIdentity: false\n";

const ACCOUNT: &str = r#"apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ .Release.Name }}-app
  annotations:
    azure.workload.identity/client-id: {{ .Values.clientId | quote }}
"#;

/// A Deployment run as the federated ServiceAccount, with these pod labels (at 6 spaces).
fn deployment(name: &str, labels: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{{{ .Release.Name }}}}-{name}\nspec:\n  template:\n    metadata:\n      labels:\n{labels}    spec:\n      serviceAccountName: {{{{ .Release.Name }}}}-app\n      containers:\n        - name: {name}\n          image: contoso.azurecr.io/{name}:1.0\n"
    )
}

fn api() -> String {
    deployment(
        "api",
        "        app: api\n        azure.workload.identity/use: {{ .Values.api.workloadIdentity | quote }}\n",
    )
}

fn worker() -> String {
    deployment("worker", "        app: worker\n")
}

fn batch() -> String {
    deployment(
        "batch",
        "        {{- include \"fixes.labels\" . | nindent 8 }}\n",
    )
}

/// The chart under `root/chart`: a ServiceAccount federated with a managed identity, and
/// Deployments run as it whose pod labels are the template's own (worker), a helper's (batch),
/// or hold the label with values.yaml's value (api).
fn chart(root: &Path) {
    let files = [
        (
            "Chart.yaml",
            "apiVersion: v2\nname: fixes\nversion: 1.0.0\n".to_owned(),
        ),
        ("values.yaml", VALUES.to_owned()),
        ("templates/serviceaccount.yaml", ACCOUNT.to_owned()),
        ("templates/api.yaml", api()),
        ("templates/worker.yaml", worker()),
        ("templates/batch.yaml", batch()),
        (
            "templates/_helpers.tpl",
            "{{- define \"fixes.labels\" -}}\napp: batch\n{{- end }}\n".to_owned(),
        ),
    ];
    for (path, text) in files {
        let path = root.join("chart").join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// The fixes offered on `line` of a document.
async fn quick_fixes(client: &mut TestClient, uri: &Uri, line: u64) -> Vec<Value> {
    let actions = code_actions(client, uri, line, Some("quickfix")).await;
    actions
        .into_iter()
        .filter(|a| a["title"].as_str().unwrap().starts_with("Fix "))
        .collect()
}

/// Whether published diagnostics hold a WID001 finding.
fn has_wid001(params: &Value) -> bool {
    params["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == "WID001")
}

/// Opens a document with `text`, waits for its WID001, takes the one quick fix on `line`,
/// sends the text it makes and waits for the finding to go: the fix and that text.
async fn fix_wid001(client: &mut TestClient, uri: &Uri, text: &str, line: u64) -> (Value, String) {
    client.open(uri, "yaml", 1, text).await;
    client.diagnostics_where(uri, has_wid001).await;
    let mut fixes = quick_fixes(client, uri, line).await;
    assert_eq!(fixes.len(), 1, "{fixes:#?}");
    let fix = fixes.remove(0);
    let fixed = apply_edits(text, &edits_for(&fix["edit"], uri), false);
    client.replace(uri, 2, &fixed).await;
    client.diagnostics_where(uri, |p| !has_wid001(p)).await;
    (fix, fixed)
}

#[tokio::test]
async fn chart_findings_offer_fixes_in_the_template_and_values_yaml() {
    within(async {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        chart(&root);
        let mut client = started_in(&root).await;

        // The label's value is values.yaml's: the fix (unsafe: "false" was a string) is there.
        let values = uri(&root.join("chart/values.yaml"));
        let (fix, fixed) = fix_wid001(&mut client, &values, VALUES, 2).await;
        assert_eq!(
            fix["title"],
            "Fix WID001 (review it): set `azure.workload.identity/use` to \"true\""
        );
        assert_eq!(fixed, VALUES.replace("false", "true"));

        // The pod labels are the template's own text: the label is added there.
        let worker_uri = uri(&root.join("chart/templates/worker.yaml"));
        let (_, fixed) = fix_wid001(&mut client, &worker_uri, &worker(), 7).await;
        assert!(
            fixed.contains(
                "      labels:\n        azure.workload.identity/use: \"true\"\n        app: worker\n"
            ),
            "{fixed}"
        );

        // The pod labels are a helper's, written by `include`: no fix.
        let batch_uri = uri(&root.join("chart/templates/batch.yaml"));
        client.open(&batch_uri, "yaml", 1, &batch()).await;
        client.diagnostics_where(&batch_uri, has_wid001).await;
        assert_eq!(quick_fixes(&mut client, &batch_uri, 7).await, Vec::<Value>::new());
    })
    .await;
}

/// A values set's file of `akslint.yaml` that turns the label off: the finding of that set is
/// in the set's file, with its fix there; the edit sent renders the set again without it.
#[tokio::test]
async fn a_values_set_files_finding_offers_its_fix_there() {
    within(async {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        chart(&root);
        const PROD: &str = "api:\n  workloadIdentity: false\n";
        let on = VALUES.replace("workloadIdentity: false", "workloadIdentity: true");
        std::fs::write(root.join("chart/values.yaml"), &on).unwrap();
        std::fs::write(root.join("chart/values-prod.yaml"), PROD).unwrap();
        std::fs::write(
            root.join("akslint.yaml"),
            "helm:\n  charts:\n    - path: chart\n      values-sets:\n        - name: prod\n          values: [values-prod.yaml]\n",
        )
        .unwrap();
        let mut client = started_in(&root).await;

        let prod = uri(&root.join("chart/values-prod.yaml"));
        let (_, fixed) = fix_wid001(&mut client, &prod, PROD, 1).await;
        assert_eq!(fixed, PROD.replace("false", "true"));
    })
    .await;
}
