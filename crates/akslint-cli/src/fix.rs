//! `--fix`, `--unsafe-fixes` and `--diff`: apply the findings' fixes, re-lint, repeat.
//!
//! Fixes are applied to texts held in memory (an [`Overlay`]) in rounds: each round lints the
//! run, takes every applicable fix whose edits do not overlap an edit already taken for the same
//! file, and applies them. A file whose fixed text would not parse any more (new `PARSE`
//! findings) keeps its previous text and is reported. Rounds stop when nothing changes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use akslint_core::{Applicability, Edit, Family, SourceKind, Span, masked_text};
use akslint_engine::{ConfigError, ConfigResolver, Engine, Notice, NoticeLevel, Report};

use akslint_engine::walk::Input;
use akslint_engine::{Content, Overlay, StdinInput, run};

/// At most this many rounds of fixing.
const MAX_ROUNDS: usize = 10;

/// What fixing produced.
pub struct Fixed {
    /// The final texts of the files that changed, with their original texts.
    pub changes: BTreeMap<PathBuf, (String, String)>,
    /// The spans of the original texts of `changes` that hold secrets, to mask in a diff.
    pub original_secrets: BTreeMap<PathBuf, Vec<Span>>,
    /// How many fixes were applied to each file of `changes`, over every round.
    pub applied: BTreeMap<PathBuf, usize>,
    /// The report of the final texts.
    pub report: Report,
    /// Fixes refused because the result would not parse.
    pub refused: Vec<Notice>,
}

/// Why a file may not be fixed, if it may not (see [`outside_its_folder`]).
pub type Refusal<'a> = &'a dyn Fn(&Path) -> Option<String>;

/// Applies fixes until none is left; `unsafe_fixes` takes the unsafe ones too. A file `refuse`
/// gives a reason for is linted but not fixed, and the reason reported.
pub fn fix(
    engine: &Engine,
    resolver: &ConfigResolver,
    inputs: &[Input],
    stdin: &StdinInput,
    unsafe_fixes: bool,
    refuse: Refusal<'_>,
) -> Result<Fixed, ConfigError> {
    let mut overlay = Overlay::new();
    let mut originals: BTreeMap<PathBuf, String> = BTreeMap::new();
    let mut original_secrets: BTreeMap<PathBuf, Vec<Span>> = BTreeMap::new();
    let mut refused: Vec<Notice> = Vec::new();
    let mut applied: BTreeMap<PathBuf, usize> = BTreeMap::new();
    let mut report = run(engine, resolver, inputs, stdin, &overlay)?;
    for _ in 0..MAX_ROUNDS {
        let mut changed = false;
        for file_report in &report.files {
            let file = &file_report.file;
            if refused.iter().any(|notice| notice.path == file.path()) {
                continue;
            }
            let (edits, fixes) = applicable_edits(&file_report.diagnostics, unsafe_fixes);
            if edits.is_empty() {
                continue;
            }
            if let Some(reason) = refuse(file.path()) {
                refused.push(Notice {
                    path: file.path().to_owned(),
                    level: NoticeLevel::Warning,
                    message: format!("fixes not applied: {reason}"),
                });
                continue;
            }
            let fixed = apply(file.text(), &edits);
            if breaks_parsing(engine, resolver, file.path(), file.text(), &fixed) {
                refused.push(Notice {
                    path: file.path().to_owned(),
                    level: NoticeLevel::Warning,
                    message: "fixes not applied: the fixed file would not parse".to_owned(),
                });
                continue;
            }
            originals
                .entry(file.path().to_owned())
                .or_insert_with(|| file.text().to_owned());
            original_secrets
                .entry(file.path().to_owned())
                .or_insert_with(|| file_report.sensitive.clone());
            overlay.insert(file.path().to_owned(), fixed);
            *applied.entry(file.path().to_owned()).or_default() += fixes;
            changed = true;
        }
        if !changed {
            break;
        }
        report = run(engine, resolver, inputs, stdin, &overlay)?;
    }
    let changes: BTreeMap<PathBuf, (String, String)> = originals
        .into_iter()
        .filter_map(|(path, original)| {
            let fixed = overlay.remove(&path)?;
            (fixed != original).then_some((path, (original, fixed)))
        })
        .collect();
    applied.retain(|path, _| changes.contains_key(path));
    Ok(Fixed {
        changes,
        original_secrets,
        applied,
        report,
        refused,
    })
}

/// Why `--fix` refuses to write a file: it is reached through a symbolic link and the file
/// written would be outside the folder it was found in (`folder`; the current folder for a file
/// named itself), so a link in a repository cannot make akslint rewrite a file elsewhere.
pub fn outside_its_folder(cwd: &Path, path: &Path, folder: &Path) -> Option<String> {
    let target = std::fs::canonicalize(cwd.join(path)).ok()?;
    let folder = std::fs::canonicalize(cwd.join(folder)).ok()?;
    (!target.starts_with(&folder)).then(|| {
        format!(
            "it is a symbolic link to {}, outside the folder linted ({}); fix that file itself",
            target.display(),
            folder.display()
        )
    })
}

/// Whether `after` has more `PARSE` findings than `before`, linted as the file at `path`.
pub fn breaks_parsing(
    engine: &Engine,
    resolver: &ConfigResolver,
    path: &Path,
    before: &str,
    after: &str,
) -> bool {
    let Ok(config) = resolver.for_file(path) else {
        return true;
    };
    let kind = SourceKind::from_path(path).unwrap_or(SourceKind::Yaml);
    let parse_errors = |text: &str| {
        let analysis = engine.analyse(
            path,
            kind,
            Content::Bytes(text.as_bytes().to_vec()),
            config.clone(),
        );
        analysis
            .diagnostics
            .iter()
            .filter(|d| d.rule.family == Family::Parse)
            .count()
    };
    parse_errors(after) > parse_errors(before)
}

/// The edits of the fixes to take from a file's findings, non-overlapping, sorted by position,
/// and how many fixes they are.
fn applicable_edits(
    diagnostics: &[akslint_core::Diagnostic],
    unsafe_fixes: bool,
) -> (Vec<Edit>, usize) {
    let mut taken: Vec<Edit> = Vec::new();
    let mut fixes = 0;
    for fix in diagnostics.iter().filter_map(|d| d.fix.as_ref()) {
        if fix.applicability == Applicability::Unsafe && !unsafe_fixes {
            continue;
        }
        let overlaps = fix.edits.iter().any(|edit| {
            taken.iter().any(|t| {
                edit.span.start < t.span.end && t.span.start < edit.span.end
                    || edit.span.start == t.span.start
            })
        });
        if !overlaps {
            taken.extend(fix.edits.iter().cloned());
            fixes += 1;
        }
    }
    taken.sort_by_key(|edit| (edit.span.start, edit.span.end));
    (taken, fixes)
}

/// Applies sorted, non-overlapping edits to a text.
pub fn apply(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for edit in edits {
        out.push_str(&text[at..edit.span.start as usize]);
        out.push_str(&edit.replacement);
        at = edit.span.end as usize;
    }
    out.push_str(&text[at..]);
    out
}

/// A unified diff of one file's change, with the secrets of each side (spans of the original
/// and of the fixed text) masked: a diff's context lines are the file's text.
pub fn unified_diff(
    path: &std::path::Path,
    (original, original_secrets): (&str, &[Span]),
    (fixed, fixed_secrets): (&str, &[Span]),
) -> String {
    let shown = path.display().to_string();
    let original = masked_text(original, original_secrets);
    let fixed = masked_text(fixed, fixed_secrets);
    similar::TextDiff::from_lines(original.as_ref(), fixed.as_ref())
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{shown}"), &format!("b/{shown}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fix_that_breaks_parsing_is_detected() {
        let engine = Engine::new();
        let resolver = ConfigResolver::fixed(".", akslint_engine::Config::default_at("."));
        let path = Path::new("x.yaml");
        assert!(breaks_parsing(
            &engine, &resolver, path, "a: 1\n", "a: [1\n"
        ));
        assert!(!breaks_parsing(
            &engine, &resolver, path, "a: [1\n", "a: [1\n"
        ));
        assert!(!breaks_parsing(
            &engine, &resolver, path, "a: 1\n", "a: 2\n"
        ));
    }

    #[test]
    fn edits_apply_in_position_order() {
        let edit = |start: usize, end: usize, text: &str| Edit {
            span: akslint_core::Span::new(start, end),
            replacement: text.to_owned(),
        };
        let text = "abcdef";
        assert_eq!(apply(text, &[edit(0, 2, "X"), edit(4, 4, "Y")]), "XcdYef");
    }
}
