//! Nothing is skipped without a word: which files a run lints, and what it says about the rest.

mod common;

use std::fs;
use std::path::Path;

use common::{akslint_in, json, stderr};

const SECRET: &str = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: Zx9pQ2mT7vLrA1bC\n";

fn git_init(dir: &Path) {
    fs::create_dir_all(dir.join(".git/info")).expect("mkdir .git");
    fs::write(dir.join(".git/HEAD"), "ref: refs/heads/main\n").expect("write");
}

fn linted_files(value: &serde_json::Value) -> Vec<String> {
    let mut files: Vec<String> = value["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["file"].as_str().expect("file").to_owned())
        .collect();
    files.sort();
    files.dedup();
    files
}

#[test]
fn an_ignore_file_above_the_repository_is_not_honoured() {
    let home = tempfile::tempdir().expect("temp dir");
    fs::write(home.path().join(".gitignore"), "*\n!.gitignore\n").expect("write");
    let repo = home.path().join("repo");
    fs::create_dir_all(&repo).expect("mkdir");
    git_init(&repo);
    fs::write(repo.join("s.yaml"), SECRET).expect("write");
    let output = akslint_in(&repo, &["check", "--format", "json", "."], b"");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(json(&output)["summary"]["files"], 1);
}

#[test]
fn the_global_git_ignore_is_not_honoured() {
    let home = tempfile::tempdir().expect("temp dir");
    let config = home.path().join(".config/git");
    fs::create_dir_all(&config).expect("mkdir");
    fs::write(config.join("ignore"), "*.yaml\n").expect("write");
    fs::write(
        home.path().join(".gitconfig"),
        format!(
            "[core]\n\texcludesFile = {}\n",
            config.join("ignore").display()
        ),
    )
    .expect("write");
    let repo = home.path().join("repo");
    fs::create_dir_all(&repo).expect("mkdir");
    git_init(&repo);
    fs::write(repo.join("s.yaml"), SECRET).expect("write");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_akslint"))
        .args(["check", "--format", "json"])
        .current_dir(&repo)
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join(".config"))
        .output()
        .expect("akslint runs");
    assert_eq!(json(&output)["summary"]["files"], 1);
}

#[test]
fn the_repositorys_ignore_files_are_honoured_from_its_root_and_counted() {
    let repo = tempfile::tempdir().expect("temp dir");
    git_init(repo.path());
    fs::write(repo.path().join(".gitignore"), "generated/\n").expect("write");
    fs::write(repo.path().join(".git/info/exclude"), "local.yaml\n").expect("write");
    let app = repo.path().join("app");
    fs::create_dir_all(app.join("generated")).expect("mkdir");
    fs::write(app.join(".ignore"), "scratch.yaml\n").expect("write");
    for name in [
        "generated/out.yaml",
        "local.yaml",
        "scratch.yaml",
        "kept.yaml",
    ] {
        fs::write(app.join(name), SECRET).expect("write");
    }
    // Linting a sub-folder still applies the ignore files from the repository's root down.
    let output = akslint_in(&app, &["check", "--format", "json"], b"");
    assert_eq!(linted_files(&json(&output)), ["kept.yaml"]);
    let messages = stderr(&output);
    assert!(
        messages.contains(
            "akslint: note: 3 files left out by ignore files (.gitignore, .ignore); -v lists them"
        ),
        "{messages}"
    );
    let verbose = akslint_in(&app, &["check", "-v", "--format", "json"], b"");
    let messages = stderr(&verbose);
    for name in ["generated/out.yaml", "local.yaml", "scratch.yaml"] {
        assert!(
            messages.contains(&format!(
                "akslint: note: {name}: left out by an ignore file"
            )),
            "{messages}"
        );
    }
    let quiet = akslint_in(&app, &["check", "-q", "--format", "json"], b"");
    assert!(!stderr(&quiet).contains("left out"), "{}", stderr(&quiet));
}

#[test]
fn an_ignore_file_that_ignores_itself_still_counts_what_it_left_out() {
    // No repository: the folder's own `.ignore` is the only source, and it ignores itself, so
    // the walk never meets it as an entry.
    let root = tempfile::tempdir().expect("temp dir");
    let deep = root.path().join("team/app");
    fs::create_dir_all(&deep).expect("mkdir");
    fs::write(deep.join(".ignore"), ".ignore\nscratch.yaml\n").expect("write");
    fs::write(deep.join("scratch.yaml"), SECRET).expect("write");
    fs::write(deep.join("kept.yaml"), SECRET).expect("write");
    let output = akslint_in(root.path(), &["check", "--format", "json"], b"");
    assert_eq!(linted_files(&json(&output)), ["team/app/kept.yaml"]);
    assert!(
        stderr(&output).contains("1 file left out by ignore files (.gitignore, .ignore)"),
        "{}",
        stderr(&output)
    );
    // Without any ignore file, nothing is said to be left out.
    fs::remove_file(deep.join(".ignore")).expect("remove");
    let output = akslint_in(root.path(), &["check", "--format", "json"], b"");
    assert_eq!(linted_files(&json(&output)).len(), 2);
    assert!(!stderr(&output).contains("left out by ignore files"));
}

#[test]
fn a_file_named_on_the_command_line_is_linted_even_when_ignored() {
    let repo = tempfile::tempdir().expect("temp dir");
    git_init(repo.path());
    fs::write(repo.path().join(".gitignore"), "*.yaml\n").expect("write");
    fs::write(repo.path().join("s.yaml"), SECRET).expect("write");
    let output = akslint_in(repo.path(), &["check", "--format", "json", "s.yaml"], b"");
    assert_eq!(linted_files(&json(&output)), ["s.yaml"]);
}

#[test]
fn a_folder_named_on_the_command_line_is_walked_even_when_ignored() {
    // Rendered manifests often live in an ignored folder (`out/`), linted by name in CI.
    let repo = tempfile::tempdir().expect("temp dir");
    git_init(repo.path());
    fs::write(repo.path().join(".gitignore"), "/out/\nscratch.yaml\n").expect("write");
    fs::create_dir_all(repo.path().join("out/app")).expect("mkdir");
    fs::write(repo.path().join("out/app/s.yaml"), SECRET).expect("write");
    fs::write(repo.path().join("out/app/scratch.yaml"), SECRET).expect("write");
    let output = akslint_in(repo.path(), &["check", "--format", "json", "out"], b"");
    // The folder is walked; what the ignore files leave out inside it stays out.
    assert_eq!(linted_files(&json(&output)), ["out/app/s.yaml"]);
    // Walking the repository, the ignored folder is left out.
    let output = akslint_in(repo.path(), &["check", "--format", "json", "."], b"");
    assert!(linted_files(&json(&output)).is_empty());
}

#[test]
fn hidden_folders_are_walked_but_tool_folders_are_not() {
    let dir = tempfile::tempdir().expect("temp dir");
    for folder in [
        ".azure",
        ".pipelines/deploy",
        "node_modules/x",
        ".venv/lib",
        ".git",
    ] {
        fs::create_dir_all(dir.path().join(folder)).expect("mkdir");
        fs::write(dir.path().join(folder).join("s.yaml"), SECRET).expect("write");
    }
    fs::write(dir.path().join(".hidden.yaml"), SECRET).expect("write");
    let output = akslint_in(dir.path(), &["check", "--format", "json"], b"");
    assert_eq!(
        linted_files(&json(&output)),
        [".azure/s.yaml", ".hidden.yaml", ".pipelines/deploy/s.yaml"]
    );
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn a_fifo_is_never_opened() {
    let dir = tempfile::tempdir().expect("temp dir");
    mkfifo(&dir.path().join("pipe.yaml"));
    fs::write(dir.path().join("s.yaml"), SECRET).expect("write");
    // Met in a walk: a warning, the other files linted.
    let walked = akslint_in(dir.path(), &["check", "--format", "json"], b"");
    assert_eq!(walked.status.code(), Some(1));
    assert_eq!(linted_files(&json(&walked)), ["s.yaml"]);
    assert!(
        stderr(&walked).contains("akslint: warning: pipe.yaml: not a regular file"),
        "{}",
        stderr(&walked)
    );
    // Named: an error, without blocking on the FIFO.
    let named = akslint_in(dir.path(), &["check", "pipe.yaml"], b"");
    assert_eq!(named.status.code(), Some(2));
    assert!(
        stderr(&named).contains("akslint: error: pipe.yaml: not a regular file"),
        "{}",
        stderr(&named)
    );
}

#[test]
fn a_run_that_lints_nothing_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir_all(dir.path().join("docs")).expect("mkdir");
    fs::write(dir.path().join("docs/README.md"), "# docs\n").expect("write");
    let output = akslint_in(dir.path(), &["check", "docs"], b"");
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stderr(&output).contains("akslint: warning: nothing to lint in docs"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_named_file_akslint_does_not_read_is_refused_by_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("Cargo.toml"), "[package]\nname = \"x\"\n").expect("write");
    let output = akslint_in(dir.path(), &["check", "Cargo.toml"], b"");
    assert_eq!(output.status.code(), Some(2));
    let messages = stderr(&output);
    assert!(
        messages.contains("akslint: error: Cargo.toml: not a file akslint lints"),
        "{messages}"
    );
    assert!(!messages.contains("YAML syntax"), "{messages}");
    // A JSON manifest named on the command line is read (Kubernetes reads JSON as YAML).
    fs::write(
        dir.path().join("secret.json"),
        r#"{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"}, "stringData": {"password": "Zx9pQ2mT7vLrA1bC"}}"#,
    )
    .expect("write");
    let json_manifest = akslint_in(
        dir.path(),
        &["check", "--format", "json", "secret.json"],
        b"",
    );
    assert_eq!(linted_files(&json(&json_manifest)), ["secret.json"]);
}

/// Hooks pass every changed `.json` file: tool configurations (with comments, as
/// `bicepconfig.json` has) are left out with a note, not read as YAML, and do not fail the run.
#[test]
fn named_json_that_is_no_template_or_manifest_is_left_out_with_a_note() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(
        dir.path().join("bicepconfig.json"),
        "// the module cache of this repository\n{ \"cacheRootDirectory\": \".bicep\" }\n",
    )
    .expect("write");
    fs::write(
        dir.path().join("package.json"),
        r#"{"name": "web", "version": "1.0.0"}"#,
    )
    .expect("write");
    let output = akslint_in(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "bicepconfig.json",
            "package.json",
        ],
        b"",
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let messages = stderr(&output);
    assert!(
        messages.contains("bicepconfig.json: not linted: JSON that is neither"),
        "{messages}"
    );
    assert!(!messages.contains("YAML syntax"), "{messages}");
    assert!(linted_files(&json(&output)).is_empty());
}

#[test]
fn stdin_filename_without_a_dash_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("s.yaml"), SECRET).expect("write");
    let output = akslint_in(
        dir.path(),
        &["check", "--stdin-filename", "x.yaml"],
        SECRET.as_bytes(),
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("add `-` to the paths"),
        "{}",
        stderr(&output)
    );
}

#[cfg(unix)]
#[test]
fn a_file_reached_by_two_paths_is_linted_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir_all(dir.path().join("real")).expect("mkdir");
    fs::write(dir.path().join("real/s.yaml"), SECRET).expect("write");
    std::os::unix::fs::symlink(dir.path().join("real"), dir.path().join("alias")).expect("symlink");
    let output = akslint_in(dir.path(), &["check", "--format", "json"], b"");
    let value = json(&output);
    assert_eq!(value["summary"]["files"], 1, "{value}");
    assert_eq!(value["findings"].as_array().map(Vec::len), Some(1));
}

#[cfg(unix)]
#[test]
fn a_file_linked_to_or_named_through_a_parent_folder_is_linted_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    for folder in ["real", "other"] {
        fs::create_dir_all(dir.path().join(folder)).expect("mkdir");
    }
    fs::write(dir.path().join("real/s.yaml"), SECRET).expect("write");
    // A link to the file itself, in another folder and beside it.
    std::os::unix::fs::symlink(
        dir.path().join("real/s.yaml"),
        dir.path().join("other/l.yaml"),
    )
    .expect("symlink");
    std::os::unix::fs::symlink("s.yaml", dir.path().join("real/t.yaml")).expect("symlink");
    let output = akslint_in(dir.path(), &["check", "--format", "json"], b"");
    let value = json(&output);
    assert_eq!(value["summary"]["files"], 1, "{value}");
    assert_eq!(value["findings"].as_array().map(Vec::len), Some(1));
    // The same file named twice, once through `..`.
    let output = akslint_in(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "other/../real/s.yaml",
            "real/s.yaml",
        ],
        b"",
    );
    let value = json(&output);
    assert_eq!(value["summary"]["files"], 1, "{value}");
}

#[test]
fn stdin_is_read_up_to_the_size_limit_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(
        dir.path().join("akslint.yaml"),
        "limits:\n  max-file-size: 1000\n",
    )
    .expect("write");
    let big = format!("# {}\n", "x".repeat(5000));
    let output = akslint_in(
        dir.path(),
        &["check", "--format", "json", "-"],
        big.as_bytes(),
    );
    let value = json(&output);
    assert_eq!(value["findings"][0]["code"], "PARSE002", "{value}");
    let message = value["findings"][0]["message"].as_str().expect("message");
    assert!(
        message.contains("larger than the limit of 1000 bytes"),
        "{message}"
    );
}

#[cfg(unix)]
#[test]
fn devices_are_refused_as_files_configuration_and_baseline() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("s.yaml"), SECRET).expect("write");
    for args in [
        &["check", "/dev/zero"][..],
        &["check", "--config", "/dev/zero", "s.yaml"],
        &["check", "--baseline", "/dev/zero", "s.yaml"],
    ] {
        let output = akslint_in(dir.path(), args, b"");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&output).contains("not a regular file"),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

/// A chart's templates are rendered with the chart (never read as YAML: no syntax-error flood),
/// in a walk and when named (pre-commit names them); findings are placed at the template line,
/// with the values key that wrote the value as related; a template that does not render is
/// PARSE010 where it stopped.
#[test]
fn helm_chart_templates_are_rendered_and_their_findings_placed_in_the_sources() {
    let dir = tempfile::tempdir().expect("temp dir");
    let chart = dir.path().join("charts/web");
    fs::create_dir_all(chart.join("templates")).expect("mkdir");
    fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: web\nversion: 1.0.0\n",
    )
    .expect("write");
    fs::write(
        chart.join("values.yaml"),
        "auth:\n  password: Qm9xLmM4ZTfR2sPq7\n",
    )
    .expect("write");
    fs::write(
        chart.join("templates/deployment.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          env:\n            - name: DB_PASSWORD\n              value: {{ .Values.auth.password | quote }}\n",
    )
    .expect("write");
    fs::write(
        chart.join("templates/config.yaml"),
        "apiVersion: v1\nkind: ConfigMap\ndata:\n  host: {{ required \"set db.host\" .Values.db }}\n",
    )
    .expect("write");
    // A `templates` folder outside a chart is plain YAML.
    fs::create_dir_all(dir.path().join("other/templates")).expect("mkdir");
    fs::write(dir.path().join("other/templates/x.yaml"), "a: 1\n").expect("write");
    // A dependency switched off by its condition is not deployed: its templates give nothing.
    fs::create_dir_all(chart.join("charts/cache/templates")).expect("mkdir");
    fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: web\nversion: 1.0.0\ndependencies:\n  - name: cache\n    version: 1.0.0\n    condition: cache.enabled\n",
    )
    .expect("write");
    fs::write(
        chart.join("charts/cache/Chart.yaml"),
        "apiVersion: v2\nname: cache\nversion: 1.0.0\n",
    )
    .expect("write");
    fs::write(chart.join("charts/cache/values.yaml"), "enabled: false\n").expect("write");
    fs::write(
        chart.join("charts/cache/templates/cm.yaml"),
        "a: {{ required \"never rendered\" .Values.x }}\n",
    )
    .expect("write");

    let output = akslint_in(dir.path(), &["check", "--format", "json"], b"");
    let report = json(&output);
    let findings = report["findings"].as_array().expect("findings");
    let find = |code: &str, file: &str| {
        findings
            .iter()
            .find(|f| f["code"] == code && f["file"] == file)
            .unwrap_or_else(|| panic!("no {code} in {file}: {report}"))
    };
    // The password came from values.yaml: reported at its key, by the rule of where the
    // template puts it (not again as SEC006), the template's action related.
    let secret = find("SEC001", "charts/web/values.yaml");
    assert_eq!(secret["start"]["line"], 2, "{secret}");
    let related = secret["labels"].as_array().expect("labels");
    assert!(
        related
            .iter()
            .any(|r| r["file"] == "charts/web/templates/deployment.yaml"
                && r["start"]["line"] == 12
                && r["message"] == "the template writes it here"),
        "{secret}"
    );
    assert!(
        !findings
            .iter()
            .any(|f| f["code"] == "SEC006" || f["file"] == "charts/web/templates/deployment.yaml"),
        "{report}"
    );
    assert!(!output_holds(&output, "Qm9xLmM4ZTfR2sPq7"));
    let refused = find("PARSE010", "charts/web/templates/config.yaml");
    assert_eq!(refused["start"]["line"], 4, "{refused}");
    assert!(
        refused["message"]
            .as_str()
            .unwrap_or_default()
            .contains("set db.host")
    );
    assert!(
        !findings
            .iter()
            .any(|f| f["code"] == "PARSE001"
                || f["file"] == "charts/web/charts/cache/templates/cm.yaml"),
        "{report}"
    );

    let named = akslint_in(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "charts/web/templates/deployment.yaml",
        ],
        b"",
    );
    let named = json(&named);
    assert!(
        named["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["code"] == "SEC001" && f["file"] == "charts/web/values.yaml"),
        "the values file joins the run for the finding placed in it: {named}"
    );
    // A suppression on the values line silences the finding there (and SEC006 is not said
    // instead).
    fs::write(
        chart.join("values.yaml"),
        "auth:\n  password: Qm9xLmM4ZTfR2sPq7 # akslint-ignore SEC001: a throwaway test password\n",
    )
    .expect("write");
    let suppressed = json(&akslint_in(dir.path(), &["check", "--format", "json"], b""));
    let left: Vec<_> = suppressed["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["file"] == "charts/web/values.yaml")
        .collect();
    assert!(left.is_empty(), "{suppressed}");
}

/// Whether the command's output, stdout or stderr, holds `text`.
fn output_holds(output: &std::process::Output, text: &str) -> bool {
    String::from_utf8_lossy(&output.stdout).contains(text) || stderr(output).contains(text)
}

/// A finding of the project stage in a chart template (WID001: a workload and the chart's
/// ServiceAccount) is placed in the template, and its related place in the other template too.
#[test]
fn a_chart_finding_across_templates_is_placed_in_both_templates() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../corpus/wid/wid001-workload-identity-label-missing/helm-chart");
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir_all(dir.path().join("app/templates")).expect("mkdir");
    for file in [
        "Chart.yaml",
        "values.yaml",
        "templates/serviceaccount.yaml",
        "templates/deployment.yaml",
    ] {
        fs::copy(fixture.join(file), dir.path().join("app").join(file)).expect("copy");
    }
    let report = json(&akslint_in(dir.path(), &["check", "--format", "json"], b""));
    let finding = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["code"] == "WID001")
        .unwrap_or_else(|| panic!("no WID001: {report}"));
    assert_eq!(finding["file"], "app/templates/deployment.yaml");
    assert_eq!(finding["start"]["line"], 13, "{finding}");
    let label = &finding["labels"][0];
    assert_eq!(
        label["file"], "app/templates/serviceaccount.yaml",
        "{finding}"
    );
    let template = fs::read_to_string(fixture.join("templates/serviceaccount.yaml")).expect("read");
    let start = label["start"]["offset"].as_u64().expect("offset") as usize;
    let end = label["end"]["offset"].as_u64().expect("offset") as usize;
    assert_eq!(
        &template[start..end],
        ".Values.clientId | quote",
        "{finding}"
    );
}
