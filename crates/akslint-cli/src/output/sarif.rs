//! SARIF 2.1.0, for GitHub code scanning and other SARIF consumers.
//!
//! Every rule is described in `tool.driver.rules` (with `security-severity`, tags and help);
//! results carry 1-based regions (columns in Unicode code points, declared by `columnKind`),
//! fingerprints that do not depend on line numbers, secondary locations and the Helm template
//! as related locations, and fixes as artifact changes. Paths are relative to the folder akslint
//! ran in, through the `%SRCROOT%` base id.

use akslint_core::{Applicability, Diagnostic, RuleMeta, Severity, SharedSource, Span};
use akslint_engine::{NoticeLevel, Report};
use akslint_rules::registry;
use serde_json::{Value, json};

use super::{RenderOptions, Rendered, display_path, shown};

/// The base id that relative artifact locations are resolved against.
const SRCROOT: &str = "%SRCROOT%";

/// The project's home page.
const INFORMATION_URI: &str = "https://github.com/akslint/akslint";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Percent-encodes a path for a URI reference (unreserved characters and `/` stay).
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// An artifact location: relative to `%SRCROOT%`, or an absolute `file://` URI.
fn artifact(path: &std::path::Path, options: &RenderOptions) -> Value {
    let shown = display_path(path, &options.cwd);
    if std::path::Path::new(&shown).is_absolute() {
        json!({ "uri": format!("file://{}", encode_path(&shown)) })
    } else {
        json!({ "uri": encode_path(&shown), "uriBaseId": SRCROOT })
    }
}

fn region(file: &SharedSource, span: Span) -> Value {
    let start = file.line_column(span.start as usize);
    let end = file.line_column(span.end as usize);
    json!({
        "startLine": start.line,
        "startColumn": start.column,
        "endLine": end.line,
        "endColumn": end.column,
    })
}

fn location(file: &SharedSource, span: Span, options: &RenderOptions) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": artifact(file.path(), options),
            "region": region(file, span),
        }
    })
}

/// The first paragraph of a rule's "What it does" section.
fn full_description(meta: &RuleMeta) -> String {
    let docs = meta.docs_markdown();
    docs.split("## What it does\n")
        .nth(1)
        .and_then(|rest| rest.split("\n\n").next())
        .map_or_else(|| meta.summary.to_owned(), |p| p.replace('\n', " "))
}

fn rule(meta: &RuleMeta) -> Value {
    json!({
        "id": meta.code,
        "name": meta.name,
        "shortDescription": { "text": meta.summary },
        "fullDescription": { "text": full_description(meta) },
        "helpUri": meta.docs_url(),
        "help": {
            "text": format!("{} See {}", meta.summary, meta.docs_url()),
            "markdown": meta.docs_markdown(),
        },
        "defaultConfiguration": {
            "level": level(meta.default_severity),
            "enabled": meta.enabled_by_default,
        },
        "properties": {
            "tags": ["security", meta.family.as_str()],
            "security-severity": meta.security_severity,
        },
    })
}

fn result(diagnostic: &Diagnostic, rule_index: usize, options: &RenderOptions) -> Value {
    let file = &diagnostic.file;
    let mut related: Vec<Value> = diagnostic
        .labels
        .iter()
        .map(|label| {
            let mut location = location(&label.file, label.span, options);
            location["message"] = json!({ "text": label.message });
            location
        })
        .collect();
    if let Some(template) = &diagnostic.helm_template {
        related.push(json!({
            "physicalLocation": { "artifactLocation": { "uri": encode_path(template) } },
            "message": { "text": format!("rendered from Helm template {template}") },
        }));
    }
    for (id, location) in related.iter_mut().enumerate() {
        location["id"] = json!(id + 1);
    }
    let mut value = json!({
        "ruleId": diagnostic.rule.code,
        "ruleIndex": rule_index,
        "level": level(diagnostic.severity),
        "message": { "text": diagnostic.message },
        "locations": [location(file, diagnostic.span, options)],
        "partialFingerprints": { "akslintFingerprint/v1": diagnostic.fingerprint() },
    });
    if let Some(category) = diagnostic.category {
        value["properties"] = json!({ "category": category });
    }
    if !related.is_empty() {
        value["relatedLocations"] = Value::Array(related);
    }
    if let Some(fix) = &diagnostic.fix {
        let replacements: Vec<Value> = fix
            .edits
            .iter()
            .map(|edit| {
                json!({
                    "deletedRegion": region(file, edit.span),
                    "insertedContent": { "text": edit.replacement },
                })
            })
            .collect();
        let safety = match fix.applicability {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        };
        value["fixes"] = json!([{
            "description": { "text": format!("{} ({safety})", fix.message) },
            "artifactChanges": [{
                "artifactLocation": artifact(file.path(), options),
                "replacements": replacements,
            }],
        }]);
    }
    value
}

/// Renders the findings at or above the threshold as one SARIF log.
pub fn render(report: &Report, options: &RenderOptions) -> Rendered {
    let metas = registry::sorted_metas();
    let index_of = |meta: &RuleMeta| metas.iter().position(|m| m.code == meta.code).unwrap_or(0);
    let results: Vec<Value> = shown(report, options.threshold)
        .map(|d| result(d, index_of(d.rule), options))
        .collect();
    let notifications: Vec<Value> = report
        .notices
        .iter()
        .map(|notice| {
            json!({
                "level": match notice.level {
                    NoticeLevel::Error => "error",
                    NoticeLevel::Warning => "warning",
                    NoticeLevel::Note => "note",
                },
                "message": { "text": notice.message },
                "locations": [{ "physicalLocation": { "artifactLocation": artifact(&notice.path, options) } }],
            })
        })
        .collect();
    let root_uri = format!(
        "file://{}/",
        encode_path(&options.cwd.to_string_lossy()).trim_end_matches('/')
    );
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "akslint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": INFORMATION_URI,
                    "rules": metas.iter().map(|m| rule(m)).collect::<Vec<_>>(),
                }
            },
            "invocations": [{
                "executionSuccessful": !report.notices.iter().any(|n| n.level == NoticeLevel::Error),
                "toolExecutionNotifications": notifications,
            }],
            "originalUriBaseIds": { SRCROOT: { "uri": root_uri } },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let findings = log["runs"][0]["results"].as_array().map_or(0, Vec::len);
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    Rendered { text, findings }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_uri_encoded() {
        assert_eq!(encode_path("a b/c#d.yaml"), "a%20b/c%23d.yaml");
        assert_eq!(encode_path("<stdin>"), "%3Cstdin%3E");
        assert_eq!(encode_path("ü.yaml"), "%C3%BC.yaml");
    }
}
