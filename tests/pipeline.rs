//! The pipeline's promises across formats and runs: one configuration gate by diagnostic code,
//! every finding reported by the rule that owns it, and cross-file facts joined only within a
//! project.

use std::path::{Path, PathBuf};

use akslint_core::Severity;
use akslint_tests::{files_under, lint, workspace_root};

/// The (file name, code, severity) of every finding of a report.
fn findings(report: &akslint_engine::Report) -> Vec<(String, String, Severity)> {
    report
        .diagnostics()
        .map(|d| {
            (
                d.file
                    .path()
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                d.rule.code.to_owned(),
                d.severity,
            )
        })
        .collect()
}

/// Lints a fixture folder of `corpus/` as `akslint check` does.
fn lint_folder(folder: &str) -> akslint_engine::Report {
    let root = workspace_root();
    let paths: Vec<PathBuf> = files_under(&root.join(folder), &["yaml", "bicep", "bicepparam"])
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n != "akslint.yaml"))
        .map(|p| Path::new(folder).join(p))
        .collect();
    lint(&root, &paths)
}

#[test]
fn a_rule_named_in_configuration_runs_in_yaml_and_bicep_alike_though_its_family_is_off() {
    let report = lint_folder("corpus/config/sec009-with-the-secret-family-off");
    assert_eq!(
        findings(&report),
        [
            ("app.yaml".to_owned(), "SEC009".to_owned(), Severity::Error),
            (
                "main.bicep".to_owned(),
                "SEC009".to_owned(),
                Severity::Error
            ),
        ]
    );
}

#[test]
fn turning_off_a_placement_rule_keeps_the_weak_secrets_it_would_have_placed() {
    let report = lint_folder("corpus/config/sec009-with-its-placement-rule-off");
    assert_eq!(
        findings(&report),
        [(
            "app.yaml".to_owned(),
            "SEC009".to_owned(),
            Severity::Warning
        )]
    );
}

/// A pod labelled for workload identity whose ServiceAccount is not in its repository, and a pod
/// without the label whose ServiceAccount name an annotated ServiceAccount of the other
/// repository shares.
const APP: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels:
        app: api
        azure.workload.identity/use: \"true\"
    spec:
      serviceAccountName: api
      containers:
        - name: api
          image: shop/api:1.0
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels:
        app: web
    spec:
      serviceAccountName: web
      containers:
        - name: web
          image: shop/web:1.0
";

/// ServiceAccounts of the same namespace, in an unrelated repository.
const OTHER: &str = "apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
  namespace: shop
  annotations:
    azure.workload.identity/client-id: 5f1c9a0e-3b7d-4c2a-9e61-0d8b4f7a2c13
";

#[test]
fn two_repositories_in_one_run_do_not_share_facts() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (repo, name, text) in [("app", "app.yaml", APP), ("other", "sa.yaml", OTHER)] {
        let folder = dir.path().join(repo);
        std::fs::create_dir_all(folder.join(".git")).expect("a repository");
        std::fs::write(folder.join(name), text).expect("a file");
    }
    let paths = [
        PathBuf::from("app/app.yaml"),
        PathBuf::from("other/sa.yaml"),
    ];
    let together = lint(dir.path(), &paths);
    let alone = lint(dir.path(), &paths[..1]);
    // Alone, the app repository's labelled pod cannot be checked (info), and its unlabelled pod
    // has no annotated ServiceAccount; linted with the other repository, the same.
    assert_eq!(findings(&together), findings(&alone));
    assert_eq!(
        findings(&alone),
        [("app.yaml".to_owned(), "WID003".to_owned(), Severity::Info)]
    );
    assert!(
        together
            .diagnostics()
            .all(|d| d.labels.iter().all(|l| l.file.path().starts_with("app"))),
        "a related location points into the other repository"
    );
    // In one repository, the same files do link: the unlabelled pod gets WID001 pointing at the
    // ServiceAccount, and the labelled one is a warning (its namespace has ServiceAccounts).
    let one = dir.path().join("one");
    std::fs::create_dir_all(one.join(".git")).expect("a repository");
    std::fs::write(one.join("app.yaml"), APP).expect("a file");
    std::fs::write(one.join("sa.yaml"), OTHER).expect("a file");
    let linked = lint(
        dir.path(),
        &[PathBuf::from("one/app.yaml"), PathBuf::from("one/sa.yaml")],
    );
    assert_eq!(
        findings(&linked),
        [
            (
                "app.yaml".to_owned(),
                "WID003".to_owned(),
                Severity::Warning
            ),
            ("app.yaml".to_owned(), "WID001".to_owned(), Severity::Error),
        ]
    );
}

#[test]
fn every_deployment_of_a_large_project_is_evaluated() {
    // 2,100 templates in one project (one repository): each is a deployment with a budget of
    // its own, so the last is checked like the first (a budget per run stopped at 2,000).
    let texts: Vec<(String, String)> = (0..2_100)
        .map(|i| {
            (
                format!("clusters/aks{i:04}.bicep"),
                format!(
                    "resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {{\n  name: 'aks-{i}'\n  location: 'westeurope'\n  properties: {{\n    dnsPrefix: 'aks{i}'\n    disableLocalAccounts: false\n  }}\n}}\n"
                ),
            )
        })
        .collect();
    let files: Vec<(&str, &str)> = texts
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect();
    let report = akslint_tests::lint_texts(&files);
    let with_auth002: std::collections::BTreeSet<String> = report
        .diagnostics()
        .filter(|d| d.rule.code == "AUTH002")
        .map(|d| d.file.path().display().to_string())
        .collect();
    assert_eq!(with_auth002.len(), 2_100, "templates with AUTH002");
    assert!(
        report
            .notices
            .iter()
            .all(|n| !n.message.contains("instances")),
        "{:?}",
        report.notices
    );
}
