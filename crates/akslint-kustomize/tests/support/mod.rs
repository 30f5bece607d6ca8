//! What the provenance tests share: where an origin points, and finding built objects.

#![allow(dead_code)] // each test file uses its part

use std::path::{Path, PathBuf};

use akslint_kustomize::{Built, Node, Origin};

/// A folder of test cases under `tests/` (`cases`, `helm_cases`).
pub fn case(set: &str, name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(set)
        .join(name)
}

/// The file name and text of a value's origin.
pub fn written(built: &Built, origin: Origin) -> (String, String) {
    let file = built.file(origin);
    let name = file
        .path()
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    (name, file.slice(origin.span).to_owned())
}

/// The built object of `kind` (and `name`, when given).
pub fn object<'a>(built: &'a Built, kind: &str, name: Option<&str>) -> &'a Node {
    &built
        .resources
        .iter()
        .find(|r| r.kind() == kind && name.is_none_or(|n| r.name() == n))
        .expect("the object")
        .node
}
