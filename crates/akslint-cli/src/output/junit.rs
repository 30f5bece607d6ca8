//! JUnit XML: one test case per file and rule that has findings (failing, with the findings),
//! one passing test case per file without findings, and an erroring one per file that could not
//! be read, so CI systems show a lint run as a test report.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use akslint_core::Diagnostic;
use akslint_engine::{NoticeLevel, Report};

use super::{RenderOptions, Rendered, display_path, printable, shown};

/// Escapes text for XML attributes and content. Characters XML 1.0 does not allow (C0 controls
/// but tab and line breaks, U+FFFE, U+FFFF) are among those [`printable`] writes as escapes, so
/// the document stays well-formed and readable.
fn xml(text: &str) -> String {
    let text = printable(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Renders the findings at or above the threshold.
pub fn render(report: &Report, options: &RenderOptions) -> Rendered {
    let mut cases = String::new();
    let (mut tests, mut failures, mut errors, mut findings) = (0, 0, 0, 0);
    for file in &report.files {
        let path = display_path(file.file.path(), &options.cwd);
        let mut by_rule: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
        for diagnostic in file
            .diagnostics
            .iter()
            .filter(|d| d.severity >= options.threshold)
        {
            by_rule
                .entry(diagnostic.rule.code)
                .or_default()
                .push(diagnostic);
        }
        if by_rule.is_empty() {
            tests += 1;
            let _ = writeln!(
                cases,
                "    <testcase classname=\"{}\" name=\"akslint\" file=\"{}\"/>",
                xml(&path),
                xml(&path)
            );
            continue;
        }
        for (code, diagnostics) in by_rule {
            tests += 1;
            failures += 1;
            findings += diagnostics.len();
            let rule = diagnostics[0].rule;
            let mut details = String::new();
            for d in &diagnostics {
                let at = d.file.line_column(d.span.start as usize);
                let _ = writeln!(
                    details,
                    "{path}:{}:{}: {}: {}",
                    at.line, at.column, d.severity, d.message
                );
                if let Some(help) = &d.help {
                    let _ = writeln!(details, "  help: {help}");
                }
            }
            let _ = writeln!(
                cases,
                "    <testcase classname=\"{p}\" name=\"{code} {name}\" file=\"{p}\">\n      <failure type=\"{code}\" message=\"{count} finding{s} of {code} {name}\">{details}</failure>\n    </testcase>",
                p = xml(&path),
                name = rule.name,
                count = diagnostics.len(),
                s = if diagnostics.len() == 1 { "" } else { "s" },
                details = xml(&details),
            );
        }
    }
    for notice in report
        .notices
        .iter()
        .filter(|n| n.level == NoticeLevel::Error)
    {
        tests += 1;
        errors += 1;
        let path = xml(&display_path(&notice.path, &options.cwd));
        let _ = writeln!(
            cases,
            "    <testcase classname=\"{path}\" name=\"akslint\" file=\"{path}\">\n      <error type=\"io\" message=\"{}\"/>\n    </testcase>",
            xml(&notice.message)
        );
    }
    debug_assert_eq!(findings, shown(report, options.threshold).count());
    let text = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"akslint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n  <testsuite name=\"akslint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"0\">\n{cases}  </testsuite>\n</testsuites>\n"
    );
    Rendered { text, findings }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_xml_does_not_allow_is_escaped() {
        assert_eq!(
            xml("a<b & \u{fffe}\u{ffff} \u{1b}[0m \"q\""),
            "a&lt;b &amp; \\u{fffe}\\u{ffff} \\u{1b}[0m &quot;q&quot;"
        );
    }
}
