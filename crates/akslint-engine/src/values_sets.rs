//! Findings of a chart template rendered with several values sets: each placed in the template,
//! then the same finding (rule, place, message) of several sets reported once, and one found in
//! some sets only naming them ("(values set `prod`)").

use std::path::PathBuf;
use std::sync::Arc;

use akslint_core::{Diagnostic, RenderedFile, SharedSource, Span};

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
                crate::built::absorb(kept, diagnostic.labels, diagnostic.sensitive);
            }
            None => merged.push((diagnostic, vec![set])),
        }
    }
    let count = rendered.values_sets.len();
    *diagnostics = merged
        .into_iter()
        .map(|(mut diagnostic, mut sets)| {
            if !sets.is_empty() && sets.len() < count {
                sets.sort_unstable();
                let names: Vec<&str> = sets
                    .iter()
                    .map(|&at| rendered.values_sets[at].1.as_str())
                    .collect();
                diagnostic.message = format!(
                    "{} {}",
                    diagnostic.message,
                    akslint_helm::in_values_sets(&names)
                );
            }
            diagnostic
        })
        .collect();
    diagnostics.sort_by(Diagnostic::sort_key_cmp);
    in_template.sort_unstable();
    in_template.dedup();
    in_template
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
