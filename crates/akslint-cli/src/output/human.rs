//! Human output: each finding with its source line underlined, through miette.
//!
//! Secret values are masked in the source text before it is shown: every span a finding marks
//! as sensitive keeps its first few characters and the rest become `*`, so columns stay right.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use akslint_core::{Diagnostic, Severity, SharedSource, mask_span};
use akslint_engine::Report;
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};

use super::{RenderOptions, Rendered, shown};

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
        .with_context_lines(1);
    let findings: Vec<&Diagnostic> = shown(report, options.threshold).collect();
    let sources = MaskedSources::new(report, &findings);
    let mut out = String::new();
    for diagnostic in &findings {
        let view = FindingView::new(diagnostic, &sources);
        // Rendering into a String cannot fail.
        let _ = handler.render_report(&mut out, &view);
        out.push('\n');
    }
    if !options.quiet {
        out.push_str(&summary(report, &findings));
    }
    Rendered {
        text: out,
        findings: findings.len(),
    }
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

/// The text of every file a finding points into, with every sensitive span masked.
struct MaskedSources {
    by_path: BTreeMap<String, NamedSource<String>>,
}

impl MaskedSources {
    fn new(report: &Report, findings: &[&Diagnostic]) -> MaskedSources {
        let mut texts: BTreeMap<String, SharedSource> = BTreeMap::new();
        for diagnostic in findings {
            for file in
                std::iter::once(&diagnostic.file).chain(diagnostic.labels.iter().map(|l| &l.file))
            {
                texts
                    .entry(display(file.path()))
                    .or_insert_with(|| file.clone());
            }
        }
        let sensitive: BTreeMap<String, &[akslint_core::Span]> = report
            .files
            .iter()
            .map(|f| (display(f.file.path()), f.sensitive.as_slice()))
            .collect();
        let by_path = texts
            .into_iter()
            .map(|(path, file)| {
                let mut text = file.text().to_owned();
                for span in sensitive.get(&path).copied().unwrap_or_default() {
                    mask_span(&mut text, *span);
                }
                let source = NamedSource::new(path.clone(), text);
                (path, source)
            })
            .collect();
        MaskedSources { by_path }
    }

    fn get(&self, file: &SharedSource) -> Option<&NamedSource<String>> {
        self.by_path
            .get(&display(file.path()))
            .filter(|s| !s.inner().is_empty())
    }
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

/// A finding as miette sees it.
struct FindingView<'a> {
    diagnostic: &'a Diagnostic,
    source: Option<&'a NamedSource<String>>,
    help: String,
    related: Vec<RelatedView<'a>>,
}

impl<'a> FindingView<'a> {
    fn new(diagnostic: &'a Diagnostic, sources: &'a MaskedSources) -> FindingView<'a> {
        let mut help = diagnostic.help.clone().unwrap_or_default();
        if let Some(template) = &diagnostic.helm_template {
            help.push_str(&format!("\nrendered from Helm template {template}"));
        }
        if let Some(fix) = &diagnostic.fix {
            help.push_str(&format!("\nfix available: {}", fix.message));
        }
        let related = diagnostic
            .labels
            .iter()
            .filter(|label| {
                !std::sync::Arc::ptr_eq(&label.file, &diagnostic.file)
                    && label.file.path() != diagnostic.file.path()
            })
            .map(|label| RelatedView {
                message: label.message.clone(),
                source: sources.get(&label.file),
                span: label.span,
            })
            .collect();
        FindingView {
            diagnostic,
            source: sources.get(&diagnostic.file),
            help: help.trim_start().to_owned(),
            related,
        }
    }
}

impl fmt::Debug for FindingView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl fmt::Display for FindingView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
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
        self.source.map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source?;
        let primary = LabeledSpan::new_primary_with_span(
            Some(self.diagnostic.rule.name.to_owned()),
            self.diagnostic.span.range(),
        );
        let same_file = self
            .diagnostic
            .labels
            .iter()
            .filter(|label| label.file.path() == self.diagnostic.file.path())
            .map(|label| {
                LabeledSpan::new_with_span(Some(label.message.clone()), label.span.range())
            });
        Some(Box::new(std::iter::once(primary).chain(same_file)))
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

/// A secondary location in another file, shown as a related note.
struct RelatedView<'a> {
    message: String,
    source: Option<&'a NamedSource<String>>,
    span: akslint_core::Span,
}

impl fmt::Debug for RelatedView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for RelatedView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RelatedView<'_> {}

impl miette::Diagnostic for RelatedView<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source?;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(None, self.span.range()),
        )))
    }
}
