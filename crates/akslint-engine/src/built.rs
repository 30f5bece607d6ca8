//! Findings in a rendered text placed where their values were written. In the build of a
//! kustomization: a base's resource, a patch, a generator's literal; the same finding reached
//! through several kustomizations (a base built on its own and by its overlays) is reported
//! once, naming them. In a Helm chart template's output: a value the template printed from a
//! values file is reported at the values key, with the template's action as a related place;
//! the same key printed by several templates is reported once, with each of them.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use akslint_core::{Diagnostic, Label, Location, Placement, RenderedFile, SharedSource, Span};

use akslint_kustomize::is_kustomization_file;
use akslint_kustomize::kustomization::normalize;

use crate::engine::FileAnalysis;

/// A finding of a rendered text, placed in the file that wrote its value.
#[derive(Clone, Debug)]
pub struct PlacedFinding {
    /// The finding, in the file and at the bytes that wrote its value.
    pub diagnostic: Diagnostic,
    /// The file whose rendering it was found in: the kustomization, or the chart template.
    pub built_by: SharedSource,
    /// How the rendering places findings: at their sources (a kustomization's build, named in
    /// the message), or from a chart template into a values file (the template related).
    pub placement: Placement,
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

/// Whether the analysis is of a rendered text (a kustomization's build, a chart template)
/// whose findings may be placed in other files: [`place_built`] takes those out.
pub fn places_elsewhere(analysis: &FileAnalysis) -> bool {
    analysis.rendered.is_some()
}

/// Takes the findings that belong in other files out of an analysis of a rendered text (those
/// of its rules, and `cross_file`, those of the project stage) and places each where its value
/// was written, with its secrets and related places. For a kustomization, every finding of its
/// build, without fixes (an edit of the rendered text is no edit of its files); for a chart
/// template, those whose value a values file wrote, with a fix that replaces that value. The others stay in the analysis (the
/// kustomization's build errors; what the template wrote, which [`crate::Engine::finish`]
/// places in the template).
pub fn place_built(analysis: &mut FileAnalysis, cross_file: Vec<Diagnostic>) -> Vec<PlacedFinding> {
    let found = std::mem::take(&mut analysis.diagnostics)
        .into_iter()
        .chain(cross_file)
        .collect();
    let (placed, own) = place_in_build(analysis, found);
    analysis.diagnostics = own;
    placed
}

/// [`place_built`] for findings kept outside the analysis: those placed in other files, and
/// the others as they are. The language server places its rules' findings once per
/// rendering, and the project stage's each time that stage runs again.
pub fn place_in_build(
    analysis: &FileAnalysis,
    found: Vec<Diagnostic>,
) -> (Vec<PlacedFinding>, Vec<Diagnostic>) {
    let Some(rendered) = &analysis.rendered else {
        return (Vec::new(), found);
    };
    let mut placed = Vec::new();
    let mut own = Vec::new();
    for diagnostic in found {
        if !in_rendered(rendered, &diagnostic.file) {
            own.push(diagnostic);
            continue;
        }
        let diagnostic = match rendered.placement {
            Placement::AtSource => place(rendered, diagnostic),
            Placement::InTemplate => match values_place(rendered, diagnostic.span) {
                Some(at) => {
                    let chart = crate::values_sets::rendering_of(rendered, &diagnostic);
                    let mut placed = place_in_values(rendered, diagnostic, at);
                    placed.chart = Some(Box::new(chart));
                    placed
                }
                None => {
                    own.push(diagnostic);
                    continue;
                }
            },
        };
        placed.push(PlacedFinding {
            diagnostic,
            built_by: analysis.file.clone(),
            placement: rendered.placement,
        });
    }
    (placed, own)
}

/// Where a values file wrote the bytes `span` of a chart template's output (no byte of them
/// being the template's own text or a helper's).
fn values_place(rendered: &RenderedFile, span: Span) -> Option<Location> {
    rendered
        .written_elsewhere(span)
        .filter(|at| is_values_file(at.file.path()))
}

/// Whether a file a chart's rendering read is a values file: a YAML file outside the chart's
/// `templates/` folders (which hold its templates and helpers).
fn is_values_file(path: &Path) -> bool {
    let yaml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
    yaml && !path
        .components()
        .any(|c| c == Component::Normal("templates".as_ref()))
}

/// One finding of a chart template's output placed at the values key that wrote its value
/// (`at`), the template's action that prints it a related place; with its fix when the fix
/// replaces that value alone ([`akslint_helm::fix::chart_fix`]).
fn place_in_values(
    rendered: &RenderedFile,
    mut diagnostic: Diagnostic,
    at: Location,
) -> Diagnostic {
    let (in_template, _) = rendered.locate(diagnostic.span);
    let fix = akslint_helm::fix::chart_fix(rendered, &diagnostic);
    diagnostic.sensitive = diagnostic
        .sensitive
        .iter()
        .filter_map(|span| values_place(rendered, *span))
        .filter(|secret| Arc::ptr_eq(&secret.file, &at.file))
        .map(|secret| secret.span)
        .collect();
    for label in &mut diagnostic.labels {
        if in_rendered(rendered, &label.file) {
            let (placed, _) = rendered.locate(label.span);
            label.file = placed.file;
            label.span = placed.span;
        }
    }
    diagnostic.labels.insert(
        0,
        Label {
            file: in_template.file,
            span: in_template.span,
            message: TEMPLATE_LABEL.to_owned(),
        },
    );
    diagnostic.file = at.file;
    diagnostic.span = at.span;
    diagnostic.fix = fix
        .filter(|(file, _)| Arc::ptr_eq(file, &diagnostic.file))
        .map(|(_, fix)| Box::new(fix));
    diagnostic.fix_plan = None;
    diagnostic.helm_template = None;
    diagnostic
}

/// The related place of a finding placed at a values key: the template's action.
const TEMPLATE_LABEL: &str = "the template writes it here";

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
/// kustomizations names them all in its message, each one a related place; a values key
/// printed by several chart templates has each template's action as a related place, and its
/// message names the rendered objects and values sets (see
/// [`crate::values_sets::name_rendering`]).
pub fn merge_placed(found: Vec<PlacedFinding>) -> Vec<Diagnostic> {
    let mut merged: Vec<(Diagnostic, Vec<SharedSource>)> = Vec::new();
    for PlacedFinding {
        diagnostic,
        built_by,
        placement,
    } in found
    {
        let same = merged.iter_mut().find(|(d, _)| {
            d.rule.code == diagnostic.rule.code
                && d.span == diagnostic.span
                && d.file.path() == diagnostic.file.path()
        });
        match same {
            Some((kept, kustomizations)) => {
                if placement == Placement::AtSource
                    && !kustomizations.iter().any(|k| k.path() == built_by.path())
                {
                    kustomizations.push(built_by);
                }
                // Each template that prints the value is related (a kustomization's finding
                // names its kustomizations instead).
                let labels = match placement {
                    Placement::InTemplate => {
                        crate::values_sets::join_renderings(kept, diagnostic.chart.as_deref());
                        diagnostic.labels
                    }
                    Placement::AtSource => Vec::new(),
                };
                absorb(kept, labels, diagnostic.sensitive);
            }
            None => {
                let kustomizations = match placement {
                    Placement::AtSource => vec![built_by],
                    Placement::InTemplate => Vec::new(),
                };
                merged.push((diagnostic, kustomizations));
            }
        }
    }
    merged
        .into_iter()
        .map(|(mut diagnostic, kustomizations)| {
            if !kustomizations.is_empty() {
                name_kustomizations(&mut diagnostic, kustomizations);
            }
            crate::values_sets::name_rendering(&mut diagnostic);
            diagnostic
        })
        .collect()
}

/// Names the kustomizations that build a finding in its message, each a related place.
fn name_kustomizations(diagnostic: &mut Diagnostic, mut kustomizations: Vec<SharedSource>) {
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
}

/// The folder of a kustomization file (`.` for one in the current folder).
fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Takes into `kept` what a twin of it (the same finding reached another way) adds: related
/// places it lacks and its secrets' spans.
pub(crate) fn absorb(kept: &mut Diagnostic, labels: Vec<Label>, sensitive: Vec<Span>) {
    for label in labels {
        let known = kept.labels.iter().any(|l| {
            l.file.path() == label.file.path() && l.span == label.span && l.message == label.message
        });
        if !known {
            kept.labels.push(label);
        }
    }
    kept.sensitive.extend(sensitive);
    kept.sensitive.sort_unstable();
    kept.sensitive.dedup();
}
