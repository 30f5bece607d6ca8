//! In-process tests of the language server: the service is called through `tower::Service`
//! and the server's messages are read from its `ClientSocket`.

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use akslint_core::SourceKind;
use serde_json::{Value, json};
use support::*;
use tower_lsp_server::jsonrpc::Request;

const SECRET: &str = "Zr8v-Kq2m-Wx7p";

const DEPLOYMENT: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: orders
  namespace: shop
spec:
  selector:
    matchLabels:
      app: orders
  template:
    metadata:
      labels:
        app: orders
    spec:
      serviceAccountName: orders
      containers:
        - name: api
          image: shop/orders:1.4.2
          env:
            - name: ORDERS_DB_HOST
              value: orders-db
            - name: ORDERS_DB_PASSWORD
              value: "Zr8v-Kq2m-Wx7p"
"#;

const SERVICE_ACCOUNT: &str = r#"apiVersion: v1
kind: ServiceAccount
metadata:
  name: orders
  namespace: shop
  annotations:
    azure.workload.identity/client-id: 5f1c9a0e-3b7d-4c2a-9e61-0d8b4f7a2c13
"#;

/// 0-based line and UTF-16 column of the first occurrence of `needle`.
fn position_of(text: &str, needle: &str) -> (u64, u64) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in the text"));
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    (
        text[..at].matches('\n').count() as u64,
        text[line_start..at].encode_utf16().count() as u64,
    )
}

fn push_caps() -> Value {
    json!({"workspace": {"workspaceEdit": {"documentChanges": true}}})
}

async fn started(root: Option<&Path>) -> TestClient {
    let mut client = TestClient::quick();
    client.initialize(root, push_caps(), Value::Null).await;
    client
}

fn workspace() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[tokio::test]
async fn open_change_close() {
    within(async {
        let dir = workspace();
        let path = dir.path().join("deployment.yaml");
        let uri = uri(&path);
        let mut client = started(Some(dir.path())).await;
        client.open(&uri, "yaml", 1, DEPLOYMENT).await;
        let diagnostics = client.diagnostics(&uri, 1).await;
        assert_eq!(codes(&diagnostics), ["SEC001"]);
        let sec = &diagnostics[0];
        // The span is the value (with or without its quotes, as the rule decides).
        let (line, column) = position_of(DEPLOYMENT, SECRET);
        let (start_line, start, end_line, end) = range(sec);
        assert_eq!((start_line, end_line), (line, line));
        assert!(
            (start, end) == (column, column + 14) || (start, end) == (column - 1, column + 15),
            "{sec}"
        );
        assert_eq!(sec["source"], "akslint");
        assert_eq!(sec["severity"], 1);
        assert!(
            sec["codeDescription"]["href"]
                .as_str()
                .unwrap()
                .ends_with("rules/SEC001-hardcoded-secret-in-env.md"),
            "{sec}"
        );
        // An incremental edit that replaces the secret by a reference.
        let (line, column) = position_of(DEPLOYMENT, "value: \"Zr8v");
        client
            .notify(
                "textDocument/didChange",
                json!({
                    "textDocument": {"uri": uri.as_str(), "version": 2},
                    "contentChanges": [{
                        "range": {"start": {"line": line, "character": column},
                                  "end": {"line": line, "character": column + 23}},
                        "text": "valueFrom: {secretKeyRef: {name: db, key: password}}"
                    }]
                }),
            )
            .await;
        assert_eq!(client.diagnostics(&uri, 2).await, Vec::<Value>::new());
        client
            .notify(
                "textDocument/didClose",
                json!({"textDocument": {"uri": uri.as_str()}}),
            )
            .await;
        let cleared = client
            .diagnostics_where(&uri, |p| p["version"].is_null())
            .await;
        assert_eq!(cleared["diagnostics"], json!([]));
        client.assert_never_sent(SECRET);
    })
    .await;
}

#[tokio::test]
async fn a_stale_result_is_never_published() {
    within(async {
        let dir = workspace();
        let uri = uri(&dir.path().join("d.yaml"));
        let mut client = started(None).await;
        let with_secret = DEPLOYMENT.to_owned();
        let without = DEPLOYMENT.replace(
            "value: \"Zr8v-Kq2m-Wx7p\"",
            "valueFrom: {secretKeyRef: {name: db, key: password}}",
        );
        client.open(&uri, "yaml", 1, &with_secret).await;
        // Versions alternate between text with and without the secret, with no debounce, so
        // lints of older versions are still running when newer ones start.
        let last = 40;
        for version in 2..=last {
            let text = if version % 2 == 0 {
                &without
            } else {
                &with_secret
            };
            client.replace(&uri, version, text).await;
        }
        let final_params = client
            .diagnostics_where(&uri, |p| p["version"] == last)
            .await;
        assert_eq!(
            codes(final_params["diagnostics"].as_array().unwrap()),
            Vec::<String>::new()
        );
        client.drain(Duration::from_millis(300)).await;
        let mut published: Vec<(i64, Vec<String>)> = client
            .transcript
            .lock()
            .unwrap()
            .iter()
            .map(|m| serde_json::from_str::<Value>(m).unwrap())
            .filter(|m| m["method"] == "textDocument/publishDiagnostics")
            .map(|m| {
                (
                    m["params"]["version"].as_i64().unwrap(),
                    codes(m["params"]["diagnostics"].as_array().unwrap()),
                )
            })
            .collect();
        assert!(!published.is_empty());
        for (version, codes) in &published {
            let expected: Vec<String> = if version % 2 == 1 {
                vec!["SEC001".to_owned()]
            } else {
                Vec::new()
            };
            assert_eq!(
                codes, &expected,
                "version {version} published the wrong result"
            );
        }
        let versions: Vec<i64> = published.iter().map(|p| p.0).collect();
        assert!(
            versions.windows(2).all(|w| w[0] < w[1]),
            "published out of order: {versions:?}"
        );
        assert_eq!(published.pop().unwrap().0, i64::from(last));
    })
    .await;
}

#[tokio::test]
async fn changes_typed_while_linting_publish_the_last_version_in_order() {
    within(async {
        let dir = workspace();
        let uri = uri(&dir.path().join("d.yaml"));
        let mut client = TestClient::new(akslint_lsp::ServerOptions::default());
        client.initialize(None, push_caps(), Value::Null).await;
        client.open(&uri, "yaml", 1, DEPLOYMENT).await;
        client.diagnostics(&uri, 1).await;
        // Typing without waiting: no fixed delay, at most one lint of the document at a time,
        // the changes made meanwhile linted together right after it.
        for version in 2..=6 {
            client.replace(&uri, version, DEPLOYMENT).await;
        }
        let diagnostics = client.diagnostics(&uri, 6).await;
        assert_eq!(codes(&diagnostics), ["SEC001"]);
        client.drain(Duration::from_millis(300)).await;
        let later: Vec<&Value> = client
            .seen
            .iter()
            .filter(|m| m["method"] == "textDocument/publishDiagnostics")
            .collect();
        assert!(
            later.is_empty(),
            "nothing after the last version: {later:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn positions_in_utf16_and_utf8() {
    within(async {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - {name: \"ö😀\", image: x, env: [{name: DB_PASSWORD, value: Zr8v-Kq2m-Wx7p}]}\n";
        let line = 5u64;
        let line_text = text.lines().nth(5).unwrap();
        let byte_column = line_text.find("Zr8v").unwrap() as u64;
        let utf16_column = line_text[..byte_column as usize].encode_utf16().count() as u64;
        assert_ne!(byte_column, utf16_column);
        let dir = workspace();
        let uri = uri(&dir.path().join("pod.yaml"));

        let mut utf16 = TestClient::quick();
        let caps = utf16.initialize(None, json!({}), Value::Null).await;
        assert_eq!(caps["capabilities"]["positionEncoding"], "utf-16");
        utf16.open(&uri, "yaml", 1, text).await;
        let d = utf16.diagnostics(&uri, 1).await;
        assert_eq!(codes(&d), ["SEC001"]);
        assert_eq!(range(&d[0]), (line, utf16_column, line, utf16_column + 14));

        let mut utf8 = TestClient::quick();
        let caps = utf8
            .initialize(None, json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}), Value::Null)
            .await;
        assert_eq!(caps["capabilities"]["positionEncoding"], "utf-8");
        utf8.open(&uri, "yaml", 1, text).await;
        let d = utf8.diagnostics(&uri, 1).await;
        assert_eq!(range(&d[0]), (line, byte_column, line, byte_column + 14));
        // An incremental change in UTF-8 columns: replace the secret after the multi-byte text.
        utf8.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri.as_str(), "version": 2},
                "contentChanges": [{
                    "range": {"start": {"line": line, "character": byte_column},
                              "end": {"line": line, "character": byte_column + 14}},
                    "text": "\"$(DB_PASSWORD_FROM_ENV)\""
                }]
            }),
        )
        .await;
        assert_eq!(utf8.diagnostics(&uri, 2).await, Vec::<Value>::new());
    })
    .await;
}

#[tokio::test]
async fn pull_diagnostics() {
    within(async {
        let dir = workspace();
        let uri = uri(&dir.path().join("d.yaml"));
        let mut client = TestClient::quick();
        let caps = client
            .initialize(
                None,
                json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}},
                       "workspace": {"diagnostics": {"refreshSupport": true}}}),
                Value::Null,
            )
            .await;
        assert_eq!(
            caps["capabilities"]["diagnosticProvider"]["identifier"],
            "akslint"
        );
        client.open(&uri, "yaml", 1, DEPLOYMENT).await;
        let report = client
            .result(
                "textDocument/diagnostic",
                json!({"textDocument": {"uri": uri.as_str()}}),
            )
            .await;
        assert_eq!(report["kind"], "full");
        assert_eq!(codes(report["items"].as_array().unwrap()), ["SEC001"]);
        let result_id = report["resultId"].as_str().unwrap().to_owned();
        let again = client
            .result(
                "textDocument/diagnostic",
                json!({"textDocument": {"uri": uri.as_str()}, "previousResultId": result_id}),
            )
            .await;
        assert_eq!(again["kind"], "unchanged");
        client.replace(&uri, 2, "kind: ConfigMap\n").await;
        let changed = client
            .result(
                "textDocument/diagnostic",
                json!({"textDocument": {"uri": uri.as_str()}, "previousResultId": result_id}),
            )
            .await;
        assert_eq!(changed["kind"], "full");
        assert_eq!(changed["items"], json!([]));
        // Pulled, so not pushed as well (that would show every finding twice).
        client.drain(Duration::from_millis(200)).await;
        assert!(
            !client
                .seen
                .iter()
                .any(|m| m["method"] == "textDocument/publishDiagnostics"),
            "{:?}",
            client.seen
        );
    })
    .await;
}

fn titled<'a>(actions: &'a [Value], prefix: &str) -> &'a Value {
    actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with(prefix))
        .unwrap_or_else(|| panic!("no action `{prefix}…` in {actions:#?}"))
}

#[tokio::test]
async fn ignore_comment_new_and_merged() {
    within(async {
        let dir = workspace();
        let uri = uri(&dir.path().join("d.yaml"));
        let mut client = started(None).await;
        client.open(&uri, "yaml", 1, DEPLOYMENT).await;
        client.diagnostics(&uri, 1).await;
        let (line, _) = position_of(DEPLOYMENT, "\"Zr8v");
        let actions = code_actions(&mut client, &uri, line, None).await;
        let ignore = titled(&actions, "Ignore SEC001 on this line");
        assert_eq!(ignore["kind"], "quickfix");
        assert_eq!(ignore["diagnostics"][0]["code"], "SEC001");
        let edits = edits_for(&ignore["edit"], &uri);
        let ignored = apply_edits(DEPLOYMENT, &edits, false);
        assert!(
            ignored.contains(
                "            - name: ORDERS_DB_PASSWORD\n              # akslint-ignore SEC001: <reason>\n              value: \"Zr8v"
            ),
            "{ignored}"
        );
        // SEC001 is silenced; SUP001 asks for the reason until the placeholder is replaced.
        client.replace(&uri, 2, &ignored).await;
        assert_eq!(codes(&client.diagnostics(&uri, 2).await), ["SUP001"]);
        let reasoned = ignored.replace("SEC001: <reason>", "SEC001: a throwaway test value");
        client.replace(&uri, 3, &reasoned).await;
        assert_eq!(client.diagnostics(&uri, 3).await, Vec::<Value>::new());

        // A trailing suppression of another rule on the line: the code is added to it.
        let trailing = DEPLOYMENT.replace(
            "value: \"Zr8v-Kq2m-Wx7p\"",
            "value: \"Zr8v-Kq2m-Wx7p\"  # akslint-ignore AUTH001: not this one",
        );
        client.replace(&uri, 4, &trailing).await;
        let d = client.diagnostics(&uri, 4).await;
        assert_eq!(codes(&d), ["SEC001", "SUP002"]);
        let actions = code_actions(&mut client, &uri, line, Some("quickfix")).await;
        let merged = apply_edits(
            &trailing,
            &edits_for(&titled(&actions, "Ignore SEC001")["edit"], &uri),
            false,
        );
        assert!(
            merged.contains("# akslint-ignore AUTH001, SEC001: not this one"),
            "{merged}"
        );
        client.replace(&uri, 5, &merged).await;
        assert_eq!(codes(&client.diagnostics(&uri, 5).await), ["SUP002"]);
        client.assert_never_sent(SECRET);
    })
    .await;
}

#[tokio::test]
async fn quick_fix_and_fix_all_with_a_cross_file_finding() {
    within(async {
        let dir = workspace();
        std::fs::write(dir.path().join("serviceaccount.yaml"), SERVICE_ACCOUNT).unwrap();
        let path = dir.path().join("deployment.yaml");
        std::fs::write(&path, DEPLOYMENT).unwrap();
        let uri = uri(&path);
        let sa_uri = support::uri(&dir.path().join("serviceaccount.yaml"));
        let mut client = started(Some(dir.path())).await;
        client.open(&uri, "yaml", 1, DEPLOYMENT).await;
        // The workspace index (read in the background) brings in the ServiceAccount.
        let params = client
            .diagnostics_where(&uri, |p| {
                p["diagnostics"]
                    .as_array()
                    .is_some_and(|d| d.iter().any(|d| d["code"] == "WID001"))
            })
            .await;
        let diagnostics = params["diagnostics"].as_array().unwrap();
        assert_eq!(codes(diagnostics), ["WID001", "SEC001"]);
        let wid = &diagnostics[0];
        let (line, column) = position_of(DEPLOYMENT, "labels:\n        app");
        assert_eq!(range(wid).0, line);
        assert_eq!(range(wid).1, column);
        let related = &wid["relatedInformation"][0];
        assert_eq!(related["location"]["uri"], sa_uri.as_str());
        let (sa_line, sa_column) = position_of(SERVICE_ACCOUNT, "5f1c9a0e");
        assert_eq!(range(&related["location"]), (sa_line, sa_column, sa_line, sa_column + 36));

        let actions = code_actions(&mut client, &uri, line, Some("quickfix")).await;
        let fix = titled(&actions, "Fix WID001");
        assert_eq!(fix["isPreferred"], true);
        assert_eq!(
            fix["edit"]["documentChanges"][0]["textDocument"]["version"], 1,
            "versioned edits: {fix}"
        );
        let fixed = apply_edits(DEPLOYMENT, &edits_for(&fix["edit"], &uri), false);
        assert!(
            fixed.contains("      labels:\n        azure.workload.identity/use: \"true\"\n        app: orders\n"),
            "{fixed}"
        );
        let all = code_actions(&mut client, &uri, 0, Some("source.fixAll")).await;
        assert_eq!(all.len(), 1, "{all:#?}");
        assert_eq!(all[0]["kind"], "source.fixAll.akslint");
        assert_eq!(apply_edits(DEPLOYMENT, &edits_for(&all[0]["edit"], &uri), false), fixed);

        client.replace(&uri, 2, &fixed).await;
        assert_eq!(codes(&client.diagnostics(&uri, 2).await), ["SEC001"]);

        // The ServiceAccount loses its annotation on disk: the open file is re-linted.
        client.replace(&uri, 3, DEPLOYMENT).await;
        assert_eq!(codes(&client.diagnostics(&uri, 3).await), ["WID001", "SEC001"]);
        std::fs::write(
            dir.path().join("serviceaccount.yaml"),
            SERVICE_ACCOUNT.replace("  annotations:\n    azure.workload.identity/client-id: 5f1c9a0e-3b7d-4c2a-9e61-0d8b4f7a2c13\n", ""),
        )
        .unwrap();
        client
            .notify(
                "workspace/didChangeWatchedFiles",
                json!({"changes": [{"uri": sa_uri.as_str(), "type": 2}]}),
            )
            .await;
        client
            .diagnostics_where(&uri, |p| {
                p["version"] == 3 && codes(p["diagnostics"].as_array().unwrap()) == ["SEC001"]
            })
            .await;
    })
    .await;
}

#[tokio::test]
async fn an_open_service_account_counts_before_it_is_saved() {
    within(async {
        let dir = workspace();
        let deployment = support::uri(&dir.path().join("deployment.yaml"));
        let account = support::uri(&dir.path().join("serviceaccount.yaml"));
        let mut client = started(Some(dir.path())).await;
        client.open(&deployment, "yaml", 1, DEPLOYMENT).await;
        assert_eq!(codes(&client.diagnostics(&deployment, 1).await), ["SEC001"]);
        // The ServiceAccount exists only in the editor: opening it re-lints the deployment.
        client.open(&account, "yaml", 1, SERVICE_ACCOUNT).await;
        client
            .diagnostics_where(&deployment, |p| {
                codes(p["diagnostics"].as_array().unwrap()) == ["WID001", "SEC001"]
            })
            .await;
        // Closing it (it is not on disk) takes the fact away again.
        client
            .notify(
                "textDocument/didClose",
                json!({"textDocument": {"uri": account.as_str()}}),
            )
            .await;
        client
            .diagnostics_where(&deployment, |p| {
                codes(p["diagnostics"].as_array().unwrap()) == ["SEC001"]
            })
            .await;
    })
    .await;
}

#[tokio::test]
async fn hover_on_a_finding_and_on_a_suppression_code() {
    within(async {
        let dir = workspace();
        let uri = uri(&dir.path().join("d.yaml"));
        let text = DEPLOYMENT.replace(
            "            - name: ORDERS_DB_HOST",
            "            # akslint-ignore AUTH001: nothing here\n            - name: ORDERS_DB_HOST",
        );
        let mut client = started(None).await;
        client.open(&uri, "yaml", 1, &text).await;
        client.diagnostics(&uri, 1).await;
        let (line, column) = position_of(&text, "\"Zr8v");
        let hover = client
            .result(
                "textDocument/hover",
                json!({"textDocument": {"uri": uri.as_str()}, "position": {"line": line, "character": column + 3}}),
            )
            .await;
        let value = hover["contents"]["value"].as_str().unwrap();
        assert_eq!(hover["contents"]["kind"], "markdown");
        assert!(value.contains("**SEC001** `hardcoded-secret-in-env`"), "{value}");
        assert!(value.contains("# SEC001 `hardcoded-secret-in-env`"), "{value}");
        assert!(!value.contains("<!--"), "{value}");
        assert_eq!(range(&hover).0, line);

        let (line, column) = position_of(&text, "AUTH001: nothing");
        let hover = client
            .result(
                "textDocument/hover",
                json!({"textDocument": {"uri": uri.as_str()}, "position": {"line": line, "character": column + 2}}),
            )
            .await;
        let value = hover["contents"]["value"].as_str().unwrap();
        assert!(value.starts_with("# AUTH001 `cluster-admin-bound-to-broad-group`"), "{value}");
        assert_eq!(range(&hover), (line, column, line, column + 7));

        let nothing = client
            .result(
                "textDocument/hover",
                json!({"textDocument": {"uri": uri.as_str()}, "position": {"line": 0, "character": 1}}),
            )
            .await;
        assert_eq!(nothing, Value::Null);
        client.assert_never_sent(SECRET);
    })
    .await;
}

#[tokio::test]
async fn config_file_changes_apply_without_restart() {
    within(async {
        let dir = workspace();
        let uri = uri(&dir.path().join("d.yaml"));
        let config_path = dir.path().join("akslint.yaml");
        let config = support::uri(&config_path);
        let mut client = started(Some(dir.path())).await;
        client.open(&uri, "yaml", 1, DEPLOYMENT).await;
        let d = client.diagnostics(&uri, 1).await;
        assert_eq!(d[0]["severity"], 1);

        std::fs::write(&config_path, "rules:\n  SEC001: warning\n").unwrap();
        client
            .notify(
                "workspace/didChangeWatchedFiles",
                json!({"changes": [{"uri": config.as_str(), "type": 1}]}),
            )
            .await;
        client
            .diagnostics_where(&uri, |p| p["diagnostics"][0]["severity"] == 2)
            .await;

        // Saved from the editor (a client that does not watch files): applied too.
        std::fs::write(&config_path, "rules:\n  SEC: off\n").unwrap();
        client
            .notify(
                "textDocument/didSave",
                json!({"textDocument": {"uri": config.as_str()}}),
            )
            .await;
        client
            .diagnostics_where(&uri, |p| p["diagnostics"] == json!([]))
            .await;

        // akslint.yaml open in the editor is checked as configuration, not as a manifest.
        client
            .open(&config, "yaml", 1, "rules:\n  SEC999: off\n")
            .await;
        let d = client.diagnostics(&config, 1).await;
        assert_eq!(codes(&d), ["config"]);
        assert_eq!(range(&d[0]).0, 1);
        assert!(d[0]["message"].as_str().unwrap().contains("SEC999"));
    })
    .await;
}

#[tokio::test]
async fn client_settings_from_init_options_and_configuration() {
    within(async {
        let dir = workspace();
        let uri = uri(&dir.path().join("d.yaml"));
        let excluded = support::uri(&dir.path().join("generated/d.yaml"));
        let mut client = TestClient::quick();
        client
            .initialize(
                Some(dir.path()),
                json!({"workspace": {"configuration": true}}),
                json!({"severity": "error", "exclude": ["generated/"]}),
            )
            .await;
        let with_sup = format!("{DEPLOYMENT}# akslint-ignore\n");
        client.open(&uri, "yaml", 1, &with_sup).await;
        // SUP001 (a warning) is below the threshold.
        assert_eq!(codes(&client.diagnostics(&uri, 1).await), ["SEC001"]);
        client.open(&excluded, "yaml", 1, DEPLOYMENT).await;
        assert_eq!(client.diagnostics(&excluded, 1).await, Vec::<Value>::new());

        // Settings pushed with didChangeConfiguration.
        client
            .notify(
                "workspace/didChangeConfiguration",
                json!({"settings": {"akslint": {"severity": "info"}}}),
            )
            .await;
        client
            .diagnostics_where(&uri, |p| {
                codes(p["diagnostics"].as_array().unwrap()).len() > 1
            })
            .await;
        client
            .diagnostics_where(&excluded, |p| {
                codes(p["diagnostics"].as_array().unwrap()) == ["SEC001"]
            })
            .await;

        // Settings pulled with workspace/configuration after a bare didChangeConfiguration.
        *client.settings.lock().unwrap() = json!({"enable": false});
        client
            .notify(
                "workspace/didChangeConfiguration",
                json!({"settings": null}),
            )
            .await;
        client
            .diagnostics_where(&uri, |p| p["diagnostics"] == json!([]))
            .await;
    })
    .await;
}

#[tokio::test]
async fn bicep_secrets_with_a_fix_and_a_template_on_disk() {
    within(async {
        let dir = workspace();
        let template = "@secure()\nparam adminPassword string\nparam apiToken string\n";
        std::fs::write(dir.path().join("main.bicep"), template).unwrap();
        // SEC010 is opt-in; this workspace turns it on.
        std::fs::write(
            dir.path().join("akslint.yaml"),
            "rules:\n  SEC010: warning\n",
        )
        .unwrap();
        let mut client = started(Some(dir.path())).await;
        let bicep = uri(&dir.path().join("main.bicep"));
        let text = format!("{template}@secure()\nparam backupPassword string = '{SECRET}'\n");
        client.open(&bicep, "bicep", 1, &text).await;
        let d = client.diagnostics(&bicep, 1).await;
        assert_eq!(codes(&d), ["SEC010", "SEC011"]);
        let (line, column) = position_of(&text, SECRET);
        assert_eq!(range(&d[1]), (line, column, line, column + 14));
        let actions = code_actions(&mut client, &bicep, 2, Some("quickfix")).await;
        let fixed = apply_edits(
            &text,
            &edits_for(&titled(&actions, "Fix SEC010")["edit"], &bicep),
            false,
        );
        assert!(
            fixed.contains("@secure()\nparam apiToken string\n"),
            "{fixed}"
        );
        client.replace(&bicep, 2, &fixed).await;
        assert_eq!(codes(&client.diagnostics(&bicep, 2).await), ["SEC011"]);

        // A parameter file: the template on disk says the parameter is secure.
        let params = uri(&dir.path().join("main.bicepparam"));
        let assignment = format!("using 'main.bicep'\nparam adminPassword = '{SECRET}'\n");
        client.open(&params, "bicep-params", 1, &assignment).await;
        let d = client.diagnostics(&params, 1).await;
        assert_eq!(codes(&d), ["SEC015"]);
        let related = d[0]["relatedInformation"].as_array().unwrap();
        assert!(
            related
                .iter()
                .any(|r| r["location"]["uri"] == bicep.as_str()
                    && range(&r["location"]) == (1, 6, 1, 19)),
            "{related:?}"
        );
        client.assert_never_sent(SECRET);
    })
    .await;
}

#[tokio::test]
async fn garbage_does_not_crash_the_server() {
    within(async {
        let dir = workspace();
        let uri = uri(&dir.path().join("d.yaml"));
        let mut client = started(None).await;
        // An unknown request: an error; an unknown notification: ignored.
        let response = client.request("akslint/nonsense", json!({})).await;
        assert_eq!(response.error().unwrap().code.code(), -32601);
        client.notify("$/akslint/nonsense", json!({"x": 1})).await;
        // Bad params.
        let response = client.request("textDocument/hover", json!({"nope": true})).await;
        assert!(response.is_error());
        client.notify("textDocument/didOpen", json!({"textDocument": 7})).await;
        // Changes to a document that is not open, and requests about it.
        client.replace(&uri, 5, "kind: Pod\n").await;
        let none = client
            .result("textDocument/codeAction", json!({"textDocument": {"uri": uri.as_str()}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "context": {"diagnostics": []}}))
            .await;
        assert_eq!(none, Value::Null);
        // A binary document, a huge one, and ranges far outside the text.
        client.open(&uri, "yaml", 1, "kind: Pod\n\u{0}\u{1}binary").await;
        assert_eq!(codes(&client.diagnostics(&uri, 1).await), ["PARSE005"]);
        let huge = "a: b\n".repeat(2_200_000);
        client.replace(&uri, 2, &huge).await;
        assert_eq!(codes(&client.diagnostics(&uri, 2).await), ["PARSE002"]);
        client
            .notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri.as_str(), "version": 3},
                       "contentChanges": [{"range": {"start": {"line": 9_000_000, "character": 5}, "end": {"line": 1, "character": 0}}, "text": "x"}]}),
            )
            .await;
        client.replace(&uri, 4, "a: [\n").await;
        assert_eq!(codes(&client.diagnostics(&uri, 4).await), ["PARSE001"]);
        let hover = client
            .request("textDocument/hover", json!({"textDocument": {"uri": uri.as_str()}, "position": {"line": 4000, "character": 4000}}))
            .await;
        assert!(hover.is_ok(), "{hover:?}");
        // Still answering.
        let response = client.request("shutdown", Value::Null).await;
        assert!(response.is_ok());
    })
    .await;
}

#[tokio::test]
async fn malformed_json_rpc_on_the_wire() {
    within(async {
        use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
        let (client_end, server_end) = tokio::io::duplex(1 << 20);
        let (server_read, server_write) = tokio::io::split(server_end);
        let server = akslint_lsp::serve(
            engine(),
            akslint_lsp::ServerOptions::default(),
            server_read,
            server_write,
        );
        let (read, mut write) = tokio::io::split(client_end);
        let client = async move {
        let mut read = BufReader::new(read);
        let frame = |body: &str| format!("Content-Length: {}\r\n\r\n{body}", body.len());
        write.write_all(frame("{not json").as_bytes()).await.unwrap();
        write.write_all(frame(r#"{"jsonrpc":"2.0","id":1}"#).as_bytes()).await.unwrap();
        write.write_all(b"Content-Length: nonsense\r\n\r\n").await.unwrap();
        write
            .write_all(frame(r#"{"jsonrpc":"2.0","id":2,"method":"initialize","params":{"capabilities":{}}}"#).as_bytes())
            .await
            .unwrap();
        async fn next_message<R: tokio::io::AsyncBufRead + Unpin>(read: &mut R) -> Value {
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                read.read_line(&mut line).await.unwrap();
                if line == "\r\n" {
                    break;
                }
                if let Some(n) = line.strip_prefix("Content-Length: ") {
                    length = n.trim().parse().unwrap();
                }
            }
            let mut body = vec![0; length];
            read.read_exact(&mut body).await.unwrap();
            serde_json::from_slice(&body).unwrap()
        }
        let mut got_initialize = false;
        for _ in 0..10 {
            let message = next_message(&mut read).await;
            if message["id"] == 2 {
                assert!(message["result"]["capabilities"].is_object(), "{message}");
                got_initialize = true;
                break;
            }
            assert!(message["error"].is_object(), "{message}");
        }
        assert!(got_initialize);
        write
            .write_all(frame(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#).as_bytes())
            .await
            .unwrap();
        // A document holding a lone surrogate (which JSON parsers refuse) is still linted.
        write
            .write_all(frame(r#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///nowhere/s.yaml","languageId":"yaml","version":1,"text":"apiVersion: v1\nkind: Secret\nmetadata:\n  name: db # \ud800\nstringData:\n  password: Zx9pQ2mT7vLrA1bC\n"}}}"#).as_bytes())
            .await
            .unwrap();
        // After initialization: garbage is logged to the client, and the session goes on.
        write.write_all(b"garbage without headers\r\n\r\n").await.unwrap();
        write
            .write_all(frame(r#"{"jsonrpc":"2.0","id":3,"method":"shutdown"}"#).as_bytes())
            .await
            .unwrap();
        let (mut logged, mut linted, mut answered) = (false, false, false);
        while !(linted && answered) {
            let message = next_message(&mut read).await;
            if message["method"] == "window/logMessage"
                && message["params"]["message"].as_str().unwrap().contains("ignored")
            {
                logged = true;
            }
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == "file:///nowhere/s.yaml"
            {
                assert_eq!(message["params"]["diagnostics"][0]["code"], "SEC002", "{message}");
                linted = true;
            }
            if message["id"] == 3 {
                assert!(message["error"].is_null(), "{message}");
                answered = true;
            }
        }
        assert!(logged, "the malformed message was not logged");
        write
            .write_all(frame(r#"{"jsonrpc":"2.0","method":"exit"}"#).as_bytes())
            .await
            .unwrap();
        };
        let (clean, ()) = tokio::join!(server, client);
        assert!(clean, "shutdown was requested before exit");
    })
    .await;
}

#[tokio::test]
async fn progress_is_reported_while_indexing() {
    within(async {
        let dir = workspace();
        std::fs::write(dir.path().join("serviceaccount.yaml"), SERVICE_ACCOUNT).unwrap();
        let mut client = TestClient::quick();
        client
            .initialize(
                Some(dir.path()),
                json!({"window": {"workDoneProgress": true}}),
                Value::Null,
            )
            .await;
        client
            .wait_for("progress created", |m| {
                m["method"] == "window/workDoneProgress/create"
            })
            .await;
        client
            .wait_for("progress begin", |m| {
                m["method"] == "$/progress" && m["params"]["value"]["kind"] == "begin"
            })
            .await;
        let end = client
            .wait_for("progress end", |m| {
                m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
            })
            .await;
        let message = end["params"]["value"]["message"].as_str().unwrap();
        assert!(
            message.starts_with("indexed 1 files (1 with cross-file facts)"),
            "{message}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_request_for_an_unknown_method_with_no_params() {
    within(async {
        let mut client = started(None).await;
        let response = client
            .call(Request::build("workspace/executeCommand").id(99).finish())
            .await
            .unwrap();
        assert!(response.is_error());
    })
    .await;
}

#[tokio::test]
async fn pull_without_refresh_falls_back_to_push() {
    within(async {
        let dir = workspace();
        let uri = uri(&dir.path().join("d.yaml"));
        let mut client = TestClient::quick();
        // Neovim 0.11: pulls, but cannot be told to pull again when another file changes.
        let caps = client
            .initialize(
                None,
                json!({"textDocument": {"diagnostic": {}}}),
                Value::Null,
            )
            .await;
        assert!(caps["capabilities"]["diagnosticProvider"].is_null());
        client.open(&uri, "yaml", 1, DEPLOYMENT).await;
        assert_eq!(codes(&client.diagnostics(&uri, 1).await), ["SEC001"]);
    })
    .await;
}

#[tokio::test]
async fn the_helm_template_is_related_information() {
    within(async {
        let dir = workspace();
        let uri = uri(&dir.path().join("chart.yaml"));
        let text = format!("---\n# Source: shop/templates/deployment.yaml\n{DEPLOYMENT}");
        let mut client = started(None).await;
        client.open(&uri, "yaml", 1, &text).await;
        let d = client.diagnostics(&uri, 1).await;
        assert_eq!(codes(&d), ["SEC001"]);
        let related = d[0]["relatedInformation"].as_array().unwrap();
        let helm = related
            .iter()
            .find(|r| {
                r["message"]
                    .as_str()
                    .unwrap()
                    .contains("shop/templates/deployment.yaml")
            })
            .unwrap_or_else(|| panic!("{related:?}"));
        assert_eq!(helm["location"]["uri"], uri.as_str());
        assert_eq!(range(&helm["location"]), (1, 0, 1, 40));
    })
    .await;
}

const PRIVATE_CLUSTER: &str =
    "resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-private'
  location: 'westeurope'
  identity: { type: 'SystemAssigned' }
  properties: {
    dnsPrefix: 'private'
    disableLocalAccounts: true
    aadProfile: { managed: true, enableAzureRBAC: true }
    oidcIssuerProfile: { enabled: true }
    securityProfile: { workloadIdentity: { enabled: true } }
    addonProfiles: {
      azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: 'true' } }
    }
    apiServerAccessProfile: {
      enablePrivateCluster: true
      enablePrivateClusterPublicFQDN: false
    }
  }
}
";

const FLUX_SYNC: &str = "apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: platform
  namespace: flux-system
spec:
  interval: 1m
  url: https://git.example.com/platform/cluster-config
";

#[tokio::test]
async fn gitops_manifests_of_the_workspace_reach_a_bicep_cluster() {
    within(async {
        let dir = workspace();
        let engine = support::engine();
        let mut client =
            TestClient::with_engine(engine, akslint_lsp::ServerOptions { index_threads: 2 });
        client
            .initialize(Some(dir.path()), push_caps(), Value::Null)
            .await;
        let bicep = uri(&dir.path().join("main.bicep"));
        client.open(&bicep, "bicep", 1, PRIVATE_CLUSTER).await;
        let found = client
            .diagnostics_where(&bicep, |p| {
                p["diagnostics"]
                    .as_array()
                    .is_some_and(|d| d.iter().any(|d| d["code"] == "API004"))
            })
            .await;
        assert_eq!(codes(found["diagnostics"].as_array().unwrap()), ["API004"]);
        // A Flux manifest opened in the editor is a GitOps agent for the whole workspace.
        let flux = uri(&dir.path().join("flux-sync.yaml"));
        client.open(&flux, "yaml", 1, FLUX_SYNC).await;
        client
            .diagnostics_where(&bicep, |p| p["diagnostics"] == json!([]))
            .await;
    })
    .await;
}

/// A front end that panics, quoting the document (as a careless rule might).
struct PanickingFrontEnd;

impl akslint_core::FrontEnd for PanickingFrontEnd {
    fn kinds(&self) -> &'static [SourceKind] {
        &[SourceKind::Yaml]
    }

    fn render_fix(
        &self,
        _file: &akslint_core::SharedSource,
        _parsed: Option<&akslint_core::ParsedFile>,
        _plan: &akslint_core::FixPlan,
    ) -> Option<Vec<akslint_core::Edit>> {
        None
    }

    fn parse(
        &self,
        file: &akslint_core::SharedSource,
        _limits: &akslint_core::Limits,
    ) -> akslint_core::ParsedFile {
        panic!("cannot handle {}", file.text());
    }
}

#[tokio::test]
async fn a_panic_while_linting_is_reported_without_the_text() {
    within(async {
        let dir = workspace();
        let uri = uri(&dir.path().join("deployment.yaml"));
        let engine = akslint_engine::Engine::with_front_ends(vec![Box::new(PanickingFrontEnd)]);
        let mut client =
            TestClient::with_engine(engine, akslint_lsp::ServerOptions { index_threads: 1 });
        client.initialize(None, push_caps(), Value::Null).await;
        client.open(&uri, "yaml", 1, DEPLOYMENT).await;
        let told = client
            .wait_for("a message about the internal error", |m| {
                m["method"] == "window/showMessage" || m["method"] == "window/logMessage"
            })
            .await;
        assert!(
            told["params"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("internal error")),
            "{told}"
        );
        // The server still answers, and never sent the document's secret.
        let response = client.request("shutdown", Value::Null).await;
        assert!(response.is_ok());
        client.assert_never_sent(SECRET);
    })
    .await;
}

const SECRET_PROVIDER_CLASS: &str = "apiVersion: secrets-store.csi.x-k8s.io/v1
kind: SecretProviderClass
metadata:
  name: orders-kv
  namespace: shop
spec:
  provider: azure
  parameters:
    clientID: 6e2b8d40-1f7a-4c39-b5e8-0a9d3c7f1b26
    keyvaultName: kv-orders
    tenantId: 3d9f0b17-2c64-48e5-a7b1-6e0d5c9f8a42
";

#[tokio::test]
async fn a_yaml_document_sees_the_workspace_bicep() {
    within(async {
        let dir = workspace();
        // The cluster on disk, with the Key Vault add-on off.
        let cluster_without_addon =
            PRIVATE_CLUSTER.replace("enabled: true, config", "enabled: false, config");
        let bicep_path = dir.path().join("main.bicep");
        std::fs::write(&bicep_path, &cluster_without_addon).unwrap();
        let engine = support::engine();
        let mut client =
            TestClient::with_engine(engine, akslint_lsp::ServerOptions { index_threads: 2 });
        client
            .initialize(Some(dir.path()), push_caps(), Value::Null)
            .await;
        let spc = uri(&dir.path().join("spc.yaml"));
        client.open(&spc, "yaml", 1, SECRET_PROVIDER_CLASS).await;
        let has = |code: &'static str| {
            move |p: &Value| {
                p["diagnostics"]
                    .as_array()
                    .is_some_and(|d| d.iter().any(|d| d["code"] == code))
            }
        };
        let found = client.diagnostics_where(&spc, has("KV003")).await;
        let kv003 = &found["diagnostics"][0];
        assert!(
            kv003["relatedInformation"][0]["location"]["uri"]
                .as_str()
                .is_some_and(|u| u.ends_with("main.bicep")),
            "{kv003}"
        );
        // Turning the add-on on in the editor (not saved) clears the YAML document's finding.
        let bicep = uri(&bicep_path);
        client
            .open(&bicep, "bicep", 1, &cluster_without_addon)
            .await;
        client.replace(&bicep, 2, PRIVATE_CLUSTER).await;
        client
            .diagnostics_where(&spc, |p| p["diagnostics"] == json!([]))
            .await;
    })
    .await;
}

#[tokio::test]
async fn a_template_open_alone_is_linted_with_the_parameters_file_beside_it() {
    within(async {
        let dir = workspace();
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../corpus/auth/auth002-local-accounts-enabled/params-decide");
        for name in ["main.bicep", "main.bicepparam", "gitops.yaml"] {
            std::fs::copy(fixture.join(name), dir.path().join(name)).unwrap();
        }
        let mut client = started(Some(dir.path())).await;
        client.wait_for_index().await;
        // Alone, the template's default keeps local accounts (AUTH002); the parameters file on
        // disk turns them off, as `akslint check` sees it.
        let path = dir.path().join("main.bicep");
        let text = std::fs::read_to_string(&path).unwrap();
        let template = uri(&path);
        client.open(&template, "bicep", 1, &text).await;
        assert_eq!(client.diagnostics(&template, 1).await, Vec::<Value>::new());
        // Editing the parameters file (not saved) to keep local accounts reports it there.
        let params_path = dir.path().join("main.bicepparam");
        let params = uri(&params_path);
        let edited = std::fs::read_to_string(&params_path).unwrap().replace(
            "disableLocalAccounts = true",
            "disableLocalAccounts = false",
        );
        client.open(&params, "bicep-params", 1, &edited).await;
        let found = client.diagnostics(&params, 1).await;
        assert_eq!(codes(&found), ["AUTH002"]);
    })
    .await;
}

/// A client that pulls diagnostics and can be asked to pull again (as VS Code does).
fn pull_caps() -> Value {
    json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}},
           "workspace": {"diagnostics": {"refreshSupport": true}}})
}

/// A workspace report's items by URI: (kind, codes, result id, version).
fn workspace_items(report: &Value) -> BTreeMap<String, (String, Vec<String>, String, Value)> {
    report["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            let codes = codes(item["items"].as_array().map_or(&[][..], |v| v));
            (
                item["uri"].as_str().unwrap().to_owned(),
                (
                    item["kind"].as_str().unwrap().to_owned(),
                    codes,
                    item["resultId"].as_str().unwrap().to_owned(),
                    item["version"].clone(),
                ),
            )
        })
        .collect()
}

/// The previous result ids of a workspace report, as a client sends them back.
fn previous_ids(report: &Value) -> Value {
    let ids: Vec<Value> = workspace_items(report)
        .into_iter()
        .map(|(uri, (_, _, id, _))| json!({"uri": uri, "value": id}))
        .collect();
    json!({"previousResultIds": ids})
}

#[tokio::test]
async fn workspace_diagnostics_are_pulled_for_every_file_of_the_run() {
    within(async {
        let dir = workspace();
        let root = dir.path();
        std::fs::write(root.join("akslint.yaml"), "exclude: [generated/]\n").unwrap();
        std::fs::write(root.join(".gitignore"), "ignored/\n").unwrap();
        std::fs::write(root.join("d.yaml"), DEPLOYMENT).unwrap();
        std::fs::write(root.join("clean.yaml"), "kind: ConfigMap\n").unwrap();
        for folder in ["generated", "ignored"] {
            std::fs::create_dir(root.join(folder)).unwrap();
            std::fs::write(root.join(folder).join("x.yaml"), DEPLOYMENT).unwrap();
        }
        let d = uri(&root.join("d.yaml"));
        let clean = uri(&root.join("clean.yaml"));
        let mut client = TestClient::quick();
        let caps = client
            .initialize(Some(root), pull_caps(), Value::Null)
            .await;
        let provider = &caps["capabilities"]["diagnosticProvider"];
        assert_eq!(provider["workspaceDiagnostics"], true);
        assert_eq!(provider["interFileDependencies"], true);
        client.wait_for_index().await;

        // Closed files are reported, as `akslint check .` lints them: not the excluded or
        // ignored ones, not akslint.yaml (valid).
        let first = client
            .result("workspace/diagnostic", json!({"previousResultIds": []}))
            .await;
        let items = workspace_items(&first);
        assert_eq!(
            items.keys().cloned().collect::<Vec<_>>(),
            [clean.as_str(), d.as_str()]
        );
        assert_eq!(items[d.as_str()].0, "full");
        assert_eq!(items[d.as_str()].1, ["SEC001"]);
        assert_eq!(items[d.as_str()].3, Value::Null);
        assert!(items[clean.as_str()].1.is_empty());

        // Nothing changed: every report unchanged, with the same ids.
        let second = client
            .result("workspace/diagnostic", previous_ids(&first))
            .await;
        for (uri, (kind, _, id, _)) in workspace_items(&second) {
            assert_eq!(kind, "unchanged", "{uri}");
            assert_eq!(id, items[&uri].2);
        }

        // A file edited on disk in between gets a full report; the others stay unchanged.
        std::fs::write(
            root.join("d.yaml"),
            "kind: ConfigMap\nmetadata: {name: x}\n",
        )
        .unwrap();
        client
            .notify(
                "workspace/didChangeWatchedFiles",
                json!({"changes": [{"uri": d.as_str(), "type": 2}]}),
            )
            .await;
        client
            .wait_for("a refresh request", |m| {
                m["method"] == "workspace/diagnostic/refresh"
            })
            .await;
        let third = client
            .result("workspace/diagnostic", previous_ids(&first))
            .await;
        let changed = workspace_items(&third);
        assert_eq!(changed[d.as_str()].0, "full");
        assert!(changed[d.as_str()].1.is_empty());
        assert_eq!(changed[clean.as_str()].0, "unchanged");

        // An open document is reported as the editor has it, with its version, and with the
        // same result id as a document pull gives it.
        client.open(&d, "yaml", 7, DEPLOYMENT).await;
        let fourth = client
            .result("workspace/diagnostic", previous_ids(&third))
            .await;
        let open = &workspace_items(&fourth)[d.as_str()];
        assert_eq!(
            (open.0.as_str(), open.1.clone()),
            ("full", vec!["SEC001".to_owned()])
        );
        assert_eq!(open.3, 7);
        let document = client
            .result(
                "textDocument/diagnostic",
                json!({"textDocument": {"uri": d.as_str()}, "previousResultId": open.2}),
            )
            .await;
        assert_eq!(document["kind"], "unchanged");

        // A file deleted after it was reported with findings gets an empty report.
        client.replace(&d, 8, "kind: ConfigMap\n").await;
        std::fs::write(root.join("clean.yaml"), DEPLOYMENT).unwrap();
        let fifth = client
            .result("workspace/diagnostic", previous_ids(&fourth))
            .await;
        assert_eq!(workspace_items(&fifth)[clean.as_str()].1, ["SEC001"]);
        std::fs::remove_file(root.join("clean.yaml")).unwrap();
        let sixth = client
            .result("workspace/diagnostic", previous_ids(&fifth))
            .await;
        let gone = &workspace_items(&sixth)[clean.as_str()];
        assert_eq!((gone.0.as_str(), gone.1.len()), ("full", 0));

        // "Lint workspace" from a client that pulls: the files and findings a pull reports, and
        // a request to pull again instead of a push.
        std::fs::write(root.join("e.yaml"), DEPLOYMENT).unwrap();
        client.drain(Duration::from_millis(100)).await;
        client
            .seen
            .retain(|m| m["method"] != "workspace/diagnostic/refresh");
        let summary = client
            .result(
                "workspace/executeCommand",
                json!({"command": akslint_lsp::LINT_WORKSPACE_COMMAND}),
            )
            .await;
        assert_eq!(summary, json!({"files": 2, "findings": 1}));
        client
            .wait_for("a refresh request", |m| {
                m["method"] == "workspace/diagnostic/refresh"
            })
            .await;
        let pulled = client
            .result("workspace/diagnostic", json!({"previousResultIds": []}))
            .await;
        let pulled = workspace_items(&pulled);
        assert_eq!(pulled.len(), 2);
        assert_eq!(pulled.values().map(|item| item.1.len()).sum::<usize>(), 1);
        // Pulling clients are never pushed findings.
        client.drain(Duration::from_millis(100)).await;
        assert!(
            !client
                .seen
                .iter()
                .any(|m| m["method"] == "textDocument/publishDiagnostics"
                    && !m["params"]["diagnostics"].as_array().unwrap().is_empty()),
            "{:?}",
            client.seen
        );
        client.assert_never_sent(SECRET);
    })
    .await;
}

#[tokio::test]
async fn an_invalid_akslint_yaml_is_one_place_and_the_other_files_keep_their_findings() {
    within(async {
        let dir = workspace();
        let config_path = dir.path().join("akslint.yaml");
        let valid = "rules:\n  SEC001: warning\n";
        std::fs::write(&config_path, valid).unwrap();
        let config = uri(&config_path);
        let d = uri(&dir.path().join("d.yaml"));
        let mut client = started(Some(dir.path())).await;
        client.open(&d, "yaml", 1, DEPLOYMENT).await;
        assert_eq!(client.diagnostics(&d, 1).await[0]["severity"], 2);

        // Typed, unsaved: the problem is a diagnostic in akslint.yaml, nowhere else.
        client.open(&config, "yaml", 1, valid).await;
        assert_eq!(client.diagnostics(&config, 1).await, Vec::<Value>::new());
        let broken = "rules:\n  SEC001: loud\n";
        client.replace(&config, 2, broken).await;
        let problems = client.diagnostics(&config, 2).await;
        assert_eq!(codes(&problems), ["config"]);
        assert_eq!(range(&problems[0]), (1, 10, 1, 14));

        // Saved broken: the other files keep their findings under the last valid
        // configuration, and nothing pops up.
        std::fs::write(&config_path, broken).unwrap();
        client
            .notify(
                "textDocument/didSave",
                json!({"textDocument": {"uri": config.as_str()}}),
            )
            .await;
        client.wait_for_index().await;
        client.drain(Duration::from_millis(300)).await;
        let d_changed = client.seen.iter().any(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == d.as_str()
        });
        assert!(!d_changed, "{:?}", client.seen);
        client.assert_never_sent("window/showMessage");
        // An edit made while it is broken is linted under the last valid configuration.
        client
            .replace(&d, 2, &format!("{DEPLOYMENT}# edited\n"))
            .await;
        assert_eq!(client.diagnostics(&d, 2).await[0]["severity"], 2);

        // Fixed and saved: applied.
        client.replace(&config, 3, "rules:\n  SEC001: info\n").await;
        std::fs::write(&config_path, "rules:\n  SEC001: info\n").unwrap();
        client
            .notify(
                "textDocument/didSave",
                json!({"textDocument": {"uri": config.as_str()}}),
            )
            .await;
        client
            .diagnostics_where(&d, |p| p["diagnostics"][0]["severity"] == 3)
            .await;
        assert_eq!(client.diagnostics(&config, 3).await, Vec::<Value>::new());
    })
    .await;
}

/// The diagnostics published without a version (from disk) for `uri` that satisfy `pred`.
async fn closed_file_codes(
    client: &mut TestClient,
    uri: &tower_lsp_server::ls_types::Uri,
    pred: impl Fn(&[String]) -> bool,
) -> Vec<String> {
    let params = client
        .diagnostics_where(uri, |p| {
            p["version"].is_null() && pred(&codes(p["diagnostics"].as_array().unwrap()))
        })
        .await;
    codes(params["diagnostics"].as_array().unwrap())
}

#[tokio::test]
async fn lint_workspace_publishes_closed_files_and_keeps_them_current() {
    within(async {
        let dir = workspace();
        let deployment = dir.path().join("deployment.yaml");
        let service_account = dir.path().join("serviceaccount.yaml");
        std::fs::write(&deployment, DEPLOYMENT).unwrap();
        std::fs::write(&service_account, SERVICE_ACCOUNT).unwrap();
        let (uri, sa_uri) = (uri(&deployment), support::uri(&service_account));
        let mut client = TestClient::quick();
        let init = client
            .initialize(Some(dir.path()), push_caps(), Value::Null)
            .await;
        assert_eq!(
            init["capabilities"]["executeCommandProvider"]["commands"],
            json!([akslint_lsp::LINT_WORKSPACE_COMMAND])
        );
        client.wait_for_index().await;
        let summary = client
            .result(
                "workspace/executeCommand",
                json!({"command": akslint_lsp::LINT_WORKSPACE_COMMAND, "arguments": []}),
            )
            .await;
        assert_eq!(summary, json!({"files": 2, "findings": 2}));
        // A closed file gets what an open one would: its cross-file finding too.
        let found = closed_file_codes(&mut client, &uri, |_| true).await;
        assert_eq!(found, ["WID001", "SEC001"]);
        assert!(
            closed_file_codes(&mut client, &sa_uri, |_| true)
                .await
                .is_empty()
        );

        // Opened, its findings from disk are cleared before its own arrive.
        client.open(&uri, "yaml", 1, DEPLOYMENT).await;
        assert!(
            closed_file_codes(&mut client, &uri, |_| true)
                .await
                .is_empty()
        );
        assert_eq!(
            codes(&client.diagnostics(&uri, 1).await),
            ["WID001", "SEC001"]
        );

        // A new file on disk is linted; closing the open one brings its findings from disk back.
        let other = dir.path().join("other.yaml");
        std::fs::write(&other, DEPLOYMENT.replace("orders", "billing")).unwrap();
        let other_uri = support::uri(&other);
        client
            .notify(
                "workspace/didChangeWatchedFiles",
                json!({"changes": [{"uri": other_uri.as_str(), "type": 1}]}),
            )
            .await;
        let found = closed_file_codes(&mut client, &other_uri, |c| !c.is_empty()).await;
        assert_eq!(found, ["SEC001"]);
        client
            .notify(
                "textDocument/didClose",
                json!({"textDocument": {"uri": uri.as_str()}}),
            )
            .await;
        let found = closed_file_codes(&mut client, &uri, |c| !c.is_empty()).await;
        assert_eq!(found, ["WID001", "SEC001"]);

        // A deleted file's findings are cleared.
        std::fs::remove_file(&other).unwrap();
        client
            .notify(
                "workspace/didChangeWatchedFiles",
                json!({"changes": [{"uri": other_uri.as_str(), "type": 3}]}),
            )
            .await;
        assert!(
            closed_file_codes(&mut client, &other_uri, |c| c.is_empty())
                .await
                .is_empty()
        );

        // Settings reach the closed files too: linting turned off clears their findings, turned
        // on brings them back.
        client.drain(Duration::from_millis(100)).await;
        client.seen.clear();
        for enable in [false, true] {
            client
                .notify(
                    "workspace/didChangeConfiguration",
                    json!({"settings": {"akslint": {"enable": enable}}}),
                )
                .await;
            let expected: &[&str] = if enable { &["WID001", "SEC001"] } else { &[] };
            let found = closed_file_codes(&mut client, &uri, |c| c == expected).await;
            assert_eq!(found, expected);
        }

        let unknown = client
            .request(
                "workspace/executeCommand",
                json!({"command": "akslint.nope"}),
            )
            .await;
        assert_eq!(
            unknown.error().map(|e| e.code.code()),
            Some(-32602),
            "{unknown:?}"
        );
        client.assert_never_sent(SECRET);
    })
    .await;
}
