//! Human output: each finding with its source lines underlined, through miette.
//!
//! miette sees an [`Excerpt`] of each file, not the file: the lines around the finding, with
//! secrets masked (their first few characters kept, the rest `*`), control characters escaped
//! and long lines cut to windows, so output is linear in the findings and safe on a terminal.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use akslint_core::{Applicability, Diagnostic, Label, Severity, SharedSource, Span};
use akslint_engine::Report;
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};

use super::excerpt::{CONTEXT_LINES, Excerpt};
use super::{Fixable, RenderOptions, Rendered, RunCounts, printable, shown};

/// Width of human output when not writing to a terminal (fixed, so output is reproducible).
const WIDTH: usize = 100;

/// Renders the findings at or above the threshold, and a summary unless quiet.
pub fn render(report: &Report, options: &RenderOptions) -> Rendered {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(WIDTH)
        .with_break_words(false)
        .with_context_lines(CONTEXT_LINES);
    let findings: Vec<&Diagnostic> = shown(report, options.threshold).collect();
    let sensitive = Sensitive::new(report);
    let mut out = String::new();
    for diagnostic in &findings {
        let view = FindingView::new(diagnostic, &sensitive);
        // Rendering into a String cannot fail.
        let _ = handler.render_report(&mut out, &view);
        out.push('\n');
    }
    out.push_str(&summary_lines(report, &findings, options));
    Rendered {
        text: out,
        findings: findings.len(),
    }
}

/// The summary under the findings (nothing when quiet): how many there are, what `--fix` did or
/// could do, and what a baseline hid.
pub fn summary_lines(report: &Report, findings: &[&Diagnostic], options: &RenderOptions) -> String {
    if options.quiet {
        return String::new();
    }
    summary(report, findings) + &counts_summary(&options.counts, findings)
}

/// The lines after the count of findings: what `--fix` did or could do, and what a baseline hid.
fn counts_summary(counts: &RunCounts, findings: &[&Diagnostic]) -> String {
    let mut out = String::new();
    let fixable = Fixable::count(findings.iter().copied());
    match counts.fixed {
        Some(fixed) => {
            let done = format!("{fixed} fixed");
            out.push_str(&fixed_line(
                done,
                findings.len(),
                fixable,
                counts.unsafe_fixes,
            ));
            out.push('\n');
        }
        None if fixable.safe > 0 && fixable.unsafe_ > 0 => out.push_str(&format!(
            "{} fixable with --fix, {} more with --fix --unsafe-fixes.\n",
            fixable.safe, fixable.unsafe_
        )),
        None if fixable.safe > 0 => {
            out.push_str(&format!("{} fixable with --fix.\n", fixable.safe));
        }
        None if fixable.unsafe_ > 0 => out.push_str(&format!(
            "{} fixable with --fix --unsafe-fixes.\n",
            fixable.unsafe_
        )),
        None => {}
    }
    if let Some(hidden) = counts.baseline_hidden.filter(|&n| n > 0) {
        out.push_str(&format!(
            "Hid {hidden} {} recorded in the baseline.\n",
            if hidden == 1 { "finding" } else { "findings" }
        ));
    }
    out
}

/// What fixing did, what is left, and what is left that a fix could still do:
/// `3 fixed, 2 left, 1 needs --unsafe-fixes.`
fn fixed_line(done: String, left: usize, fixable: Fixable, unsafe_fixes: bool) -> String {
    let mut line = format!("{done}, {left} left");
    // A fix still there after fixing was refused (the notes say why) or overlapped another.
    let not_applied = fixable.safe + if unsafe_fixes { fixable.unsafe_ } else { 0 };
    if not_applied > 0 {
        line.push_str(&format!(", {not_applied} with a fix not applied"));
    }
    if !unsafe_fixes && fixable.unsafe_ > 0 {
        line.push_str(&format!(
            ", {} {} --unsafe-fixes",
            fixable.unsafe_,
            if fixable.unsafe_ == 1 {
                "needs"
            } else {
                "need"
            }
        ));
    }
    line.push('.');
    line
}

/// The line `--diff` prints to stderr: how many findings the diff fixes, in how many files, and
/// what is left (`left`: the findings of the fixed texts, at the threshold).
pub fn diff_summary<'a>(
    would_fix: usize,
    files: usize,
    left: impl Iterator<Item = &'a Diagnostic>,
    unsafe_fixes: bool,
) -> String {
    let left: Vec<&Diagnostic> = left.collect();
    let done = format!(
        "the diff fixes {would_fix} {} in {files} {}",
        if would_fix == 1 {
            "finding"
        } else {
            "findings"
        },
        if files == 1 { "file" } else { "files" }
    );
    fixed_line(
        done,
        left.len(),
        Fixable::count(left.iter().copied()),
        unsafe_fixes,
    )
}

fn summary(report: &Report, findings: &[&Diagnostic]) -> String {
    let checked = report.files.len();
    let files = |n: usize| {
        if n == 1 {
            "1 file".to_owned()
        } else {
            format!("{n} files")
        }
    };
    if findings.is_empty() {
        return format!("No findings in {}.\n", files(checked));
    }
    let count = |severity: Severity| findings.iter().filter(|d| d.severity == severity).count();
    let parts: Vec<String> = [
        (Severity::Error, "error"),
        (Severity::Warning, "warning"),
        (Severity::Info, "info"),
    ]
    .into_iter()
    .filter_map(|(severity, word)| {
        let n = count(severity);
        (n > 0).then(|| {
            format!(
                "{n} {word}{}",
                if n == 1 || word == "info" { "" } else { "s" }
            )
        })
    })
    .collect();
    let with_findings = findings
        .iter()
        .map(|d| d.file.path())
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let noun = if findings.len() == 1 {
        "finding"
    } else {
        "findings"
    };
    format!(
        "Found {} {noun} ({}) in {} of {} checked.\n",
        findings.len(),
        parts.join(", "),
        with_findings,
        files(checked)
    )
}

/// The secrets of every file, sorted by start: what excerpts mask.
struct Sensitive<'r> {
    by_path: HashMap<&'r Path, Vec<Span>>,
}

impl<'r> Sensitive<'r> {
    fn new(report: &'r Report) -> Sensitive<'r> {
        let by_path = report.secrets_by_path().into_iter().collect();
        Sensitive { by_path }
    }

    /// The excerpt of `file` around `spans`; `None` for a file without text (not read).
    fn excerpt(&self, file: &SharedSource, spans: &[Span]) -> Option<Excerpt> {
        if file.text().is_empty() {
            return None;
        }
        let sensitive = self.by_path.get(file.path()).map_or(&[][..], Vec::as_slice);
        let name = printable(&file.path().display().to_string()).into_owned();
        Some(Excerpt::new(name, file, sensitive, spans))
    }
}

/// Whether a label of the finding's file is drawn with the finding (near its span) rather than
/// as a related note of its own.
fn is_near(file: &SharedSource, span: Span, label: Span) -> bool {
    let lines = file.lines();
    let first = lines.line_of(span.start as usize);
    let last = lines.line_of(span.end as usize);
    let label_first = lines.line_of(label.start as usize);
    let label_last = lines.line_of(label.end as usize);
    label_last + NEAR_LINES >= first && label_first <= last + NEAR_LINES
}

/// How many lines apart a label of the finding's file may be and still be drawn with it.
const NEAR_LINES: usize = 8;

/// A finding as miette sees it.
struct FindingView<'a> {
    diagnostic: &'a Diagnostic,
    message: String,
    source: Option<Excerpt>,
    /// The labels drawn with the finding, besides the primary one.
    near: Vec<&'a Label>,
    help: String,
    related: Vec<RelatedView>,
}

impl<'a> FindingView<'a> {
    fn new(diagnostic: &'a Diagnostic, sensitive: &Sensitive<'_>) -> FindingView<'a> {
        let mut help = diagnostic.help.as_deref().unwrap_or_default().to_owned();
        if let Some(template) = &diagnostic.helm_template {
            help.push_str(&format!("\nrendered from Helm template {template}"));
        }
        if let Some(fix) = &diagnostic.fix {
            let kind = match fix.applicability {
                Applicability::Safe => "safe fix (--fix)",
                Applicability::Unsafe => "unsafe fix (--fix --unsafe-fixes)",
            };
            help.push_str(&format!("\n{kind}: {}", fix.message));
        }
        let file = &diagnostic.file;
        let (near, far): (Vec<&Label>, Vec<&Label>) = diagnostic.labels.iter().partition(|label| {
            label.file.path() == file.path() && is_near(file, diagnostic.span, label.span)
        });
        let spans: Vec<Span> = std::iter::once(diagnostic.span)
            .chain(near.iter().map(|label| label.span))
            .collect();
        let related = far
            .into_iter()
            .map(|label| RelatedView {
                message: printable(&label.message).into_owned(),
                span: label.span,
                source: sensitive.excerpt(&label.file, &[label.span]),
            })
            .collect();
        FindingView {
            diagnostic,
            message: printable(&diagnostic.message).into_owned(),
            source: sensitive.excerpt(file, &spans),
            near,
            help: printable(help.trim_start()).into_owned(),
            related,
        }
    }
}

impl fmt::Debug for FindingView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for FindingView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FindingView<'_> {}

fn miette_severity(severity: Severity) -> miette::Severity {
    match severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

impl miette::Diagnostic for FindingView<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let rule = self.diagnostic.rule;
        Some(Box::new(format!("{} {}", rule.code, rule.name)))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(miette_severity(self.diagnostic.severity))
    }

    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diagnostic.rule.docs_url()))
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.help))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let source = self.source.as_ref()?;
        let primary = LabeledSpan::new_primary_with_span(
            Some(self.diagnostic.rule.name.to_owned()),
            source.map(self.diagnostic.span),
        );
        let near = self.near.iter().map(|label| {
            LabeledSpan::new_with_span(
                Some(printable(&label.message).into_owned()),
                source.map(label.span),
            )
        });
        Some(Box::new(std::iter::once(primary).chain(near)))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|r| r as &dyn miette::Diagnostic),
        ))
    }
}

/// A secondary location in another file, or far from the finding in its file, shown as a
/// related note.
struct RelatedView {
    message: String,
    span: Span,
    source: Option<Excerpt>,
}

impl fmt::Debug for RelatedView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for RelatedView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RelatedView {}

impl miette::Diagnostic for RelatedView {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let source = self.source.as_ref()?;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(None, source.map(self.span)),
        )))
    }
}
