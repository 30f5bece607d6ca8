//! Fixes of a Helm chart's findings, as `akslint check --fix --unsafe-fixes` applies them: on the
//! fixture chart `corpus/wid/wid001-workload-identity-label-missing/helm-chart-fixes`, the
//! missing label of a pod template written in the template is added there, and the label value
//! that `values.yaml` wrote is set there; the chart rendered again has neither finding. The pod
//! labels written by `include` or `toYaml`, and a value built by `printf`, get no fix.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use akslint_engine::Report;
use akslint_tests::{corpus_runs, fix_all, lint, workspace_root, write_files};

const CHART: &str = "corpus/wid/wid001-workload-identity-label-missing/helm-chart-fixes";

/// The chart's WID001 findings: (file name, whether it has a fix).
fn wid001(report: &Report) -> BTreeSet<(String, bool)> {
    report
        .files
        .iter()
        .flat_map(|f| &f.diagnostics)
        .filter(|d| d.rule.code == "WID001")
        .map(|d| {
            let name = d.file.path().file_name().unwrap().to_string_lossy();
            (name.into_owned(), d.fix.is_some())
        })
        .collect()
}

fn chart_paths() -> Vec<PathBuf> {
    corpus_runs()
        .remove(Path::new(CHART))
        .expect("the fixture chart is a corpus run")
}

#[test]
fn fixes_land_in_the_template_and_values_yaml_and_only_on_literals() {
    let root = workspace_root();
    let paths = chart_paths();
    let owned = |items: &[(&str, bool)]| -> BTreeSet<(String, bool)> {
        items.iter().map(|(n, f)| ((*n).to_owned(), *f)).collect()
    };
    assert_eq!(
        wid001(&lint(&root, &paths)),
        owned(&[
            ("batch.yaml", false),
            ("report.yaml", false),
            ("values.yaml", true),
            ("web.yaml", false),
            ("worker.yaml", true),
        ])
    );
    let fixed = fix_all(&root, &paths);
    assert!(fixed.refused.is_empty(), "{:?}", fixed.refused);
    let changed: Vec<String> = fixed
        .changes
        .keys()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(changed, ["worker.yaml", "values.yaml"]);
    for (path, (before, after)) in &fixed.changes {
        let expected = if path.ends_with("values.yaml") {
            before.replace("workloadIdentity: false", "workloadIdentity: true")
        } else {
            before.replace(
                "      labels:  # expect: WID001\n        app: worker\n",
                "      labels:  # expect: WID001\n        azure.workload.identity/use: \"true\"\n        app: worker\n",
            )
        };
        assert_ne!(before, after);
        assert_eq!(after, &expected, "{}", path.display());
    }
    // The final report is of the chart rendered with the fixed texts.
    assert_eq!(
        wid001(&fixed.report),
        owned(&[
            ("batch.yaml", false),
            ("report.yaml", false),
            ("web.yaml", false)
        ])
    );
}

/// The pod template of `api` labelled with `api.workloadIdentity`, which a values set's file
/// sets to `false`: the finding of that set is placed at the key of the set's file, with a fix
/// there; the chart's values.yaml is left as it is.
#[test]
fn a_fix_lands_in_the_values_set_file_that_wrote_the_value() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let files = [
        (
            "web/Chart.yaml",
            "apiVersion: v2\nname: web\nversion: 1.0.0\n",
        ),
        (
            "web/values.yaml",
            "clientId: 3d1e7a52-9c4b-4f08-b6e2-71a5c0d9e842\napi:\n  workloadIdentity: true\n",
        ),
        ("web/values-prod.yaml", "api:\n  workloadIdentity: false\n"),
        (
            "akslint.yaml",
            "helm:\n  charts:\n    - path: web\n      values-sets:\n        - name: prod\n          values: [values-prod.yaml]\n",
        ),
        (
            "web/templates/serviceaccount.yaml",
            "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {{ .Release.Name }}-app\n  annotations:\n    azure.workload.identity/client-id: {{ .Values.clientId | quote }}\n",
        ),
        (
            "web/templates/api.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-api\nspec:\n  template:\n    metadata:\n      labels:\n        app: api\n        azure.workload.identity/use: {{ .Values.api.workloadIdentity | quote }}\n    spec:\n      serviceAccountName: {{ .Release.Name }}-app\n      containers:\n        - name: api\n          image: contoso.azurecr.io/api:2.0\n",
        ),
    ];
    write_files(root, &files);
    let paths: Vec<PathBuf> = [
        "web/values.yaml",
        "web/values-prod.yaml",
        "web/templates/serviceaccount.yaml",
        "web/templates/api.yaml",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    let found = wid001(&lint(root, &paths));
    assert_eq!(
        found,
        BTreeSet::from([("values-prod.yaml".to_owned(), true)])
    );
    let fixed = fix_all(root, &paths);
    assert!(fixed.refused.is_empty(), "{:?}", fixed.refused);
    let changed: Vec<(&PathBuf, &String)> = fixed
        .changes
        .iter()
        .map(|(path, (_, after))| (path, after))
        .collect();
    assert_eq!(
        changed,
        [(
            &PathBuf::from("web/values-prod.yaml"),
            &"api:\n  workloadIdentity: true\n".to_owned()
        )]
    );
    assert!(wid001(&fixed.report).is_empty());
}
