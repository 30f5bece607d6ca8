//! Hover: a rule's page on a finding's range or on a code inside a suppression comment.

use akslint_core::{RuleMeta, Span};
use tower_lsp_server::ls_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

use crate::linted::Linted;

/// The hover at `position` of a linted document, if there is something to show.
pub fn hover(linted: &Linted, position: Position) -> Option<Hover> {
    let file = &linted.file;
    let offset = linted.encoding.offset(file, position);
    let at = |span: Span| {
        span.start as usize <= offset
            && (offset < span.end as usize || offset == span.start as usize)
    };
    let within = |span: Span| span.start as usize <= offset && offset <= span.end as usize;
    for item in &linted.suppressions.items {
        for code in &item.codes {
            if let Some(rule) = code.rule
                && within(code.span)
            {
                return Some(markdown(
                    page(rule),
                    Some(linted.encoding.range(file, code.span)),
                ));
            }
        }
    }
    let mut shown: Vec<&'static str> = Vec::new();
    let mut parts = Vec::new();
    let mut range = None;
    for finding in linted.findings.iter().filter(|f| at(f.span)) {
        range.get_or_insert_with(|| linted.encoding.range(file, finding.span));
        let mut part = format!(
            "**{}** `{}` ({}): {}",
            finding.rule.code, finding.rule.name, finding.severity, finding.message
        );
        if let Some(help) = &finding.help {
            part.push_str(&format!("\n\n*Fix:* {help}"));
        }
        if let Some(template) = &finding.helm_template {
            part.push_str(&format!(
                "\n\n*Rendered from the Helm template* `{template}`"
            ));
        }
        parts.push(part);
        if !shown.contains(&finding.rule.code) {
            shown.push(finding.rule.code);
        }
    }
    if parts.is_empty() {
        return None;
    }
    let mut text = parts.join("\n\n");
    for code in shown {
        if let Some(rule) = akslint_rules::registry::find(code) {
            text.push_str("\n\n---\n\n");
            text.push_str(&page(rule));
        }
    }
    Some(markdown(text, range))
}

/// A rule's page without the generator's comment, with a link to the page online.
pub fn page(rule: &RuleMeta) -> String {
    format!("{}\n[Rule page]({})\n", rule.page_body(), rule.docs_url())
}

fn markdown(value: String, range: Option<tower_lsp_server::ls_types::Range>) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range,
    }
}
