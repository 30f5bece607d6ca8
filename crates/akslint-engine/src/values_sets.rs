//! Findings of a chart template's rendering, named by the rendered object and the values sets
//! they came from ("(rendered as Deployment web, values set `prod`)"); with several values sets,
//! each placed in the template, then the same finding (rule, place, message) of several sets
//! reported once, naming them all.

use std::path::PathBuf;
use std::sync::Arc;

use akslint_core::{ChartRendering, Diagnostic, RenderedFile, SharedSource, Span};
use akslint_helm::values_set::DEFAULT_SET_NAME;

/// How the findings of a rendered text are placed in its template (the engine's placement):
/// it places `diagnostics` and `sensitive`, adds secrets in other files to the last argument,
/// and returns the secrets' spans in the template.
pub(crate) type Place =
    fn(&RenderedFile, &mut [Diagnostic], &[Span], &mut Vec<(PathBuf, Span)>) -> Vec<Span>;

/// Places the findings of `rendered` (whose text holds several values sets' outputs, see
/// [`RenderedFile::values_sets`]) with `place`, merges those found in several sets, and names
/// the sets of those found in some only. Returns the secrets' spans in the template.
pub(crate) fn place_across_sets(
    rendered: &RenderedFile,
    diagnostics: &mut Vec<Diagnostic>,
    sensitive: &[Span],
    elsewhere: &mut Vec<(PathBuf, Span)>,
    place: Place,
) -> Vec<Span> {
    let mut in_template = place(rendered, &mut [], sensitive, elsewhere);
    let mut merged: Vec<(Diagnostic, Vec<usize>)> = Vec::new();
    for mut diagnostic in std::mem::take(diagnostics) {
        let set = set_of(rendered, &diagnostic);
        in_template.extend(place(
            rendered,
            std::slice::from_mut(&mut diagnostic),
            &[],
            elsewhere,
        ));
        let Some(set) = set else {
            merged.push((diagnostic, Vec::new()));
            continue;
        };
        let same = merged.iter_mut().find(|(kept, sets)| {
            !sets.is_empty()
                && kept.rule.code == diagnostic.rule.code
                && kept.file.path() == diagnostic.file.path()
                && kept.span == diagnostic.span
                && kept.message == diagnostic.message
        });
        match same {
            Some((kept, sets)) => {
                if !sets.contains(&set) {
                    sets.push(set);
                }
                join_renderings(kept, diagnostic.chart.as_deref());
                crate::built::absorb(kept, diagnostic.labels, diagnostic.sensitive);
            }
            None => merged.push((diagnostic, vec![set])),
        }
    }
    *diagnostics = merged
        .into_iter()
        .map(|(mut diagnostic, mut sets)| {
            if let Some(chart) = diagnostic.chart.as_mut().filter(|_| !sets.is_empty()) {
                sets.sort_unstable();
                chart.values_sets = sets
                    .iter()
                    .map(|&at| rendered.values_sets[at].1.clone())
                    .collect();
            }
            diagnostic
        })
        .collect();
    diagnostics.sort_by(Diagnostic::sort_key_cmp);
    in_template.sort_unstable();
    in_template.dedup();
    in_template
}

/// The rendering a finding of `rendered` (still in the rendered text) came from: its object
/// (from its subject) and its values set (`default` when the chart rendered with one).
pub(crate) fn rendering_of(rendered: &RenderedFile, diagnostic: &Diagnostic) -> ChartRendering {
    let set = set_of(rendered, diagnostic)
        .map_or(DEFAULT_SET_NAME, |at| rendered.values_sets[at].1.as_str());
    ChartRendering {
        objects: diagnostic
            .subject
            .as_ref()
            .and_then(|subject| object_named(&subject.object))
            .into_iter()
            .collect(),
        values_sets: vec![set.to_owned()],
        sets_rendered: rendered.values_sets.len().max(1),
    }
}

/// An object as messages name it (`Deployment web`), from its identity (`Deployment shop/web`);
/// `None` for no object.
fn object_named(identity: &str) -> Option<String> {
    let (kind, name) = identity.split_once(' ')?;
    let name = name.rsplit('/').next().unwrap_or(name);
    Some(format!("{kind} {name}"))
}

/// Takes into `kept` the objects and values sets of a twin's rendering (the same finding of
/// another set, or printed by another template).
pub(crate) fn join_renderings(kept: &mut Diagnostic, other: Option<&ChartRendering>) {
    let (Some(kept), Some(other)) = (kept.chart.as_mut(), other) else {
        return;
    };
    for object in &other.objects {
        if !kept.objects.contains(object) {
            kept.objects.push(object.clone());
        }
    }
    for set in &other.values_sets {
        if !kept.values_sets.contains(set) {
            kept.values_sets.push(set.clone());
        }
    }
    kept.sets_rendered = kept.sets_rendered.max(other.sets_rendered);
}

/// Names a chart finding's rendering at the end of its message: the rendered objects unless the
/// message names them already, and, when the chart rendered with several values sets, the sets
/// that have it: "(rendered as Deployment web, values set `prod`)".
pub(crate) fn name_rendering(diagnostic: &mut Diagnostic) {
    let Some(chart) = &diagnostic.chart else {
        return;
    };
    let mut parts = Vec::new();
    if !chart
        .objects
        .iter()
        .all(|object| diagnostic.message.contains(object.as_str()))
    {
        parts.push(format!("rendered as {}", and_list(&chart.objects)));
    }
    if chart.sets_rendered > 1 {
        let names: Vec<&str> = chart.values_sets.iter().map(String::as_str).collect();
        parts.push(akslint_helm::values_sets_named(&names));
    }
    if !parts.is_empty() {
        diagnostic.message = format!("{} ({})", diagnostic.message, parts.join(", "));
    }
}

/// "a", "a and b", "a, b and c".
fn and_list(items: &[String]) -> String {
    match items.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// The values set (an index of [`RenderedFile::values_sets`]) whose part of the rendered text a
/// finding is in; `None` for a finding in another file.
fn set_of(rendered: &RenderedFile, diagnostic: &Diagnostic) -> Option<usize> {
    if !is_rendered(rendered, &diagnostic.file) {
        return None;
    }
    rendered
        .values_sets
        .iter()
        .position(|(span, _)| span.contains_offset(diagnostic.span.start as usize))
}

/// Whether a file is this rendered text (or an equal one of an earlier analysis).
fn is_rendered(rendered: &RenderedFile, file: &SharedSource) -> bool {
    Arc::ptr_eq(file, &rendered.file)
        || (file.path() == rendered.file.path() && file.text() == rendered.file.text())
}
