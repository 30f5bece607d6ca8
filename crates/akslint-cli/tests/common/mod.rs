//! Helpers shared by the CLI's end-to-end tests: run the real `akslint` binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Reports that a test cannot run here: a notice on stderr, or, under CI (`CI=true`), where every
/// tool and data set must be present, a failure.
pub fn skip(what: &str) {
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{what}, under CI"
    );
    eprintln!("NOTICE: {what}; skipping");
}

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

/// Runs `akslint` in `cwd` with `args`, feeding `stdin`.
pub fn akslint_in(cwd: &Path, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_akslint"))
        .args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("akslint starts");
    {
        use std::io::Write;
        let mut input = child.stdin.take().expect("stdin");
        // akslint may exit before reading stdin (a usage error): a broken pipe is fine.
        if let Err(err) = input.write_all(stdin) {
            assert_eq!(
                err.kind(),
                std::io::ErrorKind::BrokenPipe,
                "write stdin: {err}"
            );
        }
    }
    child.wait_with_output().expect("akslint finishes")
}

/// A temporary folder holding `files` (name, text).
pub fn fixture_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    dir
}

pub fn akslint(args: &[&str]) -> Output {
    akslint_in(&workspace(), args, b"")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("utf-8 stdout")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("utf-8 stderr")
}

pub fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).expect("valid JSON")
}

/// A JSON finding's rule code, file and start line.
pub fn code_file_line(finding: &serde_json::Value) -> (String, String, u64) {
    (
        finding["code"].as_str().unwrap_or_default().to_owned(),
        finding["file"].as_str().unwrap_or_default().to_owned(),
        finding["start"]["line"].as_u64().unwrap_or_default(),
    )
}

pub fn codes(value: &serde_json::Value) -> Vec<String> {
    value["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["code"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// The `akslint` wheel of this version (`.ci/run` builds it with maturin into the folder named
/// by `AKSLINT_WHEEL_DIR`), or `None` after [`skip`] when there is none.
pub fn built_wheel() -> Option<PathBuf> {
    let Some(dir) = std::env::var_os("AKSLINT_WHEEL_DIR").map(PathBuf::from) else {
        skip("AKSLINT_WHEEL_DIR is unset (.ci/run builds the wheel with maturin)");
        return None;
    };
    let prefix = format!("akslint-{}-", env!("CARGO_PKG_VERSION"));
    let wheel = std::fs::read_dir(&dir).ok().and_then(|entries| {
        entries.flatten().map(|entry| entry.path()).find(|path| {
            path.file_name()
                .map(|name| name.to_string_lossy())
                .is_some_and(|name| name.starts_with(&prefix) && name.ends_with(".whl"))
        })
    });
    if wheel.is_none() {
        skip(&format!("no {prefix}*.whl in {}", dir.display()));
    }
    wheel
}

/// A `PATH` without any folder that holds `cargo`, `rustc` or `akslint`: what a machine without
/// Rust and without akslint installed has.
pub fn path_without_rust() -> String {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let kept: Vec<PathBuf> = std::env::split_paths(&path)
        .filter(|dir| {
            !["cargo", "rustc", "akslint"]
                .iter()
                .any(|tool| dir.join(tool).exists())
        })
        .collect();
    std::env::join_paths(kept)
        .expect("PATH entries")
        .to_string_lossy()
        .into_owned()
}
