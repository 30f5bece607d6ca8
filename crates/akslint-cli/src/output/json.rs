//! JSON output: one document with every finding, for machines.
//!
//! The shape is versioned by `version`; see `docs/json-output.md`. Lines and columns are 1-based,
//! columns counted in Unicode characters; offsets are 0-based bytes.

use std::io::{self, Write};

use akslint_core::{Applicability, Diagnostic, Severity, SharedSource, Span};
use akslint_engine::Report;
use serde::Serialize;

use super::{
    RenderOptions, Rendered, StreamedFindings, display_path, notice_level, rendered_from, shown,
    write_pretty_json,
};

/// The version of the JSON shape.
pub const JSON_VERSION: u32 = 1;

/// The document; `findings` serialises as an array of [`Finding`]s.
#[derive(Serialize)]
struct Output<F> {
    version: u32,
    tool: Tool,
    summary: Summary,
    findings: F,
    notices: Vec<NoticeOut>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    findings: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

/// A position: 1-based line and character column, 0-based byte offset.
#[derive(Serialize)]
struct Position {
    line: u32,
    column: u32,
    offset: u32,
}

#[derive(Serialize)]
struct Finding<'a> {
    file: String,
    code: &'static str,
    name: &'static str,
    family: &'static str,
    severity: &'static str,
    message: &'a str,
    start: Position,
    end: Position,
    help: Option<&'a str>,
    docs: String,
    subject: Option<SubjectOut<'a>>,
    category: Option<&'static str>,
    fingerprint: String,
    helm_template: Option<&'a str>,
    chart: Option<ChartOut<'a>>,
    labels: Vec<LabelOut<'a>>,
    fix: Option<FixOut<'a>>,
}

/// What a finding is about: the object and the key path inside it.
#[derive(Serialize)]
struct SubjectOut<'a> {
    object: &'a str,
    path: &'a str,
}

/// The rendering of a Helm chart a finding came from: its objects and values sets.
#[derive(Serialize)]
struct ChartOut<'a> {
    objects: &'a [String],
    values_sets: &'a [String],
}

#[derive(Serialize)]
struct LabelOut<'a> {
    file: String,
    message: &'a str,
    start: Position,
    end: Position,
}

#[derive(Serialize)]
struct FixOut<'a> {
    message: &'a str,
    applicability: &'static str,
    edits: Vec<EditOut<'a>>,
}

#[derive(Serialize)]
struct EditOut<'a> {
    start: Position,
    end: Position,
    replacement: &'a str,
}

#[derive(Serialize)]
struct NoticeOut {
    path: String,
    level: &'static str,
    message: String,
}

fn position(file: &SharedSource, offset: u32) -> Position {
    let at = file.line_column(offset as usize);
    Position {
        line: at.line,
        column: at.column,
        offset,
    }
}

fn range(file: &SharedSource, span: Span) -> (Position, Position) {
    (position(file, span.start), position(file, span.end))
}

fn finding<'a>(
    diagnostic: &'a Diagnostic,
    fingerprint: String,
    options: &RenderOptions,
) -> Finding<'a> {
    let file = &diagnostic.file;
    let (start, end) = range(file, diagnostic.span);
    Finding {
        file: display_path(file.path(), &options.cwd),
        code: diagnostic.rule.code,
        name: diagnostic.rule.name,
        family: diagnostic.rule.family.as_str(),
        severity: diagnostic.severity.as_str(),
        message: &diagnostic.message,
        start,
        end,
        help: diagnostic.help.as_deref(),
        docs: diagnostic.rule.docs_url(),
        category: diagnostic.category,
        subject: diagnostic.subject.as_ref().map(|s| SubjectOut {
            object: &s.object,
            path: &s.path,
        }),
        fingerprint,
        helm_template: diagnostic.helm_template.as_deref(),
        chart: diagnostic.chart.as_ref().map(|chart| ChartOut {
            objects: &chart.objects,
            values_sets: &chart.values_sets,
        }),
        labels: diagnostic
            .labels
            .iter()
            .map(|label| {
                let (start, end) = range(&label.file, label.span);
                LabelOut {
                    file: display_path(label.file.path(), &options.cwd),
                    message: &label.message,
                    start,
                    end,
                }
            })
            .collect(),
        fix: diagnostic.fix.as_ref().map(|fix| FixOut {
            message: &fix.message,
            applicability: match fix.applicability {
                Applicability::Safe => "safe",
                Applicability::Unsafe => "unsafe",
            },
            edits: fix
                .edits
                .iter()
                .map(|edit| {
                    let (start, end) = range(file, edit.span);
                    EditOut {
                        start,
                        end,
                        replacement: &edit.replacement,
                    }
                })
                .collect(),
        }),
    }
}

/// Renders the findings at or above the threshold as one JSON document.
pub fn render(report: &Report, options: &RenderOptions) -> Rendered {
    rendered_from(|out| write(report, options, out))
}

/// Writes the findings at or above the threshold to `out` as one JSON document, as it is made
/// (the findings a chunk at a time, see [`StreamedFindings`]); returns how many findings it
/// shows.
pub fn write(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<usize> {
    let findings = StreamedFindings::new(report, options.threshold, |d, fingerprint| {
        finding(d, fingerprint, options)
    });
    let output = document(report, options, findings);
    write_pretty_json(&output, out)?;
    Ok(output.summary.findings)
}

/// The document of a report with `findings` as its findings; the summary counts the findings
/// at or above the threshold.
fn document<F>(report: &Report, options: &RenderOptions, findings: F) -> Output<F> {
    let mut summary = Summary {
        files: report.files.len(),
        findings: 0,
        errors: 0,
        warnings: 0,
        infos: 0,
    };
    for diagnostic in shown(report, options.threshold) {
        summary.findings += 1;
        match diagnostic.severity {
            Severity::Error => summary.errors += 1,
            Severity::Warning => summary.warnings += 1,
            Severity::Info => summary.infos += 1,
        }
    }
    Output {
        version: JSON_VERSION,
        tool: Tool {
            name: "akslint",
            version: env!("CARGO_PKG_VERSION"),
        },
        summary,
        findings,
        notices: report
            .notices
            .iter()
            .map(|notice| NoticeOut {
                path: display_path(&notice.path, &options.cwd),
                level: notice_level(notice.level),
                message: notice.message.clone(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{options, reports};
    use super::*;

    #[test]
    fn the_streamed_document_is_the_whole_document_serialised() {
        for report in reports() {
            for threshold in [Severity::Info, Severity::Error] {
                let options = RenderOptions {
                    threshold,
                    ..options()
                };
                let findings: Vec<Finding<'_>> = shown(&report, threshold)
                    .map(|d| finding(d, d.fingerprint(), &options))
                    .collect();
                let whole = serde_json::to_string_pretty(&document(&report, &options, findings))
                    .expect("serialised")
                    + "\n";
                let rendered = render(&report, &options);
                assert_eq!(rendered.text, whole);
                assert_eq!(rendered.findings, shown(&report, threshold).count());
            }
        }
    }
}
