//! Output stays small, well-formed and safe whatever a file holds: very long lines, thousands of
//! findings, escape sequences and characters XML does not allow.

mod common;

use std::fs;

use common::{akslint_in, json, stderr, stdout};

/// A minified `kubectl get -o json | jq -c` list of Secrets: one line of some 90 KB.
fn minified_secrets(count: usize) -> String {
    let items: Vec<String> = (0..count)
        .map(|i| {
            format!(
                r#"{{"apiVersion":"v1","kind":"Secret","metadata":{{"name":"db-{i}"}},"stringData":{{"password":"Rk{i:05}-Tq7vLmW2xP"}}}}"#
            )
        })
        .collect();
    format!(
        r#"{{"apiVersion":"v1","kind":"List","items":[{}]}}"#,
        items.join(",")
    ) + "\n"
}

#[test]
fn a_finding_past_column_65535_is_shown() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(
        dir.path().join("far.yaml"),
        format!("{}]\n", " ".repeat(65_540)),
    )
    .expect("write");
    let output = akslint_in(dir.path(), &["check", "--color", "never", "far.yaml"], b"");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("far.yaml:1:65541"), "{text}");
    assert!(text.contains('…'), "{text}");
}

#[test]
fn human_output_of_a_one_line_manifest_is_small_and_capped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let manifest = minified_secrets(700);
    assert!(manifest.len() > 65_536);
    fs::write(dir.path().join("all.json"), &manifest).expect("write");
    let output = akslint_in(dir.path(), &["check", "--color", "never", "all.json"], b"");
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    // 100 findings of SEC002 and one that counts the 600 others, none showing the whole line.
    assert!(
        text.contains("600 more SEC002 hardcoded-secret-in-secret-manifest findings"),
        "{}",
        &text[text.len().saturating_sub(2000)..]
    );
    assert!(
        text.len() < 101 * 2_000,
        "{} bytes of output for 101 findings",
        text.len()
    );
    let value = json(&akslint_in(
        dir.path(),
        &["check", "--format", "json", "all.json"],
        b"",
    ));
    assert_eq!(value["summary"]["findings"], 101);
    // Every secret is masked: the line is cut around each finding, and what is shown is masked.
    assert!(
        !text.contains("Tq7vLmW2xP"),
        "a secret value is shown whole"
    );
}

/// A ConfigMap whose duplicated key holds escape sequences, a carriage return and U+FFFE written
/// as YAML escapes (the duplicate-key message quotes the key), and a file that holds them raw in
/// a comment (Kubernetes refuses it; the syntax error's excerpt shows the line).
const HOSTILE_KEY: &str =
    "\u{1b}[2J\u{1b}]8;;https://example.invalid\u{7}x\u{1b}]8;;\u{7}\r\u{fffe}";

fn hostile_files(dir: &std::path::Path) {
    // The key as a YAML double-quoted scalar: every character past ASCII printing as `\uXXXX`.
    let key: String = HOSTILE_KEY
        .chars()
        .map(|c| match c {
            ' '..='~' => c.to_string(),
            c => format!("\\u{:04x}", c as u32),
        })
        .collect();
    fs::write(
        dir.join("cm.yaml"),
        format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  \"{key}\": a\n  \"{key}\": b\n"
        ),
    )
    .expect("write");
    fs::write(
        dir.join("raw.yaml"),
        format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: raw\n  # raw: {}\n",
            HOSTILE_KEY.replace('\r', "")
        ),
    )
    .expect("write");
}

#[test]
fn escape_sequences_from_a_file_reach_neither_the_terminal_nor_a_ci_log() {
    let dir = tempfile::tempdir().expect("temp dir");
    hostile_files(dir.path());
    for format in ["human", "github", "junit"] {
        let output = akslint_in(
            dir.path(),
            &["check", "--color", "never", "--format", format],
            b"",
        );
        assert_eq!(output.status.code(), Some(1), "{format}");
        let text = stdout(&output);
        for code in ["PARSE006", "PARSE001"] {
            assert!(text.contains(code), "{format}: {text}");
        }
        for control in ['\u{1b}', '\u{7}', '\r', '\u{fffe}'] {
            assert!(
                !text.contains(control),
                "{format} output holds {control:?}: {text:?}"
            );
        }
        assert!(
            text.contains("\\u{1b}"),
            "{format}: the escape is shown escaped"
        );
        if format == "junit" {
            roxmltree::Document::parse(&text).expect("well-formed XML");
        }
    }
    // JSON and SARIF carry the text as it is, escaped by JSON.
    let value = json(&akslint_in(
        dir.path(),
        &["check", "--format", "json", "cm.yaml"],
        b"",
    ));
    let message = value["findings"][0]["message"].as_str().expect("message");
    assert!(message.contains(HOSTILE_KEY), "{message:?}");
}

#[test]
fn a_file_name_with_escape_sequences_is_printed_escaped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let name = "\u{1b}[31mred.yaml";
    fs::write(dir.path().join(name), "a: [\n").expect("write");
    let output = akslint_in(dir.path(), &["check", "--color", "never"], b"");
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert!(text.contains("\\u{1b}[31mred.yaml"), "{text}");
}
