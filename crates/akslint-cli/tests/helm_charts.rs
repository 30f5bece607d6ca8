//! Helm charts linted from source, end to end: the three cases of issue 12 (a token written in a
//! template, a password of `values.yaml` printed into an env var, a pod template without the
//! workload identity label) reported at the template line and the values key in every output
//! format, no `PARSE` finding on valid templates, no secret printed whole; and the same places
//! when pre-commit names the changed files.

use std::path::Path;

mod common;
use common::{akslint_in, code_file_line, json};

#[allow(dead_code)]
#[path = "../../akslint-helm/tests/support/fixtures.rs"]
mod fixtures;

/// The token the deployment template writes itself.
const TOKEN: &str = "ghp_Mw4Rt8Kq2Zx6Lb9Nc3Vd7Hj1Fs5Gp0YaEuT";
/// The password `values.yaml` gives the deployment.
const PASSWORD: &str = "Tq9mVx3LwZ7rKc2NbP5h";

/// The chart `web`'s Chart.yaml.
const CHART_YAML: (&str, &str) = (
    "web/Chart.yaml",
    "apiVersion: v2\nname: web\nversion: 1.0.0\n",
);

/// Writes `files` (path under `dir`, text).
fn write(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
}

/// A chart `web` whose templates use helpers (`include … | nindent`): its ServiceAccount is
/// federated with a managed identity, its Deployment runs as it without the label, writes a
/// GitHub token (line 22) and prints `db.password` (values.yaml line 7) at line 24.
fn chart() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        &[
            CHART_YAML,
            (
                "web/values.yaml",
                &format!(
                    "image:\n  repository: contoso.azurecr.io/web\n  tag: \"1.4.2\"\nidentity:\n  clientId: 2b7e4c19-8d3a-4f52-9e61-c0a7d5b3f814\ndb:\n  password: {PASSWORD}\n"
                ),
            ),
            (
                "web/templates/_helpers.tpl",
                "{{- define \"web.fullname\" -}}\n{{- printf \"%s-%s\" .Release.Name .Chart.Name | trunc 63 | trimSuffix \"-\" -}}\n{{- end }}\n{{- define \"web.labels\" -}}\napp.kubernetes.io/name: {{ .Chart.Name }}\napp.kubernetes.io/instance: {{ .Release.Name }}\n{{- end }}\n",
            ),
            (
                "web/templates/serviceaccount.yaml",
                "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {{ include \"web.fullname\" . }}\n  annotations:\n    azure.workload.identity/client-id: {{ .Values.identity.clientId | quote }}\n",
            ),
            (
                "web/templates/deployment.yaml",
                &format!(
                    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{{{ include \"web.fullname\" . }}}}\n  labels:\n    {{{{- include \"web.labels\" . | nindent 4 }}}}\nspec:\n  selector:\n    matchLabels:\n      {{{{- include \"web.labels\" . | nindent 6 }}}}\n  template:\n    metadata:\n      labels:\n        {{{{- include \"web.labels\" . | nindent 8 }}}}\n    spec:\n      serviceAccountName: {{{{ include \"web.fullname\" . }}}}\n      containers:\n        - name: web\n          image: \"{{{{ .Values.image.repository }}}}:{{{{ .Values.image.tag }}}}\"\n          env:\n            - name: GITHUB_TOKEN\n              value: \"{TOKEN}\"\n            - name: DB_PASSWORD\n              value: {{{{ .Values.db.password | quote }}}}\n"
                ),
            ),
        ],
    );
    dir
}

const DEPLOYMENT: &str = "web/templates/deployment.yaml";
const VALUES: &str = "web/values.yaml";

/// An expected finding: code, file, line, column, and the related place (file, line, column)
/// that must come with it.
type Expected = (
    &'static str,
    &'static str,
    u64,
    u64,
    Option<(&'static str, u64, u64)>,
);

/// The expected findings of the chart.
const EXPECTED: &[Expected] = &[
    // The pod template's `labels:` key.
    ("WID001", DEPLOYMENT, 13, 7, None),
    // The token, in the template's own text.
    ("SEC001", DEPLOYMENT, 22, 23, None),
    // The password at its key in values.yaml, the template's action related.
    ("SEC001", VALUES, 7, 13, Some((DEPLOYMENT, 24, 25))),
];

/// Stdout and stderr of a run, checked to hold no secret whole.
fn run(dir: &Path, args: &[&str]) -> String {
    let output = akslint_in(dir, args, b"");
    assert_eq!(
        output.status.code(),
        Some(1),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    for secret in [TOKEN, PASSWORD] {
        assert!(
            !all.contains(secret),
            "{args:?} prints a secret whole: {all}"
        );
    }
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A finding of a JSON report.
#[derive(Debug)]
struct Found {
    code: String,
    file: String,
    line: u64,
    column: u64,
    message: String,
    /// Its related places as `file:line:column`.
    related: Vec<String>,
    /// Its related places as `file: message`.
    related_messages: Vec<String>,
}

/// Every finding of a JSON report.
fn json_findings(report: &serde_json::Value) -> Vec<Found> {
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let (code, file, line) = code_file_line(f);
            let labels = f["labels"].as_array().expect("labels");
            Found {
                code,
                file,
                line,
                column: f["start"]["column"].as_u64().unwrap_or_default(),
                message: text(&f["message"]),
                related: labels
                    .iter()
                    .map(|l| {
                        let at = &l["start"];
                        format!("{}:{}:{}", text(&l["file"]), at["line"], at["column"])
                    })
                    .collect(),
                related_messages: labels
                    .iter()
                    .map(|l| format!("{}: {}", text(&l["file"]), text(&l["message"])))
                    .collect(),
            }
        })
        .collect()
}

/// The JSON report of `akslint check FILE` and its findings as (code, file, line).
fn named_alone(dir: &Path, file: &str) -> (serde_json::Value, Vec<(String, String, u64)>) {
    let report = json(&akslint_in(dir, &["check", "--format", "json", file], b""));
    let found = json_findings(&report)
        .into_iter()
        .map(|f| (f.code, f.file, f.line))
        .collect();
    (report, found)
}

/// Asserts a JSON report holds exactly the expected findings, at their places.
fn assert_json(stdout: &str, expected: &[Expected]) {
    let report: serde_json::Value = serde_json::from_str(stdout).expect("JSON");
    let found = json_findings(&report);
    assert_eq!(found.len(), expected.len(), "{found:#?}");
    for (code, file, line, column, related) in expected {
        let finding = found
            .iter()
            .find(|f| {
                (f.code.as_str(), f.file.as_str(), f.line, f.column)
                    == (*code, *file, *line, *column)
            })
            .unwrap_or_else(|| panic!("{code} at {file}:{line}:{column} not in {found:#?}"));
        if let Some((file, line, column)) = related {
            let place = format!("{file}:{line}:{column}");
            assert!(
                finding.related.contains(&place),
                "{place} not in {finding:?}"
            );
        }
    }
    assert!(
        !found.iter().any(|f| f.code.starts_with("PARSE")),
        "{found:#?}"
    );
}

/// Asserts a SARIF report holds the expected findings at their places (related places as
/// `relatedLocations`).
fn assert_sarif(stdout: &str, expected: &[Expected]) {
    let report: serde_json::Value = serde_json::from_str(stdout).expect("SARIF");
    let results = report["runs"][0]["results"].as_array().expect("results");
    let place = |location: &serde_json::Value| {
        let physical = &location["physicalLocation"];
        format!(
            "{}:{}:{}",
            physical["artifactLocation"]["uri"]
                .as_str()
                .unwrap_or_default(),
            physical["region"]["startLine"],
            physical["region"]["startColumn"]
        )
    };
    assert_eq!(results.len(), expected.len(), "{results:#?}");
    for (code, file, line, column, related) in expected {
        let at = format!("{file}:{line}:{column}");
        let result = results
            .iter()
            .find(|r| r["ruleId"] == *code && place(&r["locations"][0]) == at)
            .unwrap_or_else(|| panic!("{code} at {at} not in {results:#?}"));
        if let Some((file, line, column)) = related {
            let places: Vec<String> = result["relatedLocations"]
                .as_array()
                .expect("related locations")
                .iter()
                .map(place)
                .collect();
            assert!(
                places.contains(&format!("{file}:{line}:{column}")),
                "{places:?}"
            );
        }
    }
    assert!(
        !results.iter().any(|r| r["ruleId"]
            .as_str()
            .is_some_and(|id| id.starts_with("PARSE"))),
        "{results:#?}"
    );
}

/// Asserts a text report names every expected place as `file:line:column` (human, JUnit) or as
/// workflow command properties (GitHub), related places too where the format shows them, and
/// no other finding.
fn assert_text(format: &str, stdout: &str, expected: &[Expected]) {
    for (code, file, line, column, related) in expected {
        let place = match format {
            "github" => format!("file={file},line={line},col={column},"),
            _ => format!("{file}:{line}:{column}"),
        };
        assert!(
            stdout.contains(&place),
            "{format}: {code} at {place} not in {stdout}"
        );
        if format == "human"
            && let Some((file, line, column)) = related
        {
            let place = format!("{file}:{line}:{column}");
            assert!(stdout.contains(&place), "{place} not in {stdout}");
        }
    }
    assert!(!stdout.contains("PARSE0"), "{format}: {stdout}");
    // Each finding is one workflow command, one JUnit failure (one rule per file here), one
    // human heading (the rule and its page).
    let findings = match format {
        "github" => stdout.lines().filter(|l| l.starts_with("::error ")).count(),
        "junit" => stdout.matches("<failure ").count(),
        _ => stdout
            .matches(" (https://github.com/akslint/akslint/blob/main/rules/")
            .count(),
    };
    assert_eq!(findings, expected.len(), "{format}: {stdout}");
}

fn assert_format(format: &str, stdout: &str, expected: &[Expected]) {
    match format {
        "json" => assert_json(stdout, expected),
        "sarif" => assert_sarif(stdout, expected),
        _ => assert_text(format, stdout, expected),
    }
}

/// The output formats of `akslint check --format`.
const FORMATS: [&str; 5] = ["human", "json", "sarif", "github", "junit"];

#[test]
fn the_three_cases_are_placed_in_the_chart_in_every_format() {
    let dir = chart();
    for format in FORMATS {
        let stdout = run(
            dir.path(),
            &["check", "--format", format, "--color", "never", "."],
        );
        assert_format(format, &stdout, EXPECTED);
    }
}

#[test]
fn files_named_as_pre_commit_names_them_give_the_same_places() {
    let dir = chart();
    // (The hook passes YAML, JSON and Bicep files, and a chart's helpers, text templates and
    // packed dependencies: see the next test.)
    let named = [
        "web/templates/deployment.yaml",
        "web/templates/serviceaccount.yaml",
        VALUES,
    ];
    for format in FORMATS {
        let mut args = vec!["check", "--format", format, "--color", "never"];
        args.extend(named);
        let stdout = run(dir.path(), &args);
        assert_format(format, &stdout, EXPECTED);
    }
    // The template named alone: its findings, the password in values.yaml (which joins the
    // run for it); the label needs the ServiceAccount's template, not in the run.
    let (report, found) = named_alone(dir.path(), DEPLOYMENT);
    assert_eq!(
        found,
        [
            ("SEC001".to_owned(), DEPLOYMENT.to_owned(), 22),
            ("SEC001".to_owned(), VALUES.to_owned(), 7)
        ],
        "{report}"
    );
}

/// A chart's file that is no YAML template, named alone (pre-commit names `_helpers.tpl` when a
/// commit changes only it; a packed dependency, `Chart.yaml`, `values.schema.json`): the chart
/// it belongs to is linted, its templates and values.yaml as if named. The same files outside a
/// chart are left out with a note, not refused.
#[test]
fn a_helper_text_template_or_packed_dependency_named_alone_lints_its_chart() {
    let dir = chart();
    write(
        dir.path(),
        &[
            (
                "web/templates/NOTES.txt",
                "{{ include \"web.fullname\" . }} is installed.\n",
            ),
            ("web/values.schema.json", r#"{"type": "object"}"#),
        ],
    );
    fixtures::pack(
        &dir.path().join("web/charts/cache-1.0.0.tgz"),
        "cache",
        &[
            (
                "Chart.yaml",
                "apiVersion: v2\nname: cache\nversion: 1.0.0\n",
            ),
            (
                "templates/cm.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cache\ndata:\n  mode: lru\n",
            ),
        ],
    );
    for named in [
        "web/templates/_helpers.tpl",
        "web/templates/NOTES.txt",
        "web/charts/cache-1.0.0.tgz",
        "web/Chart.yaml",
        "web/values.schema.json",
    ] {
        for format in ["json", "human"] {
            let stdout = run(
                dir.path(),
                &["check", "--format", format, "--color", "never", named],
            );
            assert_format(format, &stdout, EXPECTED);
        }
    }
    // Named from the chart's own folder, and from its templates/ folder.
    let report = json(&akslint_in(
        &dir.path().join("web/templates"),
        &["check", "--format", "json", "_helpers.tpl"],
        b"",
    ));
    let mut found: Vec<_> = json_findings(&report)
        .into_iter()
        .map(|f| (f.code, f.file, f.line))
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            ("SEC001".to_owned(), "../values.yaml".to_owned(), 7),
            ("SEC001".to_owned(), "deployment.yaml".to_owned(), 22),
            ("WID001".to_owned(), "deployment.yaml".to_owned(), 13),
        ],
        "{report}"
    );
    // Files named as a chart's are, in no chart: a note each, nothing linted, no error.
    write(
        dir.path(),
        &[
            ("tools/release.tpl", "{{ .Version }}\n"),
            ("docs/templates/intro.txt", "Hello\n"),
            ("dist/web-1.0.0.tgz", "not an archive"),
        ],
    );
    let output = akslint_in(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "tools/release.tpl",
            "docs/templates/intro.txt",
            "dist/web-1.0.0.tgz",
        ],
        b"",
    );
    let messages = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(0), "{messages}");
    assert_eq!(json(&output)["summary"]["files"], 0);
    for file in [
        "tools/release.tpl",
        "docs/templates/intro.txt",
        "dist/web-1.0.0.tgz",
    ] {
        assert!(
            messages.contains(&format!("{file}: not linted: named as a Helm chart's")),
            "{messages}"
        );
    }
}

#[test]
fn a_run_from_the_charts_own_folder_gives_the_same_places() {
    let dir = chart();
    let in_chart = dir.path().join("web");
    let expected: Vec<(String, String, u64)> = EXPECTED
        .iter()
        .map(|(code, file, line, ..)| {
            let file = file.strip_prefix("web/").expect("in the chart");
            (code.to_string(), file.to_owned(), *line)
        })
        .collect();
    // The chart's root is the current folder: its templates are rendered, not read as YAML.
    for named in [
        &["."][..],
        &[
            "templates/deployment.yaml",
            "templates/serviceaccount.yaml",
            "values.yaml",
        ][..],
    ] {
        let mut args = vec!["check", "--format", "json"];
        args.extend(named);
        let report: serde_json::Value = serde_json::from_str(&run(&in_chart, &args)).expect("JSON");
        let mut found: Vec<_> = json_findings(&report)
            .into_iter()
            .map(|f| (f.code, f.file, f.line))
            .collect();
        found.sort();
        let mut expected = expected.clone();
        expected.sort();
        assert_eq!(found, expected, "{named:?}: {report}");
    }
}

/// A run from inside a chart's `templates/` folder, or a folder below it, finds the chart above
/// and renders it: no template is read as plain YAML (no `PARSE001` flood), and the findings are
/// at the same places, named from the current folder.
#[test]
fn a_run_from_inside_the_charts_templates_folder_renders_the_chart() {
    let dir = chart();
    let templates = dir.path().join("web/templates");
    let sorted = |report: &serde_json::Value| {
        let mut found: Vec<_> = json_findings(report)
            .into_iter()
            .map(|f| (f.code, f.file, f.line))
            .collect();
        found.sort();
        found
    };
    let expected = |files: [&str; 2]| {
        vec![
            ("SEC001".to_owned(), files[0].to_owned(), 7),
            ("SEC001".to_owned(), files[1].to_owned(), 22),
            ("WID001".to_owned(), files[1].to_owned(), 13),
        ]
    };
    for named in [&["."][..], &["deployment.yaml", "serviceaccount.yaml"][..]] {
        let mut args = vec!["check", "--format", "json"];
        args.extend(named);
        let report: serde_json::Value =
            serde_json::from_str(&run(&templates, &args)).expect("JSON");
        assert_eq!(
            sorted(&report),
            expected(["../values.yaml", "deployment.yaml"]),
            "{named:?}: {report}"
        );
    }
    // A folder below templates/: its own template and those named above it.
    write(
        &templates,
        &[(
            "jobs/migrate.yaml",
            &format!(
                "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {{{{ include \"web.fullname\" . }}}}-migrate\nspec:\n  template:\n    spec:\n      containers:\n        - name: migrate\n          image: contoso.azurecr.io/web:1.4.2\n          env:\n            - name: GITHUB_TOKEN\n              value: \"{TOKEN}\"\n"
            ),
        )],
    );
    let jobs = templates.join("jobs");
    for named in [&["."][..], &["migrate.yaml"][..]] {
        let mut args = vec!["check", "--format", "json"];
        args.extend(named);
        let report: serde_json::Value = serde_json::from_str(&run(&jobs, &args)).expect("JSON");
        assert_eq!(
            sorted(&report),
            [("SEC001".to_owned(), "migrate.yaml".to_owned(), 13)],
            "{named:?}: {report}"
        );
    }
    let report: serde_json::Value = serde_json::from_str(&run(
        &jobs,
        &[
            "check",
            "--format",
            "json",
            "../deployment.yaml",
            "migrate.yaml",
        ],
    ))
    .expect("JSON");
    assert_eq!(
        sorted(&report),
        [
            ("SEC001".to_owned(), "../../values.yaml".to_owned(), 7),
            ("SEC001".to_owned(), "../deployment.yaml".to_owned(), 22),
            ("SEC001".to_owned(), "migrate.yaml".to_owned(), 13),
        ],
        "{report}"
    );
}

/// The `chart` field and the message's end of the JSON finding at `file:line` of `code`.
fn chart_of(report: &serde_json::Value, code: &str, file: &str, line: u64) -> (String, String) {
    let finding = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["code"] == code && f["file"] == file && f["start"]["line"] == line)
        .unwrap_or_else(|| panic!("{code} at {file}:{line} not in {report}"));
    (
        finding["chart"].to_string(),
        finding["message"].as_str().unwrap_or_default().to_owned(),
    )
}

/// A chart finding names the rendered objects (when its message does not) and, when the chart
/// renders with several values sets, the sets that have it; the JSON finding carries both.
#[test]
fn chart_findings_name_their_objects_and_values_sets() {
    let dir = chart();
    // One values set: the message names the object already; the set is not named.
    let report = json(&akslint_in(dir.path(), &["check", "--format", "json"], b""));
    let (chart, message) = chart_of(&report, "SEC001", DEPLOYMENT, 22);
    assert_eq!(
        chart,
        r#"{"objects":["Deployment release-name-web"],"values_sets":["default"]}"#
    );
    assert!(
        message.contains("in Deployment release-name-web"),
        "{message}"
    );
    assert!(!message.contains("values set"), "{message}");
    // A job prints the same password, and akslint.yaml adds the set `prod` whose file gives
    // another password.
    write(
        dir.path(),
        &[
            (
                "web/templates/job.yaml",
                "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {{ include \"web.fullname\" . }}-migrate\nspec:\n  template:\n    spec:\n      serviceAccountName: {{ include \"web.fullname\" . }}\n      containers:\n        - name: migrate\n          image: contoso.azurecr.io/web:1.4.2\n          env:\n            - name: DB_PASSWORD\n              value: {{ .Values.db.password | quote }}\n",
            ),
            (
                "web/values-prod.yaml",
                "db:\n  password: Hn5Rw8Tq2Kz7Vm3Lx9Pc\n",
            ),
            (
                "akslint.yaml",
                "helm:\n  charts:\n    - path: web\n      values-sets:\n        - name: prod\n          values: [values-prod.yaml]\n",
            ),
        ],
    );
    let output = akslint_in(dir.path(), &["check", "--format", "json"], b"");
    assert!(!String::from_utf8_lossy(&output.stdout).contains("Hn5Rw8Tq2Kz7Vm3Lx9Pc"));
    let report = json(&output);
    // The token: in both sets, once, naming both.
    let (chart, message) = chart_of(&report, "SEC001", DEPLOYMENT, 22);
    assert_eq!(
        chart,
        r#"{"objects":["Deployment release-name-web"],"values_sets":["default","prod"]}"#
    );
    assert!(
        message.ends_with("(values sets `default` and `prod`)"),
        "{message}"
    );
    // The password of values.yaml: in the set `default` only (prod gives its own), printed
    // into two objects, which the message names besides the one it names already.
    let (chart, message) = chart_of(&report, "SEC001", VALUES, 7);
    assert_eq!(
        chart,
        r#"{"objects":["Deployment release-name-web","Job release-name-web-migrate"],"values_sets":["default"]}"#
    );
    assert!(
        message.ends_with(
            "(rendered as Deployment release-name-web and Job release-name-web-migrate, values set `default`)"
        ),
        "{message}"
    );
    // The set's own password, at its key in values-prod.yaml (and not also as a secret of a
    // plain YAML file there).
    let (chart, message) = chart_of(&report, "SEC001", "web/values-prod.yaml", 2);
    assert!(chart.contains(r#""values_sets":["prod"]"#), "{chart}");
    assert!(message.ends_with("values set `prod`)"), "{message}");
    let in_prod: Vec<_> = json_findings(&report)
        .into_iter()
        .filter(|f| f.file == "web/values-prod.yaml")
        .map(|f| f.code)
        .collect();
    assert_eq!(in_prod, ["SEC001"], "{report}");
}

/// A values file named alone (pre-commit, when a commit changes only it): the chart's templates
/// are rendered for it and the findings at its keys reported, with the templates related; the
/// templates' own findings are not the run's. So for `values.yaml` and for a set's values file.
#[test]
fn a_values_file_named_alone_is_linted_through_its_chart() {
    let dir = chart();
    let in_values = &EXPECTED[2..];
    for format in FORMATS {
        let stdout = run(
            dir.path(),
            &["check", "--format", format, "--color", "never", VALUES],
        );
        assert_format(format, &stdout, in_values);
    }
    let report = json(&akslint_in(
        dir.path(),
        &["check", "--format", "json", VALUES],
        b"",
    ));
    assert_eq!(report["summary"]["files"], 1, "{report}");
    // A values set's file, named alone.
    write(
        dir.path(),
        &[
            (
                "web/values-prod.yaml",
                "db:\n  password: Hn5Rw8Tq2Kz7Vm3Lx9Pc\n",
            ),
            (
                "akslint.yaml",
                "helm:\n  charts:\n    - path: web\n      values-sets:\n        - name: prod\n          values: [values-prod.yaml]\n",
            ),
        ],
    );
    let (report, found) = named_alone(dir.path(), "web/values-prod.yaml");
    assert_eq!(
        found,
        [("SEC001".to_owned(), "web/values-prod.yaml".to_owned(), 2)],
        "{report}"
    );
    let message = report["findings"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(message.ends_with("(values set `prod`)"), "{message}");
}

/// The admin key the packed dependency's own values.yaml gives it.
const ADMIN_KEY: &str = "Ak3Xv8Qm2Wz7Lp4Nc9Rt";
/// The token the packed dependency's template writes.
const CACHE_TOKEN: &str = "ghp_Jq5Wn2Lx8Rv4Kt7Mz1Bc6Hd3Fp9Ys0GaEuX";
/// The password the parent's values.yaml gives the packed dependency.
const CACHE_PASSWORD: &str = "Pw7Kd2Xq9Lm4Zt8Rb3Vn";

/// The findings a packed dependency's template gives are never lost: at the parent's values key
/// when the parent's values.yaml wrote the value, else at the archive's start with the file
/// inside it and its line in the message; in every format, no secret printed.
#[test]
fn a_packed_dependencys_findings_are_placed_at_the_values_key_or_the_archive() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        &[
            CHART_YAML,
            (
                "web/values.yaml",
                &format!("cache:\n  password: {CACHE_PASSWORD}\n"),
            ),
            (
                "web/templates/cm.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-web\ndata:\n  mode: \"a\"\n",
            ),
        ],
    );
    let values = format!("password: \"\"\nadminKey: {ADMIN_KEY}\n");
    let template = format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{{{ .Release.Name }}}}-cache\nspec:\n  template:\n    spec:\n      containers:\n        - name: cache\n          image: contoso.azurecr.io/cache:1.0\n          env:\n            - name: CACHE_PASSWORD\n              value: {{{{ .Values.password | quote }}}}\n            - name: ADMIN_KEY\n              value: {{{{ .Values.adminKey | quote }}}}\n            - name: GITHUB_TOKEN\n              value: \"{CACHE_TOKEN}\"\n"
    );
    fixtures::pack(
        &dir.path().join("web/charts/cache-1.0.0.tgz"),
        "cache",
        &[
            (
                "Chart.yaml",
                "apiVersion: v2\nname: cache\nversion: 1.0.0\n",
            ),
            ("values.yaml", &values),
            ("templates/deployment.yaml", &template),
        ],
    );
    const ARCHIVE: &str = "web/charts/cache-1.0.0.tgz";
    let report = json(&akslint_in(dir.path(), &["check", "--format", "json"], b""));
    let found = json_findings(&report);
    assert_eq!(found.len(), 3, "{found:#?}");
    let at = |file: &str, ends: &str| {
        found
            .iter()
            .find(|f| f.code == "SEC001" && f.file == file && f.message.ends_with(ends))
            .unwrap_or_else(|| panic!("SEC001 in {file} ending {ends:?} not in {found:#?}"))
    };
    // The parent's values.yaml wrote the password: at its key, the archive's template related.
    let password = at(VALUES, "can use it");
    assert_eq!(password.line, 2, "{password:?}");
    assert_eq!(
        password.related_messages,
        [format!(
            "{ARCHIVE}: the template writes it here (at templates/deployment.yaml:13 inside {ARCHIVE})"
        )]
    );
    // The token the archive's template writes, the key its own values.yaml gives: at the
    // archive's start, with the file inside it and the line.
    let token = at(
        ARCHIVE,
        &format!("(at templates/deployment.yaml:17 inside {ARCHIVE})"),
    );
    assert_eq!(token.line, 1);
    let key = at(ARCHIVE, &format!("(at values.yaml:2 inside {ARCHIVE})"));
    assert!(key.message.contains("ADMIN_KEY"), "{key:?}");
    assert_eq!(
        key.related_messages,
        [format!(
            "{ARCHIVE}: the template writes it here (at templates/deployment.yaml:15 inside {ARCHIVE})"
        )]
    );
    // No file inside the archive is reported as a file of its own, and the archive counts once.
    assert_eq!(report["summary"]["files"], 4, "{report}");
    for format in FORMATS {
        let output = akslint_in(
            dir.path(),
            &["check", "--format", format, "--color", "never"],
            b"",
        );
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        for secret in [ADMIN_KEY, CACHE_TOKEN, CACHE_PASSWORD] {
            assert!(!all.contains(secret), "{format} prints a secret: {all}");
        }
        assert!(
            all.contains("templates/deployment.yaml:17"),
            "{format}: {all}"
        );
        assert!(!all.contains(&format!("{ARCHIVE}/")), "{format}: {all}");
    }
    // values.yaml named alone (pre-commit): the password at its key, nothing of the archive.
    let report = json(&akslint_in(
        dir.path(),
        &["check", "--format", "json", VALUES],
        b"",
    ));
    let files: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["file"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(files, [VALUES], "{report}");
}
