//! akslint's findings as LSP diagnostics.

use std::path::Path;
use std::str::FromStr;

use akslint_core::{Diagnostic, RuleMeta, Severity, SourceFile, Span};
use tower_lsp_server::ls_types::{
    self as lsp, CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Uri,
};

use crate::position::Encoding;

/// The `source` of every diagnostic the server sends.
pub const SOURCE: &str = "akslint";

/// The URI of a file path: `current` when it is the document's own path, else a `file:` URI.
pub fn uri_for(path: &Path, current_path: &Path, current: &Uri) -> Option<Uri> {
    if path == current_path {
        Some(current.clone())
    } else {
        Uri::from_file_path(path)
    }
}

/// The rule page's URL as a URI.
pub fn docs_uri(rule: &RuleMeta) -> Option<Uri> {
    Uri::from_str(&rule.docs_url()).ok()
}

/// The protocol's severity.
pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// Converts a finding of the document at `uri` (whose linted text is `file`).
pub fn diagnostic(
    finding: &Diagnostic,
    file: &SourceFile,
    uri: &Uri,
    encoding: Encoding,
) -> lsp::Diagnostic {
    let mut related = Vec::new();
    for label in &finding.labels {
        let Some(label_uri) = uri_for(label.file.path(), file.path(), uri) else {
            continue;
        };
        related.push(DiagnosticRelatedInformation {
            location: Location::new(label_uri, encoding.range(&label.file, label.span)),
            message: label.message.clone(),
        });
    }
    if let Some(template) = &finding.helm_template {
        let span = helm_source_line(file, finding.span.start as usize)
            .unwrap_or_else(|| Span::empty(finding.span.start as usize));
        related.push(DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), encoding.range(file, span)),
            message: format!("rendered from the Helm template {template}"),
        });
    }
    lsp::Diagnostic {
        range: encoding.range(file, finding.span),
        severity: Some(severity(finding.severity)),
        code: Some(NumberOrString::String(finding.rule.code.to_owned())),
        code_description: docs_uri(finding.rule).map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_owned()),
        message: match &finding.help {
            Some(help) => format!("{} ({})\nhelp: {help}", finding.message, finding.rule.name),
            None => format!("{} ({})", finding.message, finding.rule.name),
        },
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

/// The `# Source:` line of the Helm-rendered document around `offset`: the nearest one above.
fn helm_source_line(file: &SourceFile, offset: usize) -> Option<Span> {
    let text = file.text();
    let lines = file.lines();
    let mut line = lines.line_of(offset.min(text.len()));
    loop {
        let span = lines.line_span(text, line);
        let content = text[span.range()].trim_start();
        if content.starts_with('#') && content[1..].trim_start().starts_with("Source:") {
            let indent = text[span.range()].len() - content.len();
            return Some(Span::new(span.start as usize + indent, span.end as usize));
        }
        if line == 0 {
            return None;
        }
        line -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use akslint_core::SourceKind;

    #[test]
    fn finds_the_helm_source_line_above() {
        let file = SourceFile::new(
            "a.yaml",
            SourceKind::Yaml,
            "---\n# Source: chart/templates/a.yaml\nkind: Pod\nx: 1\n",
        );
        let at = file.text().find("x:").unwrap();
        let span = helm_source_line(&file, at).unwrap();
        assert_eq!(file.slice(span), "# Source: chart/templates/a.yaml");
        assert_eq!(helm_source_line(&file, 0), None);
    }
}
