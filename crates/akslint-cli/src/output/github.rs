//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line per finding, which
//! GitHub shows as annotations on the pull request.

use std::fmt::Write as _;

use akslint_core::Severity;
use akslint_engine::{NoticeLevel, Report};

use super::{RenderOptions, Rendered, display_path, printable, shown};

/// Escapes the message part of a workflow command: control characters first (an escape
/// sequence or a carriage return from a file must not reach the CI log), then what the workflow
/// command syntax needs.
fn escape_data(text: &str) -> String {
    printable(text)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value of a workflow command.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// Renders the findings at or above the threshold, then the run's notices.
pub fn render(report: &Report, options: &RenderOptions) -> Rendered {
    let mut text = String::new();
    let mut findings = 0;
    for diagnostic in shown(report, options.threshold) {
        findings += 1;
        let file = &diagnostic.file;
        let start = file.line_column(diagnostic.span.start as usize);
        let end = file.line_column(diagnostic.span.end as usize);
        let mut message = diagnostic.message.clone();
        if let Some(template) = &diagnostic.helm_template {
            let _ = write!(message, " (rendered from Helm template {template})");
        }
        let _ = writeln!(
            text,
            "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            command(diagnostic.severity),
            escape_property(&display_path(file.path(), &options.cwd)),
            start.line,
            start.column,
            end.line,
            end.column,
            escape_property(&format!(
                "{} {}",
                diagnostic.rule.code, diagnostic.rule.name
            )),
            escape_data(&message),
        );
    }
    for notice in &report.notices {
        let level = match notice.level {
            NoticeLevel::Error => "error",
            NoticeLevel::Warning => "warning",
            NoticeLevel::Note => "notice",
        };
        let _ = writeln!(
            text,
            "::{level} file={},title=akslint::{}",
            escape_property(&display_path(&notice.path, &options.cwd)),
            escape_data(&notice.message)
        );
    }
    Rendered { text, findings }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(escape_data("50% a\nb"), "50%25 a%0Ab");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
        assert_eq!(escape_data("\u{1b}]8;;x\u{7}\r"), "\\u{1b}]8;;x\\u{7}\\r");
    }
}
