//! Helm values sets on the command line: `--values` and `--set` render the charts named as one
//! more set, `command line`; a finding of every set is reported once, each naming the sets that
//! have it; values with no chart named, or not in Helm's syntax, are usage errors.

use std::path::Path;

mod common;
use common::{akslint_in, json, stderr};

/// A chart `web` whose template writes a password from its values, a token when diagnostics are
/// on, and refuses to render without `db.host` when `strict` is on; and a values file outside it.
fn chart() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    };
    write(
        "web/Chart.yaml",
        "apiVersion: v2\nname: web\nversion: 1.0.0\n",
    );
    write(
        "web/values.yaml",
        "db:\n  password: \"\"\ndiagnostics:\n  enabled: false\nstrict: false\n",
    );
    write(
        "web/templates/deployment.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: contoso.azurecr.io/web:1.0\n          env:\n            - name: SIGNING_KEY\n              value: \"Hq7TzVb2Lx9KmWc4Rn8P\"\n            - name: DB_PASSWORD\n              value: {{ .Values.db.password | quote }}\n{{- if .Values.diagnostics.enabled }}\n            - name: GITHUB_TOKEN\n              value: \"ghp_Zk4mQ8vT2xLc7RbN1wYp5sHd9GfJ3aUe6oKi\"\n{{- end }}\n{{- if .Values.strict }}\n            - name: DB_HOST\n              value: {{ required \"db.host is required\" .Values.db.host | quote }}\n{{- end }}\n",
    );
    write(
        "env/prod.yaml",
        "db:\n  password: \"Xp3vRt8KqN2mWz6Lc9Bd\"\n",
    );
    dir
}

/// The findings' messages of a JSON report, by line.
fn messages(report: &serde_json::Value) -> Vec<(u64, String, String)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["start"]["line"].as_u64().unwrap_or_default(),
                f["code"].as_str().unwrap_or_default().to_owned(),
                f["message"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn check(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    akslint_in(dir, &all, b"")
}

#[test]
fn without_values_the_chart_renders_with_its_values_yaml_alone() {
    let dir = chart();
    let output = check(dir.path(), &["web"]);
    let found = messages(&json(&output));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!((found[0].0, found[0].1.as_str()), (13, "SEC001"));
    assert!(!found[0].2.contains("values set"), "{}", found[0].2);
}

#[test]
fn values_and_set_are_one_more_set_named_in_findings_of_it_alone() {
    let dir = chart();
    let output = check(
        dir.path(),
        &[
            "web/templates/deployment.yaml",
            "--values",
            "env/prod.yaml",
            "--set",
            "diagnostics.enabled=true",
        ],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report = json(&output);
    let found = messages(&report);
    // The key written in the template: in both sets, reported once, naming both.
    let signing: Vec<_> = found.iter().filter(|f| f.0 == 13).collect();
    assert_eq!(signing.len(), 1, "{found:#?}");
    assert!(
        signing[0]
            .2
            .ends_with("(values sets `default` and `command line`)"),
        "{}",
        signing[0].2
    );
    // The token the command line turns on: its set only, named.
    let token: Vec<_> = found.iter().filter(|f| f.0 == 18).collect();
    assert_eq!(token.len(), 1, "{found:#?}");
    assert!(
        token[0].2.ends_with("(values set `command line`)"),
        "{}",
        token[0].2
    );
    // The password was written in the set's values file: reported there, at its key, with the
    // template's action related.
    let password = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| {
            f["message"]
                .as_str()
                .is_some_and(|m| m.contains("DB_PASSWORD"))
        })
        .expect("the password's finding");
    assert_eq!(password["file"], "env/prod.yaml", "{password}");
    assert_eq!(password["start"]["line"], 2, "{password}");
    assert!(
        password["labels"]
            .as_array()
            .expect("labels")
            .iter()
            .any(|l| l["file"] == "web/templates/deployment.yaml" && l["start"]["line"] == 15),
        "{password}"
    );
    // Never printed whole.
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(!text.contains("Xp3vRt8KqN2mWz6Lc9Bd"), "{text}");
}

#[test]
fn a_template_that_fails_in_one_set_names_it_and_the_others_are_linted() {
    let dir = chart();
    let output = check(
        dir.path(),
        &["web", "--set", "strict=true", "--set", "db.password=null"],
    );
    let found = messages(&json(&output));
    let parse: Vec<_> = found.iter().filter(|f| f.1 == "PARSE010").collect();
    assert_eq!(parse.len(), 1, "{found:#?}");
    assert!(parse[0].2.contains("db.host is required"), "{}", parse[0].2);
    assert!(
        parse[0].2.ends_with("(values set `command line`)"),
        "{}",
        parse[0].2
    );
    // The default set rendered: its finding is there, once.
    assert_eq!(found.iter().filter(|f| f.0 == 13).count(), 1, "{found:#?}");
}

#[test]
fn values_with_no_chart_named_or_not_in_helms_syntax_are_usage_errors() {
    let dir = chart();
    for (args, says) in [
        (vec!["env", "--set", "a=1"], "none is named"),
        (vec!["web", "--values", "nope.yaml"], "no such file"),
        (vec!["web", "--set", "image.tag"], "has no value"),
        (vec!["web", "--set", "hosts[x]=a"], "not a list index"),
    ] {
        let output = check(dir.path(), &args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&output).contains(says),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn akslint_yaml_names_a_charts_values_sets() {
    // corpus/sec/helm-values-sets: the chart `shop` with values-prod.yaml as the set `prod`.
    let output = check(&common::workspace(), &["corpus/sec/helm-values-sets"]);
    let found = messages(&json(&output));
    let lines: Vec<(u64, &str)> = found.iter().map(|f| (f.0, f.1.as_str())).collect();
    assert_eq!(lines, [(22, "SEC001"), (25, "SEC001")], "{found:#?}");
    assert!(
        found[0].2.ends_with("(values sets `default` and `prod`)"),
        "{}",
        found[0].2
    );
    assert!(
        found[1].2.ends_with("(values set `prod`)"),
        "{}",
        found[1].2
    );
}

/// The PARSE010 findings of a JSON report as (file, line, column, message).
fn schema_findings(report: &serde_json::Value) -> Vec<(String, u64, u64, String)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["code"] == "PARSE010")
        .map(|f| {
            (
                f["file"].as_str().unwrap_or_default().to_owned(),
                f["start"]["line"].as_u64().unwrap_or_default(),
                f["start"]["column"].as_u64().unwrap_or_default(),
                f["message"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn every_values_set_is_checked_against_the_schema_where_its_values_are_written() {
    let dir = chart();
    let write = |name: &str, text: &str| {
        std::fs::write(dir.path().join(name), text).expect("write");
    };
    write(
        "web/values.schema.json",
        r#"{"type": "object", "properties": {"debug": {"type": "boolean"}, "replicas": {"type": "integer", "minimum": 1}}}"#,
    );
    write("web/values-prod.yaml", "replicas: 3\ndebug: \"yes\"\n");
    write(
        "akslint.yaml",
        "helm:\n  charts:\n    - path: web\n      values-sets:\n        - name: prod\n          values: [values-prod.yaml]\n",
    );
    write("env/strict.yaml", "replicas: 0\n");
    // The set of akslint.yaml: at the key of its file that breaks the schema, naming it.
    let found = schema_findings(&json(&check(dir.path(), &["web"])));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        (found[0].0.as_str(), found[0].1, found[0].2),
        ("web/values-prod.yaml", 2, 8),
        "{found:#?}"
    );
    assert!(found[0].3.contains("at '/debug'"), "{}", found[0].3);
    assert!(
        found[0].3.ends_with("(values set `prod`)"),
        "{}",
        found[0].3
    );
    // The same, with the set's file named alone (pre-commit).
    let alone = schema_findings(&json(&check(dir.path(), &["web/values-prod.yaml"])));
    assert_eq!(alone, found);
    // The command line's set: a `--values` file outside the chart and `--set` values have no
    // file of the walk: reported in the chart's values.yaml, naming where and the set.
    let found = schema_findings(&json(&check(
        dir.path(),
        &["web", "--values", "env/strict.yaml"],
    )));
    let command_line: Vec<_> = found
        .iter()
        .filter(|f| f.3.ends_with("(values set `command line`)"))
        .collect();
    assert_eq!(command_line.len(), 1, "{found:#?}");
    assert_eq!(
        (command_line[0].0.as_str(), command_line[0].1),
        ("web/values.yaml", 1)
    );
    assert!(
        command_line[0].3.contains("at '/replicas'")
            && command_line[0].3.contains("(at env/strict.yaml:1)"),
        "{}",
        command_line[0].3
    );
    let found = schema_findings(&json(&check(dir.path(), &["web", "--set", "debug=1"])));
    assert!(
        found.iter().any(|f| f.0 == "web/values.yaml"
            && f.3.contains("at '/debug'")
            && f.3.ends_with("(values set `command line`)")),
        "{found:#?}"
    );
}

/// A chart whose Deployment runs as a federated ServiceAccount, labelled for workload identity
/// with `api.workloadIdentity` (on in its values.yaml); a values file outside it turns it off.
fn labelled_chart() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in [
        (
            "web/Chart.yaml",
            "apiVersion: v2\nname: web\nversion: 1.0.0\n",
        ),
        (
            "web/values.yaml",
            "clientId: 3d1e7a52-9c4b-4f08-b6e2-71a5c0d9e842\napi:\n  workloadIdentity: true\n",
        ),
        (
            "web/templates/serviceaccount.yaml",
            "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {{ .Release.Name }}-app\n  annotations:\n    azure.workload.identity/client-id: {{ .Values.clientId | quote }}\n",
        ),
        (
            "web/templates/api.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-api\nspec:\n  template:\n    metadata:\n      labels:\n        azure.workload.identity/use: {{ .Values.api.workloadIdentity | quote }}\n    spec:\n      serviceAccountName: {{ .Release.Name }}-app\n      containers:\n        - name: api\n          image: contoso.azurecr.io/api:2.0\n",
        ),
        ("env/prod.yaml", "api:\n  workloadIdentity: false\n"),
    ] {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    dir
}

/// `--fix` writes the fix of a value a `--values` file wrote in that file; a value of `--set` has
/// no file, and its finding no fix.
#[test]
fn a_fix_lands_in_the_values_file_of_the_command_line_never_in_a_set_item() {
    let dir = labelled_chart();
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).expect("read");
    let values = read("web/values.yaml");
    let output = akslint_in(
        dir.path(),
        &[
            "check",
            "--fix",
            "--unsafe-fixes",
            "web",
            "--values",
            "env/prod.yaml",
        ],
        b"",
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(read("env/prod.yaml"), "api:\n  workloadIdentity: true\n");
    assert_eq!(read("web/values.yaml"), values);
    // The same value given by `--set`: reported at the template's action, not fixed.
    let output = check(
        dir.path(),
        &[
            "--fix",
            "--unsafe-fixes",
            "web",
            "--set",
            "api.workloadIdentity=false",
        ],
    );
    let report = json(&output);
    let found: Vec<_> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| (f["code"].clone(), f["file"].clone(), f["fix"].clone()))
        .collect();
    assert_eq!(
        found,
        [(
            "WID001".into(),
            "web/templates/api.yaml".into(),
            serde_json::Value::Null
        )],
        "{report}"
    );
    assert_eq!(read("web/values.yaml"), values);
}

/// A value of `--set` that breaks the schema is the command line's, even when a `--values` file
/// gives the same key (and the map it is in): reported in the chart's values.yaml naming the
/// item's key (not its value), never a line of the `--values` file.
#[test]
fn a_set_items_schema_violation_is_the_command_lines_not_the_values_files() {
    let dir = chart();
    std::fs::write(
        dir.path().join("web/values.schema.json"),
        r#"{"type": "object", "properties": {"replicas": {"type": "integer", "minimum": 1}}}"#,
    )
    .expect("write");
    std::fs::write(dir.path().join("env/scale.yaml"), "replicas: 3\n").expect("write");
    let found = schema_findings(&json(&check(
        dir.path(),
        &["web", "--values", "env/scale.yaml", "--set", "replicas=0"],
    )));
    assert_eq!(found.len(), 1, "{found:#?}");
    let (file, line, _, message) = &found[0];
    assert_eq!((file.as_str(), *line), ("web/values.yaml", 1));
    assert!(
        message.contains("at '/replicas'")
            && message.contains("(at `--set replicas=…` on the command line)")
            && message.ends_with("(values set `command line`)"),
        "{message}"
    );
    assert!(!message.contains("env/scale.yaml"), "{message}");
    // A dependency's schema: its key under the dependency's, as the item wrote it; the
    // parent's `--set replicas` is not the dependency's `replicas`.
    for (name, text) in [
        (
            "web/charts/cache/Chart.yaml",
            "apiVersion: v2\nname: cache\nversion: 1.0.0\n",
        ),
        ("web/charts/cache/values.yaml", "replicas: 2\n"),
        (
            "web/charts/cache/values.schema.json",
            r#"{"type": "object", "properties": {"replicas": {"type": "integer", "minimum": 1}}}"#,
        ),
    ] {
        std::fs::create_dir_all(dir.path().join("web/charts/cache")).expect("mkdir");
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    let found = schema_findings(&json(&check(
        dir.path(),
        &["web", "--set", "replicas=0", "--set", "cache.replicas=-1"],
    )));
    let places: Vec<&str> = found
        .iter()
        .filter_map(|f| f.3.split(" (at ").nth(1))
        .collect();
    assert_eq!(
        places,
        [
            "`--set cache.replicas=…` on the command line) (values set `command line`)",
            "`--set replicas=…` on the command line) (values set `command line`)",
        ],
        "{found:#?}"
    );
}
