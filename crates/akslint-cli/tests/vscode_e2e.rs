//! End-to-end test of the VS Code extension in a real VS Code: `editors/vscode/e2e/run.sh`
//! packages the extension, installs it into VS Code 1.100.3 (the code-server npm package), and
//! runs its suite and UI checks against this build's binary. Skipped with a NOTICE when that
//! VS Code is not installed (`.ci/run` installs it with `editors/vscode/e2e/setup.sh`).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// Where `setup.sh` installed VS Code, when the install is complete.
fn vscode_prefix() -> Option<PathBuf> {
    let prefix = match std::env::var_os("AKSLINT_E2E_PREFIX") {
        Some(prefix) => PathBuf::from(prefix),
        None => PathBuf::from(std::env::var_os("HOME")?).join(".cache/akslint-e2e/code-server"),
    };
    prefix.join(".complete").is_file().then_some(prefix)
}

#[test]
fn vscode_end_to_end() {
    let Some(prefix) = vscode_prefix() else {
        common::skip(
            "VS Code for the end-to-end test is not installed \
             (bash editors/vscode/e2e/setup.sh ~/.cache/akslint-e2e/code-server)",
        );
        return;
    };
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = tempfile::tempdir().unwrap();
    let output = Command::new("bash")
        .arg(repo.join("editors/vscode/e2e/run.sh"))
        .arg(env!("CARGO_BIN_EXE_akslint"))
        .arg(out.path())
        .env("AKSLINT_E2E_PREFIX", &prefix)
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}{stderr}");
    let summary = stdout
        .lines()
        .find(|line| line.starts_with("vscode-e2e: "))
        .unwrap_or("no summary line");
    assert!(
        output.status.success(),
        "the VS Code end-to-end run failed: {summary}"
    );
    assert!(
        summary.ends_with(" 0 failed") && !summary.starts_with("vscode-e2e: 0 passed"),
        "unexpected summary: {summary}"
    );
}
