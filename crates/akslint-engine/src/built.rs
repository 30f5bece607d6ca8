//! Findings in the build of a kustomization placed where their values were written: a base's
//! resource, a patch, a generator's literal. The same finding reached through several
//! kustomizations (a base built on its own and by its overlays) is reported once, naming them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use akslint_core::{Diagnostic, Label, Placement, RenderedFile, SharedSource, Span};

use akslint_kustomize::is_kustomization_file;
use akslint_kustomize::kustomization::normalize;

use crate::engine::FileAnalysis;

/// A finding of a kustomization's build, placed in the file that wrote it.
#[derive(Clone, Debug)]
pub struct PlacedFinding {
    /// The finding, in the file and at the bytes that wrote its value.
    pub diagnostic: Diagnostic,
    /// The kustomization whose build it was found in.
    pub kustomization: SharedSource,
}

/// Whether the analysis is of a kustomization's build, whose findings are placed at their
/// sources.
pub fn builds_at_source(analysis: &FileAnalysis) -> bool {
    analysis
        .rendered
        .as_ref()
        .is_some_and(|r| r.placement == Placement::AtSource)
}

/// The files a kustomization's build read, other than kustomizations (which are built on their
/// own when linted), paths normalized: their objects reach the linter through the build, so
/// they are not linted on their own (see [`crate::Engine::analyse_for_placement`]).
pub fn files_read_by_build(analysis: &FileAnalysis) -> Vec<PathBuf> {
    let Some(rendered) = analysis
        .rendered
        .as_ref()
        .filter(|r| r.placement == Placement::AtSource)
    else {
        return Vec::new();
    };
    rendered
        .sources
        .iter()
        .map(|file| normalize(file.path()))
        .filter(|path| !is_kustomization_file(path))
        .collect()
}

/// Takes the findings of a kustomization's build out of its analysis (those of its rules, and
/// `cross_file`, those of the project stage) and places each where its value was written, with
/// its secrets and related places; without fixes (an edit of the build is no edit of its
/// files). Findings in the kustomization's own text (build errors) stay in the analysis.
pub fn place_built(analysis: &mut FileAnalysis, cross_file: Vec<Diagnostic>) -> Vec<PlacedFinding> {
    let found = std::mem::take(&mut analysis.diagnostics)
        .into_iter()
        .chain(cross_file)
        .collect();
    let (placed, own) = place_in_build(analysis, found);
    analysis.diagnostics = own;
    placed
}

/// [`place_built`] for findings kept outside the analysis: those in the build's rendered text
/// placed at their sources, and the others (in the kustomization's own text) as they are. The
/// language server places its rules' findings once per build, and the project stage's each
/// time that stage runs again.
pub fn place_in_build(
    analysis: &FileAnalysis,
    found: Vec<Diagnostic>,
) -> (Vec<PlacedFinding>, Vec<Diagnostic>) {
    let Some(rendered) = &analysis.rendered else {
        return (Vec::new(), found);
    };
    let (in_build, own): (Vec<Diagnostic>, Vec<Diagnostic>) = found
        .into_iter()
        .partition(|d| in_rendered(rendered, &d.file));
    let placed = in_build
        .into_iter()
        .map(|diagnostic| PlacedFinding {
            diagnostic: place(rendered, diagnostic),
            kustomization: analysis.file.clone(),
        })
        .collect();
    (placed, own)
}

/// Whether a file is the rendered text of this build (or an equal one of an earlier analysis).
fn in_rendered(rendered: &RenderedFile, file: &SharedSource) -> bool {
    Arc::ptr_eq(file, &rendered.file)
        || (file.path() == rendered.file.path() && file.text() == rendered.file.text())
}

/// One finding of the build placed at its source.
fn place(rendered: &RenderedFile, mut diagnostic: Diagnostic) -> Diagnostic {
    let at = rendered.locate_source(diagnostic.span);
    diagnostic.sensitive = diagnostic
        .sensitive
        .iter()
        .map(|span| rendered.locate_source(*span))
        .filter(|secret| secret.file.path() == at.file.path())
        .map(|secret| secret.span)
        .collect();
    diagnostic.file = at.file;
    diagnostic.span = at.span;
    for label in &mut diagnostic.labels {
        if in_rendered(rendered, &label.file) {
            let at = rendered.locate_source(label.span);
            label.file = at.file;
            label.span = at.span;
        }
    }
    diagnostic.fix = None;
    diagnostic.fix_plan = None;
    diagnostic.helm_template = None;
    diagnostic
}

/// The placed findings, one per place and rule: a finding reached through several
/// kustomizations names them all in its message, each one a related place.
pub fn merge_kustomizations(found: Vec<PlacedFinding>) -> Vec<Diagnostic> {
    let mut merged: Vec<(Diagnostic, Vec<SharedSource>)> = Vec::new();
    for PlacedFinding {
        diagnostic,
        kustomization,
    } in found
    {
        let same = merged.iter_mut().find(|(d, _)| {
            d.rule.code == diagnostic.rule.code
                && d.span == diagnostic.span
                && d.file.path() == diagnostic.file.path()
        });
        match same {
            Some((kept, kustomizations)) => {
                if !kustomizations
                    .iter()
                    .any(|k| k.path() == kustomization.path())
                {
                    kustomizations.push(kustomization);
                }
                kept.sensitive.extend(diagnostic.sensitive);
                kept.sensitive.sort();
                kept.sensitive.dedup();
            }
            None => merged.push((diagnostic, vec![kustomization])),
        }
    }
    merged
        .into_iter()
        .map(|(mut diagnostic, mut kustomizations)| {
            kustomizations.sort_by(|a, b| a.path().cmp(b.path()));
            let names: Vec<String> = kustomizations
                .iter()
                .map(|k| format!("`{}`", folder_of(k.path()).display()))
                .collect();
            let noun = if names.len() == 1 {
                "kustomization"
            } else {
                "kustomizations"
            };
            diagnostic.message = format!(
                "{} (built by {noun} {})",
                diagnostic.message,
                names.join(", ")
            );
            for kustomization in kustomizations {
                diagnostic.labels.push(Label {
                    file: kustomization,
                    span: Span::empty(0),
                    message: "the kustomization that builds it".to_owned(),
                });
            }
            diagnostic
        })
        .collect()
}

/// The folder of a kustomization file (`.` for one in the current folder).
fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}
