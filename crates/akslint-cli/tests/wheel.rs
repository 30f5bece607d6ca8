//! The Python wheel that carries the binary (crates/akslint-cli/pyproject.toml, built by
//! `.ci/run` with maturin): installed into a fresh virtual environment with no Rust and no
//! network, it runs `akslint --version` and a lint, and it carries nothing but the binary and its
//! metadata.

use std::path::Path;
use std::process::{Command, Output};

mod common;
use common::{built_wheel, path_without_rust, workspace};

fn run(program: &Path, args: &[&str], path: &str) -> Output {
    Command::new(program)
        .args(args)
        .env("PATH", path)
        .env_remove("VIRTUAL_ENV")
        .output()
        .unwrap_or_else(|err| panic!("{} {args:?}: {err}", program.display()))
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn wheel_installs_and_lints_without_rust() {
    let Some(wheel) = built_wheel() else { return };
    let venv = tempfile::tempdir().expect("temp dir");
    let path = path_without_rust();
    let created = run(
        Path::new("python3"),
        &["-m", "venv", &venv.path().display().to_string()],
        &path,
    );
    assert!(created.status.success(), "{}", text(&created));
    let bin = venv.path().join("bin");
    let installed = run(
        &bin.join("pip"),
        &[
            "install",
            "--quiet",
            "--no-index",
            &wheel.display().to_string(),
        ],
        &path,
    );
    assert!(installed.status.success(), "{}", text(&installed));

    let akslint = bin.join("akslint");
    let version = run(&akslint, &["--version"], &path);
    assert!(version.status.success(), "{}", text(&version));
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("akslint {}", env!("CARGO_PKG_VERSION"))
    );

    let example = workspace().join("corpus/example");
    let lint = run(
        &akslint,
        &["check", "--format", "json", &example.display().to_string()],
        &path,
    );
    assert_eq!(lint.status.code(), Some(1), "{}", text(&lint));
    let report: serde_json::Value = serde_json::from_slice(&lint.stdout).expect("JSON report");
    let codes: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|finding| finding["code"].as_str())
        .collect();
    assert!(!codes.is_empty(), "the example has findings: {report}");
}

#[test]
fn wheel_carries_only_the_binary_and_metadata() {
    let Some(wheel) = built_wheel() else { return };
    let listing = Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile\nfor n in zipfile.ZipFile(sys.argv[1]).namelist(): print(n)",
        ])
        .arg(&wheel)
        .output()
        .expect("python3 lists the wheel");
    assert!(listing.status.success(), "{}", text(&listing));
    let names = String::from_utf8_lossy(&listing.stdout).into_owned();
    let version = env!("CARGO_PKG_VERSION");
    let unexpected: Vec<&str> = names
        .lines()
        .filter(|name| {
            *name != format!("akslint-{version}.data/scripts/akslint")
                && !name.starts_with(&format!("akslint-{version}.dist-info/"))
        })
        .collect();
    assert!(unexpected.is_empty(), "unexpected files: {unexpected:?}");
    assert!(
        names
            .lines()
            .any(|name| name.ends_with(".dist-info/licenses/LICENSE")
                || name.ends_with(".dist-info/license_files/LICENSE")),
        "the licence is in the wheel:\n{names}"
    );
}

/// pre-commit installs the root `pyproject.toml` (a package with no code) for the `akslint` hook;
/// it must pin the wheel of this very version, or the hook would lint with another akslint.
#[test]
fn pre_commit_package_pins_this_version() {
    let pyproject =
        std::fs::read_to_string(workspace().join("pyproject.toml")).expect("root pyproject.toml");
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        pyproject.contains(&format!("\nversion = \"{version}\"\n")),
        "pyproject.toml's version is not {version}"
    );
    assert!(
        pyproject.contains(&format!("dependencies = [\"akslint=={version}\"]")),
        "pyproject.toml does not pin akslint=={version}"
    );
}
