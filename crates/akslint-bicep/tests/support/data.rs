//! Locating and reading the Bicep compiler's conformance data (shared by the integration tests).

use std::fs;
use std::path::{Path, PathBuf};

/// Reports that a test cannot run here: a notice on stderr, or, under CI (`CI=true`), where every
/// tool and data set must be present, a failure.
pub fn skip(what: &str) {
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{what}, under CI"
    );
    eprintln!("NOTICE: {what}; skipping");
}

/// The conformance data (`shared/bicep-conformance` beside the workspace), or `None` (see [`skip`]) if it
/// is absent, in which case the calling test must return early.
pub fn conformance_dir(test: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/bicep-conformance");
    if dir.is_dir() {
        Some(dir)
    } else {
        skip(&format!(
            "{test}: conformance data not found at {} (it is not part of the repository)",
            dir.display()
        ));
        None
    }
}

/// Every `.bicep` and `.bicepparam` source file under `dir` (baselines excluded), sorted.
pub fn source_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("readable directory").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if is_source(&path) {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn is_source(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    (name.ends_with(".bicep") || name.ends_with(".bicepparam"))
        && !name.contains(".diagnostics.")
        && !name.contains(".tokens.")
}

/// The grammar that a file's extension calls for.
pub fn file_kind(path: &Path) -> akslint_bicep::FileKind {
    if path.extension().is_some_and(|e| e == "bicepparam") {
        akslint_bicep::FileKind::Params
    } else {
        akslint_bicep::FileKind::Bicep
    }
}

/// Reads a file as UTF-8.
pub fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every folder under `dir` with a `main.bicep` and the `main.json` the Bicep CLI compiled from
/// it, sorted.
#[allow(dead_code)] // used by some of the test and bench binaries that include this file
pub fn compiled_samples(dir: &Path) -> Vec<PathBuf> {
    let mut samples = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in fs::read_dir(&folder).expect("readable directory").flatten() {
            if entry.path().is_dir() {
                stack.push(entry.path());
            }
        }
        if folder.join("main.bicep").is_file() && folder.join("main.json").is_file() {
            samples.push(folder);
        }
    }
    samples.sort();
    samples
}

/// A benchmark's input filter: the arguments that do not start with `-` (`cargo bench` passes
/// `--bench`) select the inputs whose label contains one of them; none select every input.
#[allow(dead_code)] // used by the benches only
pub fn label_filter() -> impl Fn(&str) -> bool {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    move |label| filters.is_empty() || filters.iter().any(|f| label.contains(f))
}
