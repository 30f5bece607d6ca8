//! The evaluation in independent groups (`evaluate_in_groups`, what the front end runs) gives
//! what one evaluation of all the files gives, over the real AKS repositories of
//! `shared/corpus-real/bicep` and the compiler's conformance data, each tree as one run (as
//! `akslint` on that folder). Skips with a notice when the data is absent.

#[path = "support/data.rs"]
#[allow(dead_code)]
mod data;

use std::fs;
use std::path::{Path, PathBuf};

use std::sync::Arc;

use akslint_bicep::Evaluation;
use akslint_core::{DiskLoader, ProjectSource, SourceFile, SourceKind};

/// The `.bicep` and `.bicepparam` files under `dir` (compiler baselines excluded), sorted.
fn sources(dir: &Path) -> Vec<ProjectSource> {
    data::source_files(dir)
        .into_iter()
        .filter_map(|path| {
            let text = SourceFile::decode(fs::read(&path).ok()?).ok()?;
            let kind = SourceKind::from_path(&path)?;
            Some(ProjectSource {
                file: Arc::new(SourceFile::new(path, kind, text)),
                syntax: None,
                template: None,
            })
        })
        .collect()
}

/// What an evaluation says, in a comparable form: every resource (file, declaration, name,
/// iteration, body, origins, module calls), declaration file, parameter value and note, in order.
fn summary(evaluation: &Evaluation) -> Vec<String> {
    let mut out = Vec::new();
    for r in &evaluation.resources {
        let origins: Vec<String> = r
            .origins
            .iter()
            .map(|o| {
                format!(
                    "{:?}@{}{:?}",
                    o.node,
                    o.location.file.path().display(),
                    o.location.span
                )
            })
            .collect();
        let via: Vec<String> = r
            .via
            .iter()
            .map(|l| format!("{}{:?}", l.file.path().display(), l.span))
            .collect();
        out.push(format!(
            "resource {} {:?} {} {:?} {:?} {:?} {:?} {origins:?} {via:?}",
            r.file.path().display(),
            r.declaration_span,
            r.symbolic_name,
            r.iteration.as_ref().map(|i| &i.indices),
            r.condition,
            r.body,
            r.root,
        ));
    }
    for f in &evaluation.files {
        out.push(format!("file {}", f.file.path().display()));
    }
    let mut bindings: Vec<String> = evaluation
        .bindings
        .iter()
        .map(|b| {
            format!(
                "binding {}{:?} {} {:?}",
                b.argument.file.path().display(),
                b.argument.span,
                b.name,
                b.value.as_ref().map(|v| &v.text)
            )
        })
        .collect();
    // The order of the parameter values is not part of the result (the project index sorts them).
    bindings.sort();
    out.extend(bindings);
    for n in &evaluation.notes {
        out.push(format!(
            "note {:?} {}",
            n.location.as_ref().map(|l| (l.file.path(), l.span)),
            n.message
        ));
    }
    out
}

fn same_as_one_evaluation(dir: PathBuf) {
    let files = sources(&dir);
    assert!(!files.is_empty(), "no Bicep under {}", dir.display());
    let loader = DiskLoader::default();
    let grouped = akslint_bicep::evaluate_in_groups(files.clone(), &loader);
    let whole = akslint_bicep::evaluate(&files, &loader);
    let (grouped, whole) = (summary(&grouped), summary(&whole));
    assert!(!whole.is_empty());
    for (i, (a, b)) in grouped.iter().zip(&whole).enumerate() {
        assert_eq!(a, b, "entry {i} of {}", dir.display());
    }
    assert_eq!(grouped.len(), whole.len(), "{}", dir.display());
}

#[test]
fn groups_give_what_one_evaluation_gives_on_real_repositories() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus-real/bicep");
    if dir.is_dir() {
        same_as_one_evaluation(dir);
    } else {
        data::skip(&format!(
            "{} not found (it is not part of the repository)",
            dir.display()
        ));
    }
}

#[test]
fn groups_give_what_one_evaluation_gives_on_the_conformance_data() {
    if let Some(dir) = data::conformance_dir("groups_give_what_one_evaluation_gives") {
        same_as_one_evaluation(dir);
    }
}
