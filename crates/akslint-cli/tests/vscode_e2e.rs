//! End-to-end test of the VS Code extension in a real VS Code: `editors/vscode/e2e/run.sh`
//! installs the platform .vsix with its bundled binary into VS Code 1.100.3 (the code-server
//! npm package), with no akslint on the PATH and the workspace untrusted, and runs its suite and
//! UI checks. The .vsix is `$AKSLINT_VSIX` (`.ci/run` packages the release binary), else one
//! packaged here around this build's binary with `editors/vscode/scripts/package.sh`; under
//! `CI=true` it must be given. Skipped with a NOTICE when that VS Code is not installed
//! (`.ci/run` installs it with `editors/vscode/e2e/setup.sh`).

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

/// The .vsix to test: `$AKSLINT_VSIX`, or (outside CI) one packaged into `out` around this
/// build's binary.
fn extension_package(repo: &Path, out: &Path) -> PathBuf {
    if let Some(vsix) = std::env::var_os("AKSLINT_VSIX") {
        let vsix = PathBuf::from(vsix);
        assert!(
            vsix.is_file(),
            "AKSLINT_VSIX={} is not a file",
            vsix.display()
        );
        return vsix;
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "AKSLINT_VSIX is not set, under CI (.ci/run packages the .vsix)"
    );
    let vsix = out.join("akslint.vsix");
    let packaged = Command::new("bash")
        .arg(repo.join("editors/vscode/scripts/package.sh"))
        .arg(env!("CARGO_BIN_EXE_akslint"))
        .arg(&vsix)
        .output()
        .expect("bash runs");
    assert!(
        packaged.status.success(),
        "package.sh failed: {}{}",
        String::from_utf8_lossy(&packaged.stdout),
        String::from_utf8_lossy(&packaged.stderr)
    );
    vsix
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
    let vsix = extension_package(&repo, out.path());
    let output = Command::new("bash")
        .arg(repo.join("editors/vscode/e2e/run.sh"))
        .arg(&vsix)
        .arg(out.path().join("run"))
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
