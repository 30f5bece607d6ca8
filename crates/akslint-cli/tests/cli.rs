//! The `akslint` binary end to end: output formats, exit codes, stdin, configuration,
//! suppression of whole files, and every kind of bad input.

use std::fs;
use std::path::PathBuf;
use std::process::Output;

mod common;
use common::{akslint, akslint_in, codes, json, stderr, stdout, workspace};

#[test]
fn human_output_of_the_example() {
    let output = akslint(&["check", "corpus/example"]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!("human_example", stdout(&output));
}

#[test]
fn json_output_of_the_example() {
    let output = akslint(&["check", "corpus/example", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!("json_example", stdout(&output));
}

#[test]
fn rules_and_explain() {
    let output = akslint(&["rules"]);
    assert_eq!(output.status.code(), Some(0));
    insta::assert_snapshot!("rules", stdout(&output));
    let listed: serde_json::Value =
        serde_json::from_slice(&akslint(&["rules", "--format", "json"]).stdout).expect("json");
    assert_eq!(
        listed.as_array().map(Vec::len),
        Some(akslint_rules::registry::metas().count())
    );

    let by_code = akslint(&["explain", "SEC001"]);
    let by_name = akslint(&["explain", "hardcoded-secret-in-env"]);
    assert_eq!(by_code.status.code(), Some(0));
    assert_eq!(stdout(&by_code), stdout(&by_name));
    let page = fs::read_to_string(workspace().join("rules/SEC001-hardcoded-secret-in-env.md"))
        .expect("page");
    // The page without the comment that says it is generated.
    assert_eq!(
        Some(stdout(&by_code).as_str()),
        page.split_once('\n').map(|(_, body)| body)
    );
    let unknown = akslint(&["explain", "NOPE42"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("NOPE42"));
}

#[test]
fn output_is_identical_between_runs() {
    let first = akslint(&["check", "corpus", "--format", "json"]);
    let second = akslint(&["check", "corpus", "--format", "json"]);
    assert_eq!(first.stdout, second.stdout);
    let first = akslint(&["check", "corpus"]);
    let second = akslint(&["check", "corpus"]);
    assert_eq!(first.stdout, second.stdout);
}

#[test]
fn severity_threshold_filters_and_sets_the_exit_code() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(
        dir.path().join("cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: b  # akslint-ignore SEC001: stale\n",
    )
    .expect("write");
    let warnings = akslint_in(dir.path(), &["check", "--format", "json"], b"");
    assert_eq!(warnings.status.code(), Some(1));
    assert_eq!(codes(&json(&warnings)), ["SUP002"]);
    let errors_only = akslint_in(
        dir.path(),
        &["check", "--format", "json", "--severity", "error"],
        b"",
    );
    assert_eq!(errors_only.status.code(), Some(0));
    assert!(codes(&json(&errors_only)).is_empty());
}

#[test]
fn exit_codes_for_clean_runs_and_usage_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(
        dir.path().join("ok.yaml"),
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n",
    )
    .expect("write");
    let clean = akslint_in(dir.path(), &["check"], b"");
    assert_eq!(clean.status.code(), Some(0));
    assert_eq!(stdout(&clean), "No findings in 1 file.\n");

    let missing = akslint_in(dir.path(), &["check", "does-not-exist.yaml"], b"");
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("does-not-exist.yaml: no such file or folder"));

    let bad_flag = akslint_in(dir.path(), &["check", "--format", "xml"], b"");
    assert_eq!(bad_flag.status.code(), Some(2));
    let no_command = akslint_in(dir.path(), &[], b"");
    assert_eq!(no_command.status.code(), Some(2));
}

#[test]
fn malformed_configuration_is_a_located_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(
        dir.path().join("akslint.yaml"),
        "rules:\n  SEC001: off\n  WID999: off\n",
    )
    .expect("write");
    fs::write(dir.path().join("a.yaml"), "a: 1\n").expect("write");
    let output = akslint_in(dir.path(), &["check"], b"");
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("akslint.yaml:3:3: invalid configuration"),
        "{message}"
    );
    assert!(message.contains("WID999"), "{message}");

    fs::write(dir.path().join("akslint.yaml"), "rules: [oops\n").expect("write");
    let output = akslint_in(dir.path(), &["check"], b"");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("akslint.yaml:"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn configuration_is_found_by_walking_up_and_excludes_apply_to_named_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let nested = dir.path().join("apps/shop");
    fs::create_dir_all(&nested).expect("mkdir");
    fs::write(
        dir.path().join("akslint.yaml"),
        "rules:\n  AUTH001: warning\nexclude:\n  - generated/\n",
    )
    .expect("write");
    let binding = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: x\nroleRef: {kind: ClusterRole, name: cluster-admin}\nsubjects:\n  - {kind: Group, name: system:authenticated}\n";
    fs::write(nested.join("rbac.yaml"), binding).expect("write");
    fs::create_dir_all(dir.path().join("generated")).expect("mkdir");
    fs::write(dir.path().join("generated/rbac.yaml"), binding).expect("write");

    let output = akslint_in(&nested, &["check", "--format", "json"], b"");
    let value = json(&output);
    assert_eq!(codes(&value), ["AUTH001"]);
    assert_eq!(value["findings"][0]["severity"], "warning");

    let named = akslint_in(
        dir.path(),
        &["check", "generated/rbac.yaml", "--format", "json"],
        b"",
    );
    assert_eq!(named.status.code(), Some(0), "excluded even when named");
    let cli_exclude = akslint_in(
        dir.path(),
        &["check", "--exclude", "apps/", "--format", "json"],
        b"",
    );
    assert_eq!(cli_exclude.status.code(), Some(0));
    assert_eq!(json(&cli_exclude)["summary"]["files"], 0);
}

#[test]
fn gitignored_files_and_other_extensions_are_skipped_when_walking() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join(".gitignore"), "ignored.yaml\n").expect("write");
    let secret_pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      env:\n        - {name: DB_PASSWORD, value: Zq9-Lm4-Tr7x}\n";
    fs::write(dir.path().join("ignored.yaml"), secret_pod).expect("write");
    fs::write(dir.path().join("notes.txt"), secret_pod).expect("write");
    fs::write(dir.path().join("pod.yml"), secret_pod).expect("write");
    let output = akslint_in(dir.path(), &["check", "--format", "json"], b"");
    let value = json(&output);
    assert_eq!(value["summary"]["files"], 1);
    assert_eq!(value["findings"][0]["file"], "pod.yml");
}

#[test]
fn helm_template_output_on_stdin_names_the_templates() {
    let rendered = fs::read(
        workspace()
            .join("corpus/wid/wid001-workload-identity-label-missing/helm-output/rendered.yaml"),
    )
    .expect("fixture");
    let output = akslint_in(
        &workspace(),
        &[
            "check",
            "--stdin-filename",
            "chart.yaml",
            "--format",
            "json",
            "-",
        ],
        &rendered,
    );
    assert_eq!(output.status.code(), Some(1));
    let value = json(&output);
    assert_eq!(value["findings"][0]["file"], "chart.yaml");
    assert_eq!(
        value["findings"][0]["helm_template"],
        "orders/templates/deployment.yaml"
    );
    let human = akslint_in(
        &workspace(),
        &["check", "--stdin-filename", "chart.yaml", "-"],
        &rendered,
    );
    assert!(
        stdout(&human).contains("rendered from Helm template orders/templates/deployment.yaml")
    );
    let unnamed = akslint_in(&workspace(), &["check", "--format", "json", "-"], b"a: [\n");
    assert_eq!(json(&unnamed)["findings"][0]["file"], "<stdin>");
    assert_eq!(json(&unnamed)["findings"][0]["code"], "PARSE001");
}

/// Writes `files` into a temp dir and runs `akslint check --format json` there.
fn check_files(files: &[(&str, &[u8])], config: Option<&str>) -> (Output, serde_json::Value) {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, bytes) in files {
        fs::write(dir.path().join(name), bytes).expect("write");
    }
    if let Some(config) = config {
        fs::write(dir.path().join("akslint.yaml"), config).expect("write");
    }
    let output = akslint_in(dir.path(), &["check", "--format", "json"], b"");
    let value = json(&output);
    (output, value)
}

fn finding<'v>(value: &'v serde_json::Value, code: &str) -> &'v serde_json::Value {
    value["findings"]
        .as_array()
        .and_then(|all| all.iter().find(|f| f["code"] == code))
        .unwrap_or_else(|| panic!("no {code} in {value}"))
}

#[test]
fn bad_input_binary_utf16_and_invalid_utf8_files() {
    let (output, value) = check_files(
        &[
            ("binary.yaml", b"\x7fELF\x00\x00\x01"),
            ("utf16.yaml", b"\xff\xfea\x00:\x00 \x001\x00"),
            ("latin1.yaml", b"name: ok\nvalue: caf\xe9\n"),
            ("good.yaml", b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      env:\n        - {name: API_TOKEN, value: Hq8-Wn3-Zr6p}\n"),
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(1));
    let files: Vec<(&str, &str)> = value["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap_or(""),
                f["code"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        files,
        [
            ("binary.yaml", "PARSE005"),
            ("good.yaml", "SEC001"),
            ("latin1.yaml", "PARSE005"),
            ("utf16.yaml", "PARSE005")
        ]
    );
    let latin1 = &value["findings"][2];
    assert_eq!(
        (
            latin1["start"]["line"].as_u64(),
            latin1["start"]["column"].as_u64()
        ),
        (Some(2), Some(11))
    );
    assert!(
        value["findings"][3]["message"]
            .as_str()
            .unwrap_or("")
            .contains("UTF-16")
    );
}

#[test]
fn bad_input_empty_files_are_noted_and_clean() {
    let (output, value) = check_files(&[("empty.yaml", b""), ("blank.yaml", b"\n\n   \n")], None);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(value["summary"]["findings"], 0);
    assert_eq!(value["notices"].as_array().map(Vec::len), Some(2));
    assert!(stderr(&output).contains("empty.yaml: the file is empty"));
}

#[test]
fn bad_input_file_too_large_is_reported_without_reading() {
    let big = vec![b'#'; 4096];
    let (output, value) = check_files(
        &[("big.yaml", &big)],
        Some("limits:\n  max-file-size: 1KiB\n"),
    );
    assert_eq!(output.status.code(), Some(1));
    let found = finding(&value, "PARSE002");
    assert_eq!(found["start"]["line"], 1);
    assert!(
        found["message"]
            .as_str()
            .unwrap_or("")
            .contains("4096 bytes")
    );
}

#[test]
fn bad_input_deep_nesting_and_alias_bombs_are_located() {
    let deep = format!("{}{}\n", "[".repeat(50_000), "]".repeat(50_000));
    let block = (0..300)
        .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
        .collect::<String>();
    let mut laughs = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (name, prev) in ["b", "c", "d", "e", "f", "g"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f"])
    {
        laughs.push_str(&format!(
            "{name}: &{name} [{}]\n",
            vec![format!("*{prev}"); 10].join(", ")
        ));
    }
    let (output, value) = check_files(
        &[
            ("deep.yaml", deep.as_bytes()),
            ("block.yaml", block.as_bytes()),
            ("laughs.yaml", laughs.as_bytes()),
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(codes(&value), ["PARSE003", "PARSE003", "PARSE004"]);
    assert_eq!(value["findings"][0]["file"], "block.yaml");
    assert_eq!(
        value["findings"][0]["start"]["line"], 201,
        "the 201st level of a 200-level limit"
    );
    assert_eq!(
        value["findings"][2]["start"]["line"], 5,
        "where the expansion passes 100,000 nodes"
    );
}

#[test]
fn bad_input_syntax_errors_keep_the_other_documents() {
    let text = b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  bad: [\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {kind: ClusterRole, name: cluster-admin}\nsubjects: [{kind: Group, name: system:authenticated}]\n";
    let (output, value) = check_files(&[("multi.yaml", text)], None);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(codes(&value), ["PARSE001", "AUTH001"]);
    let parse = finding(&value, "PARSE001");
    assert_eq!(parse["start"]["line"], 6);
}

#[cfg(unix)]
#[test]
fn bad_input_dangling_links_and_symlink_loops() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sub = dir.path().join("sub");
    fs::create_dir_all(&sub).expect("mkdir");
    std::os::unix::fs::symlink(dir.path(), sub.join("loop")).expect("symlink");
    std::os::unix::fs::symlink(
        dir.path().join("missing.yaml"),
        dir.path().join("dangling.yaml"),
    )
    .expect("symlink");
    fs::write(sub.join("ok.yaml"), "a: 1\n").expect("write");
    let output = akslint_in(dir.path(), &["check", "--format", "json"], b"");
    let value = json(&output);
    let messages = stderr(&output);
    assert!(messages.contains("symbolic link loop"), "{messages}");
    assert!(messages.contains("dangling.yaml"), "{messages}");
    assert_eq!(
        output.status.code(),
        Some(2),
        "an unreadable file makes the run incomplete"
    );
    assert_eq!(
        value["summary"]["files"], 1,
        "the readable file is still linted"
    );
}

#[cfg(unix)]
#[test]
fn bad_input_unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let locked = dir.path().join("locked.yaml");
    fs::write(&locked, "a: 1\n").expect("write");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod");
    if fs::read(&locked).is_ok() {
        eprintln!("NOTICE: running as a user who can read a mode-000 file (root); skipping");
        return;
    }
    fs::write(dir.path().join("other.yaml"), "a: 1\n").expect("write");
    let output = akslint_in(dir.path(), &["check", "--format", "json"], b"");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("locked.yaml: cannot read the file"));
    assert_eq!(json(&output)["summary"]["files"], 1);
}

/// Every value a finding marks as sensitive anywhere in the corpus, suppressed findings included,
/// as written (without quotes), with whether it is in a Bicep or `.bicepparam` file.
fn corpus_secrets() -> Vec<(String, bool)> {
    let root = workspace();
    let engine = akslint_engine::Engine::new();
    let resolver = akslint_engine::ConfigResolver::discover(&root);
    let excludes =
        std::sync::Arc::new(akslint_engine::walk::cli_excludes(&root, &[]).expect("no excludes"));
    let collected = akslint_engine::walk::collect(
        &[PathBuf::from("corpus")],
        &root,
        &excludes,
        &std::sync::Arc::new(resolver),
        &engine,
    )
    .expect("corpus");
    let resolver = akslint_engine::ConfigResolver::discover(&root);
    let stdin = akslint_engine::StdinInput::unread(PathBuf::from("<stdin>"));
    let report = akslint_engine::run(
        &engine,
        &resolver,
        &collected.inputs,
        &stdin,
        &akslint_engine::Overlay::new(),
    )
    .expect("lint");
    let mut secrets: Vec<(String, bool)> = report
        .files
        .iter()
        .flat_map(|f| {
            let bicep = matches!(
                f.file.kind(),
                akslint_core::SourceKind::Bicep | akslint_core::SourceKind::BicepParam
            );
            f.sensitive.iter().map(move |span| {
                let text = f.file.slice(*span).trim_matches(['"', '\'']).to_owned();
                (text, bicep)
            })
        })
        .filter(|(s, _)| s.len() >= 6)
        // Weak values that are plain words ("password", "changeme") also appear as words.
        .filter(|(s, _)| !s.bytes().all(|b| b.is_ascii_lowercase()))
        .collect();
    secrets.sort();
    secrets.dedup();
    secrets
}

#[test]
fn secret_values_never_appear_whole_in_any_output() {
    let secrets = corpus_secrets();
    let bicep = secrets.iter().filter(|(_, bicep)| *bicep).count();
    assert!(
        secrets.len() >= 10 && bicep >= 10,
        "the corpus has secret fixtures: {} ({bicep} in Bicep files)",
        secrets.len()
    );
    for format in ["human", "json", "sarif", "github", "junit"] {
        let output = akslint(&["check", "corpus", "--format", format]);
        let (mut out, err) = (stdout(&output), stderr(&output));
        if format == "sarif" {
            // The rules' help (their documentation, with its made-up examples) is not a finding.
            let mut sarif = json(&output);
            sarif["runs"][0]["tool"]["driver"]["rules"] = serde_json::Value::Null;
            out = sarif.to_string();
        }
        for (secret, _) in &secrets {
            assert!(
                !out.contains(secret.as_str()),
                "{format} output shows a secret whole: {}…",
                &secret[..3]
            );
            assert!(
                !err.contains(secret.as_str()),
                "{format} stderr shows a secret whole"
            );
        }
    }
}

#[test]
fn notes_of_one_kind_are_grouped_on_stderr_and_listed_whole_in_json() {
    // Twelve templates, each calling a module file that is not there: twelve notes of one kind.
    let dir = tempfile::tempdir().expect("temp dir");
    for team in 0..12 {
        let folder = dir.path().join(format!("team-{team:02}"));
        fs::create_dir_all(&folder).expect("mkdir");
        fs::write(
            folder.join("main.bicep"),
            format!("module net{team} './missing-{team}.bicep' = {{\n  name: 'net'\n}}\n"),
        )
        .expect("write");
    }
    let grouped = akslint_in(dir.path(), &["check", "--format", "json", "."], b"");
    let grouped_err = stderr(&grouped);
    let notes: Vec<&str> = grouped_err
        .lines()
        .filter(|l| l.contains("could not be read"))
        .collect();
    assert_eq!(notes.len(), 4, "{grouped_err}");
    assert!(notes[0].starts_with("akslint: note: "), "{grouped_err}");
    assert_eq!(
        notes[3],
        "akslint: note: 9 more notes like \"Bicep: module `…`: `…` could not be read; its resources are not evaluated\" in 9 files not shown; -v prints every note, the JSON and SARIF reports list them"
    );
    let listed = json(&grouped);
    let in_json = listed["notices"]
        .as_array()
        .expect("notices")
        .iter()
        .filter(|n| {
            n["message"]
                .as_str()
                .unwrap_or("")
                .contains("could not be read")
        })
        .count();
    assert_eq!(in_json, 12);
    let every = akslint_in(dir.path(), &["check", "-v", "--format", "json", "."], b"");
    let every_err = stderr(&every);
    assert_eq!(
        every_err
            .lines()
            .filter(|l| l.contains("could not be read"))
            .count(),
        12,
        "{every_err}"
    );
    assert_eq!(grouped.status.code(), every.status.code());
}
