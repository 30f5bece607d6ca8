//! Kustomize overlays in the editor: the findings of the builds that use a file are shown in
//! it (a base's resource, a patch, a kustomization), once with the kustomizations that reach
//! them; a patch is never linted on its own; editing a kustomization, unsaved, builds the
//! overlays again and republishes what the open files show.

mod support;

use std::path::Path;

use serde_json::{Value, json};
use support::*;

/// A fake token (the GitHub format, random characters).
const SECRET: &str = "ghp_T4kq9Wm2Zx7Rb5Nc8Lp3Hv6Jd1Fs0Gy2Ue4Aq";

const DEPLOY: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: ledger
spec:
  selector:
    matchLabels:
      app: ledger
  template:
    metadata:
      labels:
        app: ledger
    spec:
      serviceAccountName: ledger
      containers:
        - name: api
          image: contoso/ledger:2.3.1
          env:
            - name: GITHUB_TOKEN
              value: ghp_T4kq9Wm2Zx7Rb5Nc8Lp3Hv6Jd1Fs0Gy2Ue4Aq
"#;

const SERVICE_ACCOUNT: &str = r#"apiVersion: v1
kind: ServiceAccount
metadata:
  name: ledger
  annotations:
    azure.workload.identity/client-id: 7d2c4e91-5b3a-4f68-9c0d-2e1f8a6b4c35
"#;

/// A patch that labels the pod template for workload identity: on its own, a Deployment whose
/// pod runs as the `default` ServiceAccount (WID003).
const PATCH: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: ledger
spec:
  template:
    metadata:
      labels:
        azure.workload.identity/use: "true"
"#;

const STAGING: &str = "resources:\n  - ../../base\n";

/// A base (a Deployment with a hardcoded token, unlabelled for workload identity, and its
/// ServiceAccount) built by itself and by two overlays; `live` patches the label in.
fn overlays(root: &Path) {
    let write = |path: &str, text: &str| {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("base/deploy.yaml", DEPLOY);
    write("base/sa.yaml", SERVICE_ACCOUNT);
    write(
        "base/kustomization.yaml",
        "resources:\n  - deploy.yaml\n  - sa.yaml\n",
    );
    write("overlays/staging/kustomization.yaml", STAGING);
    write(
        "overlays/live/kustomization.yaml",
        "resources:\n  - ../../base\npatches:\n  - path: pod-identity.yaml\n",
    );
    write("overlays/live/pod-identity.yaml", PATCH);
}

async fn started(root: &Path) -> TestClient {
    let mut client = TestClient::quick();
    client
        .initialize(
            Some(root),
            json!({"workspace": {"workspaceEdit": {"documentChanges": true}}}),
            Value::Null,
        )
        .await;
    client.wait_for_index().await;
    client
}

/// The message of the one diagnostic with `code`.
fn message_of<'a>(diagnostics: &'a [Value], code: &str) -> &'a str {
    let found: Vec<&Value> = diagnostics.iter().filter(|d| d["code"] == code).collect();
    assert_eq!(found.len(), 1, "{code} once: {diagnostics:?}");
    found[0]["message"].as_str().unwrap()
}

#[tokio::test]
async fn a_base_shows_each_finding_of_its_builds_once_naming_the_kustomizations() {
    within(async {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        overlays(&root);
        let mut client = started(&root).await;
        let deploy = uri(&root.join("base/deploy.yaml"));
        client.open(&deploy, "yaml", 1, DEPLOY).await;
        let diagnostics = client.diagnostics(&deploy, 1).await;
        let mut codes = codes(&diagnostics);
        codes.sort();
        assert_eq!(codes, ["SEC001", "WID001"], "{diagnostics:?}");
        // The token is in every build; the missing label in those that do not patch it in.
        let sec = message_of(&diagnostics, "SEC001");
        for kustomization in ["base`", "overlays/live`", "overlays/staging`"] {
            assert!(sec.contains(kustomization), "{sec}");
        }
        let wid = message_of(&diagnostics, "WID001");
        assert!(
            wid.contains("base`") && wid.contains("overlays/staging`"),
            "{wid}"
        );
        assert!(!wid.contains("overlays/live"), "{wid}");
        // At the bytes the base wrote: the token's value, the pod template's labels.
        let sec = diagnostics.iter().find(|d| d["code"] == "SEC001").unwrap();
        assert_eq!(range(sec).0, 19);
        // The kustomizations are related places.
        let related = sec["relatedInformation"].as_array().unwrap();
        let kustomizations = related
            .iter()
            .filter(|r| {
                r["location"]["uri"]
                    .as_str()
                    .is_some_and(|u| u.ends_with("/kustomization.yaml"))
            })
            .count();
        assert_eq!(kustomizations, 3, "{related:?}");
        client.assert_never_sent(SECRET);
    })
    .await;
}

#[tokio::test]
async fn a_patch_is_linted_only_through_the_builds_that_apply_it() {
    within(async {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        overlays(&root);
        let mut client = started(&root).await;
        let patch = uri(&root.join("overlays/live/pod-identity.yaml"));
        client.open(&patch, "yaml", 1, PATCH).await;
        // On its own it would be WID003 (a labelled pod as the `default` ServiceAccount).
        assert_eq!(client.diagnostics(&patch, 1).await, Vec::<Value>::new());
        // A change of the patch, unsaved, builds `live` again: with the label gone, the base
        // shows the missing label for `live` too.
        let deploy = uri(&root.join("base/deploy.yaml"));
        client.open(&deploy, "yaml", 1, DEPLOY).await;
        let wid = |p: &Value| {
            p["diagnostics"].as_array().unwrap().iter().any(|d| {
                d["code"] == "WID001" && d["message"].as_str().unwrap().contains("overlays/live`")
            })
        };
        assert!(!wid(
            &json!({"diagnostics": client.diagnostics(&deploy, 1).await})
        ));
        let unlabelled = PATCH.replace("azure.workload.identity/use: \"true\"", "tier: api");
        client.replace(&patch, 2, &unlabelled).await;
        assert_eq!(client.diagnostics(&patch, 2).await, Vec::<Value>::new());
        client.diagnostics_where(&deploy, wid).await;
        client.assert_never_sent(SECRET);
    })
    .await;
}

#[tokio::test]
async fn editing_a_kustomization_republishes_the_base_it_builds() {
    within(async {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        overlays(&root);
        let mut client = started(&root).await;
        let deploy = uri(&root.join("base/deploy.yaml"));
        let staging = uri(&root.join("overlays/staging/kustomization.yaml"));
        client.open(&deploy, "yaml", 1, DEPLOY).await;
        client.open(&staging, "yaml", 1, STAGING).await;
        let diagnostics = client.diagnostics(&deploy, 1).await;
        assert!(message_of(&diagnostics, "WID001").contains("overlays/staging`"));
        assert_eq!(client.diagnostics(&staging, 1).await, Vec::<Value>::new());
        // Staging labels its pods for workload identity, unsaved: the base's missing label is
        // no longer reached through it.
        let labelled = format!("{STAGING}commonLabels:\n  azure.workload.identity/use: \"true\"\n");
        client.replace(&staging, 2, &labelled).await;
        let republished = client
            .diagnostics_where(&deploy, |p| {
                p["diagnostics"].as_array().unwrap().iter().any(|d| {
                    d["code"] == "WID001"
                        && !d["message"].as_str().unwrap().contains("overlays/staging`")
                })
            })
            .await;
        assert_eq!(republished["version"], 1);
        let diagnostics = republished["diagnostics"].as_array().unwrap();
        assert!(message_of(diagnostics, "SEC001").contains("overlays/staging`"));
        // A build error is the kustomization's own, where it was written.
        client
            .replace(&staging, 3, "resources:\n  - ../../missing\n")
            .await;
        let errors = client.diagnostics(&staging, 3).await;
        assert_eq!(codes(&errors), ["PARSE011"], "{errors:?}");
        assert_eq!(range(&errors[0]).0, 1);
        // Closing it unsaved: the base is built by the kustomization on disk again.
        client
            .notify(
                "textDocument/didClose",
                json!({"textDocument": {"uri": staging.as_str()}}),
            )
            .await;
        client
            .diagnostics_where(&deploy, |p| {
                p["diagnostics"].as_array().unwrap().iter().any(|d| {
                    d["code"] == "WID001"
                        && d["message"].as_str().unwrap().contains("overlays/staging`")
                })
            })
            .await;
        client.assert_never_sent(SECRET);
    })
    .await;
}

#[tokio::test]
async fn a_file_opened_without_its_folder_is_linted_through_the_nearest_kustomization() {
    within(async {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        overlays(&root);
        let mut client = TestClient::quick();
        client.initialize(None, json!({}), Value::Null).await;
        let deploy = uri(&root.join("base/deploy.yaml"));
        client.open(&deploy, "yaml", 1, DEPLOY).await;
        // As `akslint check base/deploy.yaml`: built by `base` (the overlays are not known).
        let diagnostics = client.diagnostics(&deploy, 1).await;
        let sec = message_of(&diagnostics, "SEC001");
        assert!(
            sec.contains("(built by kustomization `") && sec.contains("/base`)"),
            "{sec}"
        );
        client.assert_never_sent(SECRET);
    })
    .await;
}
