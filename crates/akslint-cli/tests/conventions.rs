//! The conventions users bring from ruff and checkov: `--select` / `--ignore`, `--exit-zero`,
//! `--statistics`, shell completions, what `--fix`, `--diff` and `--baseline` did in the summary,
//! and `explain`.

use std::fs;
use std::path::Path;

mod common;
use common::{akslint, akslint_in, codes, fixture_dir, json, stderr, stdout, workspace};

/// A Pod with a hardcoded password (SEC001) whose ServiceAccount is federated but whose pod
/// template lacks the workload identity label (WID001), and an unparsable second document.
const POD: &str = "apiVersion: v1
kind: ServiceAccount
metadata:
  name: app
  annotations:
    azure.workload.identity/client-id: 00000000-0000-0000-0000-000000000001
---
apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  serviceAccountName: app
  containers:
  - name: c
    image: x
    env:
    - name: DB_PASSWORD
      value: \"Zq9-Lm4-Tr7x-Pw2\"
";

const BROKEN: &str = "a: [1\n";

/// The codes of the findings of a JSON run in `dir` with `extra` arguments.
fn run_codes(dir: &Path, extra: &[&str]) -> (Option<i32>, Vec<String>) {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(extra);
    let output = akslint_in(dir, &args, b"");
    (output.status.code(), codes(&json(&output)))
}

#[test]
fn select_and_ignore_take_codes_names_and_families() {
    let dir = fixture_dir(&[("pod.yaml", POD), ("broken.yaml", BROKEN)]);
    let all = run_codes(dir.path(), &[]).1;
    assert_eq!(all, ["PARSE001", "WID001", "SEC001"]);
    // A family keeps PARSE findings: a file that cannot be read is never silent.
    assert_eq!(
        run_codes(dir.path(), &["--select", "SEC"]),
        (Some(1), vec!["PARSE001".to_owned(), "SEC001".to_owned()])
    );
    // A name, comma-separated and repeated; ignore removes, PARSE too when named.
    assert_eq!(
        run_codes(
            dir.path(),
            &["--select", "hardcoded-secret-in-env,WID", "--ignore=PARSE"]
        )
        .1,
        ["WID001", "SEC001"]
    );
    assert_eq!(
        run_codes(dir.path(), &["--ignore", "WID001", "--ignore", "parse001"]).1,
        ["SEC001"]
    );
    // The more specific item wins.
    assert_eq!(
        run_codes(dir.path(), &["--select", "SEC001", "--ignore", "SEC,PARSE"]).1,
        ["SEC001"]
    );
    let none = run_codes(dir.path(), &["--select", "AUTH", "--ignore", "PARSE"]);
    assert_eq!(none, (Some(0), vec![]));
}

#[test]
fn selection_works_on_top_of_the_configuration() {
    let dir = fixture_dir(&[
        ("pod.yaml", POD),
        ("akslint.yaml", "rules:\n  SEC001: warning\n  WID001: off\n"),
    ]);
    let output = akslint_in(
        dir.path(),
        &["check", "--format", "json", "--select", "SEC,WID"],
        b"",
    );
    let findings = json(&output);
    // The family keeps the configuration's decision: WID001 stays off, SEC001 is a warning.
    assert_eq!(codes(&findings), ["SEC001"]);
    assert_eq!(findings["findings"][0]["severity"], "warning");
    // A rule named itself runs although the configuration turns it off.
    assert_eq!(run_codes(dir.path(), &["--select", "WID001"]).1, ["WID001"]);
    // The threshold applies after the selection.
    let args = ["--select", "SEC", "--severity", "error"];
    assert_eq!(run_codes(dir.path(), &args), (Some(0), vec![]));
}

#[test]
fn suppressions_of_rules_not_run_are_not_unused() {
    let suppressed = POD.replace(
        "      value: \"Zq9-Lm4-Tr7x-Pw2\"\n",
        "      value: \"Zq9-Lm4-Tr7x-Pw2\"  # akslint-ignore SEC001: a test value\n",
    );
    let dir = fixture_dir(&[("pod.yaml", &suppressed)]);
    assert_eq!(run_codes(dir.path(), &[]).1, ["WID001"]);
    // SEC001 does not run, so its suppression silences nothing, and is not called unused.
    assert_eq!(run_codes(dir.path(), &["--ignore", "SEC"]).1, ["WID001"]);
    assert_eq!(
        run_codes(dir.path(), &["--select", "WID,SUP"]).1,
        ["WID001"]
    );
}

#[test]
fn an_unknown_rule_is_a_usage_error_with_a_suggestion() {
    let dir = fixture_dir(&[("pod.yaml", POD)]);
    for (args, expected) in [
        (
            &["check", "--select", "SEC01"][..],
            "akslint: error: --select/--ignore: `SEC01` is neither a rule code, a rule name nor a family; did you mean `SEC001`?\n",
        ),
        (
            &["check", "--ignore", "SEC001,hardcoded-secret-in-evn"][..],
            "akslint: error: --select/--ignore: `hardcoded-secret-in-evn` is neither a rule code, a rule name nor a family; did you mean `hardcoded-secret-in-env`?\n",
        ),
        (
            &["check", "--select", "nothing-like-it"][..],
            "akslint: error: --select/--ignore: `nothing-like-it` is neither a rule code, a rule name nor a family (see `akslint rules`)\n",
        ),
    ] {
        let output = akslint_in(dir.path(), args, b"");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert_eq!(stderr(&output), expected);
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn exit_zero_keeps_findings_but_not_errors_quiet() {
    let dir = fixture_dir(&[("pod.yaml", POD)]);
    let output = akslint_in(dir.path(), &["check", "--exit-zero"], b"");
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stdout(&output).contains("Found 2 findings"),
        "{}",
        stdout(&output)
    );
    let diff = akslint_in(dir.path(), &["check", "--exit-zero", "--diff"], b"");
    assert_eq!(diff.status.code(), Some(0));
    assert!(
        stdout(&diff).starts_with("--- a/pod.yaml"),
        "{}",
        stdout(&diff)
    );
    // A usage error and a missing file still exit 2.
    for args in [
        &["check", "--exit-zero", "--select", "NOPE"][..],
        &["check", "--exit-zero", "missing.yaml"][..],
    ] {
        assert_eq!(akslint_in(dir.path(), args, b"").status.code(), Some(2));
    }
}

#[test]
fn statistics_count_findings_per_rule() {
    let output = akslint(&["check", "corpus/example", "--statistics"]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!("statistics_example", stdout(&output));

    let output = akslint(&[
        "check",
        "corpus/example",
        "--statistics",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let counts = json(&output);
    assert_eq!(counts["version"], 1);
    assert_eq!(counts["total"], 3);
    let rules = counts["rules"].as_array().expect("rules");
    let sum: u64 = rules.iter().map(|r| r["count"].as_u64().unwrap()).sum();
    assert_eq!(sum, 3);
    let auth001 = rules
        .iter()
        .find(|r| r["code"] == "AUTH001")
        .expect("AUTH001");
    assert_eq!(auth001["name"], "cluster-admin-bound-to-broad-group");
    assert_eq!(
        (
            auth001["fixable"].as_u64(),
            auth001["unsafe_fixable"].as_u64()
        ),
        (Some(0), Some(1))
    );

    // Clean: no table, the summary, exit 0; the threshold and --exit-zero apply as usual.
    let clean = akslint(&["check", "corpus/example", "--statistics", "--select", "KV"]);
    assert_eq!(
        (clean.status.code(), stdout(&clean)),
        (Some(0), "No findings in 3 files.\n".to_owned())
    );
    let zero = akslint(&["check", "corpus/example", "--statistics", "--exit-zero"]);
    assert_eq!(zero.status.code(), Some(0));

    for format in ["sarif", "github", "junit"] {
        let refused = akslint(&[
            "check",
            "corpus/example",
            "--statistics",
            "--format",
            format,
        ]);
        assert_eq!(refused.status.code(), Some(2), "{format}");
        assert!(
            stderr(&refused).contains("--statistics prints a table"),
            "{}",
            stderr(&refused)
        );
    }
}

#[test]
fn statistics_still_write_full_reports_to_output_files() {
    let dir = fixture_dir(&[("pod.yaml", POD)]);
    let args = ["check", "--statistics", "--output", "json=report.json"];
    let output = akslint_in(dir.path(), &args, b"");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("  SEC001   hardcoded-secret-in-env"),
        "{}",
        stdout(&output)
    );
    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("report.json")).expect("report"))
            .expect("JSON");
    assert_eq!(codes(&report), ["WID001", "SEC001"]);
}

#[test]
fn completions_for_every_shell_name_the_subcommands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = akslint(&["completions", shell]);
        assert_eq!(output.status.code(), Some(0), "{shell}");
        let script = stdout(&output);
        // Options are spelled per shell (`--select`, fish's `-l select`).
        for word in [
            "check",
            "rules",
            "explain",
            "completions",
            "lsp",
            "select",
            "statistics",
        ] {
            assert!(script.contains(word), "{shell} completions lack {word}");
        }
    }
    let unknown = akslint(&["completions", "tcsh"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("tcsh"));
}

#[test]
fn fix_says_what_it_fixed_and_what_is_left() {
    let dir = copy_of_example();
    let output = akslint_in(dir.path(), &["check", "--fix"], b"");
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    // The unsafe fix left is labelled as such, and counted.
    assert!(
        text.contains(
            "unsafe fix (--fix --unsafe-fixes): remove the subject Group system:authenticated"
        ),
        "{text}"
    );
    assert!(
        text.ends_with("Found 2 findings (2 errors) in 2 of 3 files checked.\n1 fixed, 2 left, 1 needs --unsafe-fixes.\n"),
        "{text}"
    );
    let output = akslint_in(dir.path(), &["check", "--fix", "--unsafe-fixes"], b"");
    assert!(
        stdout(&output)
            .ends_with("Found 1 finding (1 error) in 1 of 3 files checked.\n1 fixed, 1 left.\n"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn diff_says_what_it_would_fix() {
    let dir = copy_of_example();
    let output = akslint_in(dir.path(), &["check", "--diff"], b"");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(
            "akslint: the diff fixes 1 finding in 1 file, 2 left, 1 needs --unsafe-fixes.\n"
        ),
        "{}",
        stderr(&output)
    );
    let output = akslint_in(dir.path(), &["check", "--diff", "--unsafe-fixes"], b"");
    assert!(
        stderr(&output).contains("akslint: the diff fixes 2 findings in 2 files, 1 left.\n"),
        "{}",
        stderr(&output)
    );
    // Nothing changed on disk.
    assert_eq!(
        fs::read_to_string(dir.path().join("rbac.yaml")).expect("read"),
        fs::read_to_string(workspace().join("corpus/example/rbac.yaml")).expect("read")
    );
}

#[test]
fn human_output_says_how_many_findings_a_fix_would_take() {
    let output = akslint(&["check", "corpus/example"]);
    assert!(
        stdout(&output).ends_with("1 fixable with --fix, 1 more with --fix --unsafe-fixes.\n"),
        "{}",
        stdout(&output)
    );
    let quiet = akslint(&["check", "corpus/example", "--quiet"]);
    assert!(
        !stdout(&quiet).contains("fixable with"),
        "{}",
        stdout(&quiet)
    );
}

#[test]
fn explain_prints_the_page_without_the_generated_comment() {
    let page = fs::read_to_string(workspace().join("rules/SEC001-hardcoded-secret-in-env.md"))
        .expect("page");
    let (comment, body) = page.split_once('\n').expect("two lines");
    assert!(comment.starts_with("<!-- Generated"), "{comment}");
    let output = akslint(&["explain", "SEC001"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), body);
    assert!(stdout(&output).starts_with("# SEC001 `hardcoded-secret-in-env`\n"));
    let typo = akslint(&["explain", "SEC01"]);
    assert_eq!(typo.status.code(), Some(2));
    assert_eq!(
        stderr(&typo),
        "akslint: error: `SEC01` is not a rule code or name; did you mean `SEC001`?\n"
    );
}

/// A temporary copy of `corpus/example`, to fix.
fn copy_of_example() -> tempfile::TempDir {
    let source = workspace().join("corpus/example");
    let files: Vec<(String, String)> = fs::read_dir(&source)
        .expect("example")
        .map(|entry| {
            let path = entry.expect("entry").path();
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            (name, fs::read_to_string(&path).expect("read"))
        })
        .collect();
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    fixture_dir(&files)
}
