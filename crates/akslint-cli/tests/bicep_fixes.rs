//! Bicep fixes and cluster findings end to end, with the real `akslint` binary: every `fix/`
//! fixture folder of the corpus (`corpus/<family>/<rule>/fix/`, where every finding has a fix) is
//! fixed with `akslint check --fix --unsafe-fixes` in a scratch copy, and must come out clean,
//! still parsing, with nothing left to fix.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::*;

/// Every `corpus/<family>/<rule>/fix` folder.
fn fix_folders() -> Vec<PathBuf> {
    let corpus = workspace().join("corpus");
    let mut folders = Vec::new();
    for family in fs::read_dir(&corpus).expect("corpus/").flatten() {
        for rule in fs::read_dir(family.path()).into_iter().flatten().flatten() {
            let fix = rule.path().join("fix");
            if fix.is_dir() {
                folders.push(fix);
            }
        }
    }
    folders.sort();
    folders
}

/// A scratch copy of a folder's files (not its subfolders).
fn copy_of(folder: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in fs::read_dir(folder).expect("fixture folder").flatten() {
        if entry.path().is_file() {
            fs::copy(entry.path(), dir.path().join(entry.file_name())).expect("copy");
        }
    }
    dir
}

/// The texts of a folder's files, by name.
fn texts(dir: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = fs::read_dir(dir)
        .expect("read dir")
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| {
            let text = fs::read_to_string(e.path()).expect("read");
            (e.file_name().to_string_lossy().into_owned(), text)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn every_bicep_fix_fixture_is_fixed_and_still_parses() {
    let folders = fix_folders();
    assert!(
        folders.len() >= 5,
        "expected the cluster rules' fix folders, found {folders:?}"
    );
    for folder in folders {
        let rule_folder = folder
            .parent()
            .and_then(Path::file_name)
            .expect("rule folder");
        let code = rule_folder
            .to_string_lossy()
            .split('-')
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        let dir = copy_of(&folder);
        let original = texts(dir.path());

        let before = json(&akslint_in(dir.path(), &["check", "--format", "json"], b""));
        let findings = before["findings"].as_array().expect("findings");
        assert!(
            codes(&before).contains(&code),
            "{}: no {code} finding to fix",
            folder.display()
        );
        for finding in findings {
            let edits = finding["fix"]["edits"].as_array().unwrap_or_else(|| {
                panic!("{}: a finding without a fix: {finding}", folder.display())
            });
            let offsets: Vec<(u64, u64)> = edits
                .iter()
                .map(|e| {
                    (
                        e["start"]["offset"].as_u64().unwrap_or_default(),
                        e["end"]["offset"].as_u64().unwrap_or_default(),
                    )
                })
                .collect();
            assert!(
                offsets
                    .windows(2)
                    .all(|pair| pair[0].1 <= pair[1].0 && pair[0].0 < pair[1].0),
                "{}: edits overlap or are out of order: {finding}",
                folder.display()
            );
        }

        let fixed = akslint_in(
            dir.path(),
            &["check", "--fix", "--unsafe-fixes", "--format", "json"],
            b"",
        );
        assert_eq!(
            codes(&json(&fixed)),
            Vec::<String>::new(),
            "{}: findings left after fixing (or the fixed file does not parse); stderr: {}",
            folder.display(),
            stderr(&fixed)
        );
        assert_eq!(fixed.status.code(), Some(0), "{}", folder.display());
        assert!(
            !stderr(&fixed).contains("would not parse"),
            "{}: {}",
            folder.display(),
            stderr(&fixed)
        );
        assert_ne!(
            texts(dir.path()),
            original,
            "{}: nothing changed",
            folder.display()
        );
        let again = akslint_in(dir.path(), &["check", "--diff", "--unsafe-fixes"], b"");
        assert_eq!(again.status.code(), Some(0), "{}", folder.display());
        assert!(stdout(&again).is_empty(), "{}", folder.display());
    }
}

#[test]
fn workload_identity_settings_missing_from_one_object_are_inserted_in_one_edit() {
    let dir =
        copy_of(&workspace().join("corpus/wid/wid002-cluster-workload-identity-disabled/fix"));
    let report = json(&akslint_in(dir.path(), &["check", "--format", "json"], b""));
    let neither = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| {
            f["message"]
                .as_str()
                .unwrap_or_default()
                .contains("`neither`")
        })
        .expect("the finding on `neither`");
    let edits = neither["fix"]["edits"].as_array().expect("edits");
    assert_eq!(edits.len(), 1, "{neither}");
    let inserted = edits[0]["replacement"].as_str().unwrap_or_default();
    assert!(
        inserted.starts_with("oidcIssuerProfile: {\n      enabled: true\n    }\n    securityProfile: {\n      workloadIdentity: {\n        enabled: true\n      }\n    }\n"),
        "{inserted}"
    );
    assert_eq!(neither["fix"]["applicability"], "safe");
}

#[test]
fn a_service_principal_secret_written_in_the_template_is_never_printed() {
    // A made-up secret in the shape of an Entra ID client secret.
    let secret = "Xq7~Lm2vR9tBw4KpZ8sN3dFh6JyC1gUe5aVo0iTr";
    let template = format!(
        "resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {{\n  name: 'aks-sp'\n  location: 'westeurope'\n  properties: {{\n    dnsPrefix: 'aks-sp'\n    servicePrincipalProfile: {{\n      clientId: '5c1e8b3a-94d7-4f26-b0a5-7e2d9c6f1a48'\n      secret: '{secret}'\n    }}\n  }}\n}}\n"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("main.bicep"), template).expect("write");
    for format in ["human", "json", "sarif", "github", "junit"] {
        let output = akslint_in(
            dir.path(),
            &["check", "--format", format, "--color", "never"],
            b"",
        );
        let shown = stdout(&output);
        assert!(shown.contains("WID006"), "{format}: {shown}");
        assert!(
            !shown.contains(secret),
            "{format} shows the secret: {shown}"
        );
        assert!(!stderr(&output).contains(secret), "{format}");
    }
}
