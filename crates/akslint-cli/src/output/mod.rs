//! Output formats. Each renders a [`akslint_engine::Report`] into text.

mod excerpt;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod statistics;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use akslint_core::{Applicability, Diagnostic, Severity};
use akslint_engine::{NoticeLevel, Report};
use rayon::prelude::*;

use crate::args::Format;

/// A rendered report and the number of findings it shows.
pub struct Rendered {
    /// The text.
    pub text: String,
    /// Findings at or above the threshold.
    pub findings: usize,
}

/// What every format needs besides the report.
pub struct RenderOptions {
    /// Show only findings at or above this severity.
    pub threshold: Severity,
    /// Colour (human output only).
    pub color: bool,
    /// No summary or notes (human output only).
    pub quiet: bool,
    /// The folder akslint was invoked in; machine formats give paths relative to it.
    pub cwd: PathBuf,
    /// What fixing and the baseline did (human summary only).
    pub counts: RunCounts,
}

/// What `--fix` and `--baseline` did in a run, for the human summary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunCounts {
    /// Fixes applied in place with `--fix` (`None` without it).
    pub fixed: Option<usize>,
    /// Findings a `--baseline` hid (`None` without one).
    pub baseline_hidden: Option<usize>,
    /// Whether `--unsafe-fixes` was given.
    pub unsafe_fixes: bool,
}

/// How many findings carry a fix, by how safe it is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Fixable {
    /// Findings with a safe fix (`--fix` applies it).
    pub safe: usize,
    /// Findings with an unsafe fix (only `--fix --unsafe-fixes` applies it).
    pub unsafe_: usize,
}

impl Fixable {
    /// The counts of these findings.
    pub fn count<'a>(findings: impl IntoIterator<Item = &'a Diagnostic>) -> Fixable {
        let mut fixable = Fixable::default();
        for fix in findings.into_iter().filter_map(|d| d.fix.as_ref()) {
            match fix.applicability {
                Applicability::Safe => fixable.safe += 1,
                Applicability::Unsafe => fixable.unsafe_ += 1,
            }
        }
        fixable
    }
}

/// Renders a report in a format.
pub fn render(format: Format, report: &Report, options: &RenderOptions) -> Rendered {
    match format {
        Format::Human => human::render(report, options),
        Format::Json => json::render(report, options),
        Format::Sarif => sarif::render(report, options),
        Format::Github => github::render(report, options),
        Format::Junit => junit::render(report, options),
    }
}

/// The findings at or above the threshold, in output order.
pub fn shown(report: &Report, threshold: Severity) -> impl Iterator<Item = &Diagnostic> {
    report
        .diagnostics()
        .filter(move |d| d.severity >= threshold)
}

/// The findings at or above the threshold, in output order, each with its fingerprint
/// ([`Diagnostic::fingerprint`]). The files are taken in parallel; the text of a file that gave
/// its text back after linting is read again once for all of its findings, and given back when
/// they are done.
pub fn shown_with_fingerprints(report: &Report, threshold: Severity) -> Vec<(&Diagnostic, String)> {
    let by_file: Vec<Vec<(&Diagnostic, String)>> = report
        .files
        .par_iter()
        .map(|file| {
            let resident = std::cell::OnceCell::new();
            file.diagnostics
                .iter()
                .filter(|d| d.severity >= threshold)
                .map(|d| {
                    let text = if Arc::ptr_eq(&d.file, &file.file) {
                        resident.get_or_init(|| file.file.resident())
                    } else {
                        &d.file
                    };
                    (d, d.fingerprint_in(text))
                })
                .collect()
        })
        .collect();
    by_file.into_iter().flatten().collect()
}

/// A path as machine formats show it: relative to `cwd` when it is under it, `/`-separated.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    let relative = path.strip_prefix(cwd).unwrap_or(path);
    relative.to_string_lossy().replace('\\', "/")
}

/// How a character that must not reach a terminal or a CI log verbatim is shown instead: control
/// characters (an escape sequence could recolour, move the cursor or rewrite the log; a carriage
/// return overwrites the line), and the invisible characters that reorder or hide text
/// (bidirectional overrides, zero-width characters), and the non-characters U+FFFE and U+FFFF
/// (which XML does not allow). `None` for a character shown as it is;
/// line feeds and tabs are left to the caller.
pub fn escaped(c: char) -> Option<String> {
    let hidden = matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}'
        | '\u{feff}' | '\u{fff9}'..='\u{fffb}' | '\u{fffe}' | '\u{ffff}');
    hidden.then(|| match c {
        '\r' => "\\r".to_owned(),
        c => format!("\\u{{{:x}}}", c as u32),
    })
}

/// Text with every character [`escaped`] names replaced by its escape (line feeds and tabs kept).
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| escaped(c).is_some()) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match escaped(c) {
            Some(escape) => out.push_str(&escape),
            None => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The lowercase name of a notice level.
pub fn notice_level(level: NoticeLevel) -> &'static str {
    match level {
        NoticeLevel::Note => "note",
        NoticeLevel::Warning => "warning",
        NoticeLevel::Error => "error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_and_invisible_characters_are_shown_escaped() {
        assert_eq!(
            printable("plain text\tand\nlines"),
            "plain text\tand\nlines"
        );
        assert_eq!(printable("a\u{1b}[31mred"), "a\\u{1b}[31mred");
        assert_eq!(printable("over\rwrite"), "over\\rwrite");
        assert_eq!(printable("\u{202e}evil\u{9b}"), "\\u{202e}evil\\u{9b}");
        assert_eq!(printable("caf\u{e9} \u{1f600}"), "caf\u{e9} \u{1f600}");
    }
}
