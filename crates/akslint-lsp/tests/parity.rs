//! The language server and `akslint check` are one pipeline: over every fixture folder of
//! `corpus/` (and each repository of `../shared/corpus-real` when it is there), the server, given
//! the folder as its workspace with every file open, publishes exactly the findings
//! `akslint check FOLDER` reports: the same codes, ranges, severities and messages.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use akslint_core::{Severity, SourceKind};
use akslint_engine::walk::{self, Input};
use akslint_engine::{ConfigResolver, Engine, Overlay, StdinInput};
use serde_json::{Value, json};
use support::*;

/// One finding as both sides can say it: code, UTF-16 range, severity (LSP numbering), message.
type Finding = (String, (u64, u64, u64, u64), u64, String);

/// The findings of each file, by absolute path.
type ByFile = BTreeMap<PathBuf, BTreeSet<Finding>>;

/// A published diagnostic as a [`Finding`]: the message without the rule's name and the help
/// the server appends to it.
fn published(d: &Value) -> Finding {
    let code = d["code"].as_str().unwrap_or_default().to_owned();
    let name = akslint_rules::registry::find(&code).map_or("", |m| m.name);
    let message = d["message"].as_str().unwrap_or_default();
    let message = message
        .rsplit_once(&format!(" ({name})"))
        .map_or(message, |(text, _)| text);
    (
        code,
        range(d),
        d["severity"].as_u64().unwrap_or_default(),
        message.to_owned(),
    )
}

/// The findings of `akslint check FOLDER` by absolute path, and the files it linted.
fn check(folder: &Path) -> (ByFile, Vec<(PathBuf, SourceKind)>) {
    // A current folder that is not above the fixtures keeps every path absolute, as the
    // language server's are.
    let elsewhere = tempfile::tempdir().expect("a temporary folder");
    let cwd = elsewhere.path();
    let engine = Engine::new();
    let resolver = Arc::new(ConfigResolver::discover(cwd));
    let excludes = Arc::new(walk::cli_excludes(cwd, &[]).expect("no excludes"));
    let collected = walk::collect(&[folder.to_path_buf()], cwd, &excludes, &resolver, &engine)
        .expect("a folder");
    let files: Vec<(PathBuf, SourceKind)> = collected
        .inputs
        .iter()
        .filter_map(|input| match input {
            Input::File { path, kind, .. } => Some((path.to_path_buf(), *kind)),
            Input::Stdin => None,
        })
        .collect();
    let stdin = StdinInput::unread(PathBuf::from("<stdin>"));
    let report = akslint_engine::run(
        &engine,
        &resolver,
        &collected.inputs,
        &stdin,
        &Overlay::new(),
    )
    .expect("a valid configuration");
    let mut by_file = BTreeMap::new();
    for file in &report.files {
        let findings: BTreeSet<Finding> = file
            .diagnostics
            .iter()
            .map(|d| {
                let (sl, sc) = d.file.utf16_position(d.span.start as usize);
                let (el, ec) = d.file.utf16_position(d.span.end as usize);
                let severity = match d.severity {
                    Severity::Error => 1,
                    Severity::Warning => 2,
                    Severity::Info => 3,
                };
                (
                    d.rule.code.to_owned(),
                    (sl.into(), sc.into(), el.into(), ec.into()),
                    severity,
                    d.message.clone(),
                )
            })
            .collect();
        by_file.insert(file.file.path().to_path_buf(), findings);
    }
    (by_file, files)
}

/// What the language server publishes for each of `files` with `folder` as its workspace and
/// every file open (files that are not UTF-8 text are left closed: an editor shows them decoded).
async fn serve(folder: &Path, files: &[(PathBuf, SourceKind)]) -> ByFile {
    let mut client = TestClient::quick();
    client
        .initialize(
            Some(folder),
            json!({"workspace": {"workspaceEdit": {"documentChanges": true}}}),
            Value::Null,
        )
        .await;
    client.wait_for_index().await;
    let mut opened = Vec::new();
    for (path, kind) in files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let language = match kind {
            SourceKind::Yaml => "yaml",
            SourceKind::Bicep => "bicep",
            SourceKind::BicepParam => "bicep-params",
            SourceKind::ArmTemplate => "json",
        };
        let uri = uri(path);
        client.open(&uri, language, 1, &text).await;
        opened.push((path.clone(), uri));
    }
    let paths: BTreeMap<String, PathBuf> = opened
        .iter()
        .map(|(path, uri)| (uri.as_str().to_owned(), path.clone()))
        .collect();
    let mut by_file = BTreeMap::new();
    for (path, uri) in opened {
        let diagnostics = client.diagnostics(&uri, 1).await;
        let findings: BTreeSet<Finding> = diagnostics.iter().map(published).collect();
        by_file.insert(path, findings);
    }
    // Nothing published later changes them: a late result would be another version or a repeat.
    client.drain(Duration::from_millis(300)).await;
    for message in &client.seen {
        if message["method"] == "textDocument/publishDiagnostics" {
            let uri = message["params"]["uri"].as_str().unwrap_or_default();
            let Some(path) = paths.get(uri) else {
                continue;
            };
            let findings: BTreeSet<Finding> = message["params"]["diagnostics"]
                .as_array()
                .into_iter()
                .flatten()
                .map(published)
                .collect();
            assert_eq!(
                by_file.get(path),
                Some(&findings),
                "{} was published again with other findings",
                path.display()
            );
        }
    }
    by_file
}

/// Compares the two sides over one folder; returns the differences, one line each.
async fn differences(folder: &Path) -> Vec<String> {
    let (cli, files) = check(folder);
    let lsp = serve(folder, &files).await;
    let mut out = Vec::new();
    for (path, served) in &lsp {
        let checked = cli.get(path).cloned().unwrap_or_default();
        for missing in checked.difference(served) {
            out.push(format!(
                "{}: only the CLI reports {missing:?}",
                path.display()
            ));
        }
        for extra in served.difference(&checked) {
            out.push(format!(
                "{}: only the editor shows {extra:?}",
                path.display()
            ));
        }
    }
    out
}

/// The folders of `root` that hold files directly.
fn folders_with_files(root: &Path) -> Vec<PathBuf> {
    let mut folders = BTreeSet::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                folders.insert(folder.clone());
            }
        }
    }
    folders.into_iter().collect()
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the workspace root")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_editor_shows_what_the_cli_reports_for_every_fixture_folder() {
    let corpus = workspace_root().join("corpus");
    let folders = folders_with_files(&corpus);
    assert!(folders.len() > 40, "fixture folders: {}", folders.len());
    let mut failures = Vec::new();
    let mut compared = 0;
    for folder in &folders {
        let found = tokio::time::timeout(Duration::from_secs(60), differences(folder))
            .await
            .unwrap_or_else(|_| panic!("{} timed out", folder.display()));
        failures.extend(found);
        compared += 1;
    }
    assert!(
        failures.is_empty(),
        "{} differences over {compared} folders:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_editor_shows_what_the_cli_reports_on_real_repositories() {
    let real = workspace_root().join("../shared/corpus-real");
    if !real.is_dir() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{} is absent, under CI",
            real.display()
        );
        eprintln!("NOTICE: {} is absent; skipping", real.display());
        return;
    }
    let mut failures = Vec::new();
    for kind in ["k8s", "helm", "bicep"] {
        for entry in std::fs::read_dir(real.join(kind))
            .expect("a folder")
            .flatten()
        {
            let folder = entry.path().canonicalize().expect("a folder");
            let found = tokio::time::timeout(Duration::from_secs(300), differences(&folder))
                .await
                .unwrap_or_else(|_| panic!("{} timed out", folder.display()));
            failures.extend(found);
        }
    }
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_editor_shows_what_the_cli_reports_for_whole_kustomize_projects() {
    // Each project as one workspace: its bases and overlays together, every file open.
    let kustomize = workspace_root().join("corpus/kustomize");
    let mut failures = Vec::new();
    let mut compared = 0;
    for entry in std::fs::read_dir(&kustomize).expect("a folder").flatten() {
        let folder = entry.path();
        if !folder.is_dir() {
            continue;
        }
        let found = tokio::time::timeout(Duration::from_secs(60), differences(&folder))
            .await
            .unwrap_or_else(|_| panic!("{} timed out", folder.display()));
        failures.extend(found);
        compared += 1;
    }
    assert!(compared >= 2, "kustomize projects: {compared}");
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
