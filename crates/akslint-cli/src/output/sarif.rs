//! SARIF 2.1.0, for GitHub code scanning and other SARIF consumers.
//!
//! Every rule is described in `tool.driver.rules` (with `security-severity`, tags and help);
//! results carry 1-based regions (columns in Unicode code points, declared by `columnKind`),
//! fingerprints that do not depend on line numbers, secondary locations and the Helm template
//! as related locations, and fixes as artifact changes. Paths are relative to the folder akslint
//! ran in, through the `%SRCROOT%` base id.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, Write};

use akslint_core::{Applicability, Diagnostic, RuleMeta, Severity, SharedSource, Span};
use akslint_engine::{NoticeLevel, Report};
use akslint_rules::registry;
use serde::Serialize;

use super::{
    RenderOptions, Rendered, StreamedFindings, display_path, rendered_from, shown,
    write_pretty_json,
};

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

/// A 1-based region, columns in Unicode code points.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

fn region(file: &SharedSource, span: Span) -> Region {
    let start = file.line_column(span.start as usize);
    let end = file.line_column(span.end as usize);
    Region {
        start_line: start.line,
        start_column: start.column,
        end_line: end.line,
        end_column: end.column,
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

/// An artifact location: relative to `%SRCROOT%`, or an absolute `file://` URI.
fn artifact(path: &std::path::Path, options: &RenderOptions) -> ArtifactLocation {
    let shown = display_path(path, &options.cwd);
    if std::path::Path::new(&shown).is_absolute() {
        ArtifactLocation {
            uri: format!("file://{}", encode_path(&shown)),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri: encode_path(&shown),
            uri_base_id: Some(SRCROOT),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct Message<'a> {
    text: Cow<'a, str>,
}

impl<'a> Message<'a> {
    fn new(text: impl Into<Cow<'a, str>>) -> Message<'a> {
        Message { text: text.into() }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message<'a>>,
}

fn location<'a>(file: &SharedSource, span: Span, options: &RenderOptions) -> Location<'a> {
    Location {
        id: None,
        physical_location: PhysicalLocation {
            artifact_location: artifact(file.path(), options),
            region: Some(region(file, span)),
        },
        message: None,
    }
}

/// The first paragraph of a rule's "What it does" section.
fn full_description(meta: &RuleMeta) -> String {
    let docs = meta.docs_markdown();
    docs.split("## What it does\n")
        .nth(1)
        .and_then(|rest| rest.split("\n\n").next())
        .map_or_else(|| meta.summary.to_owned(), |p| p.replace('\n', " "))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'static str,
    name: &'static str,
    short_description: Message<'a>,
    full_description: Message<'a>,
    help_uri: String,
    help: Help,
    default_configuration: DefaultConfiguration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct DefaultConfiguration {
    level: &'static str,
    enabled: bool,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: [&'static str; 2],
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
}

fn rule(meta: &RuleMeta) -> Rule<'static> {
    Rule {
        id: meta.code,
        name: meta.name,
        short_description: Message::new(meta.summary),
        full_description: Message::new(full_description(meta)),
        help_uri: meta.docs_url(),
        help: Help {
            text: format!("{} See {}", meta.summary, meta.docs_url()),
            markdown: meta.docs_markdown(),
        },
        default_configuration: DefaultConfiguration {
            level: level(meta.default_severity),
            enabled: meta.enabled_by_default,
        },
        properties: RuleProperties {
            tags: ["security", meta.family.as_str()],
            security_severity: meta.security_severity,
        },
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Message<'a>,
    locations: [Location<'a>; 1],
    partial_fingerprints: Fingerprints,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<ResultProperties>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix<'a>>,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "akslintFingerprint/v1")]
    v1: String,
}

#[derive(Serialize)]
struct ResultProperties {
    category: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix<'a> {
    description: Message<'a>,
    artifact_changes: [ArtifactChange<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange<'a> {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement<'a> {
    deleted_region: Region,
    inserted_content: Message<'a>,
}

fn result<'a>(
    diagnostic: &'a Diagnostic,
    fingerprint: String,
    rule_index: usize,
    options: &RenderOptions,
) -> SarifResult<'a> {
    let file = &diagnostic.file;
    let mut related: Vec<Location<'a>> = diagnostic
        .labels
        .iter()
        .map(|label| Location {
            message: Some(Message::new(label.message.as_str())),
            ..location(&label.file, label.span, options)
        })
        .collect();
    if let Some(template) = &diagnostic.helm_template {
        related.push(Location {
            id: None,
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: encode_path(template),
                    uri_base_id: None,
                },
                region: None,
            },
            message: Some(Message::new(format!(
                "rendered from Helm template {template}"
            ))),
        });
    }
    for (id, location) in related.iter_mut().enumerate() {
        location.id = Some(id + 1);
    }
    let fixes = diagnostic.fix.iter().map(|fix| {
        let safety = match fix.applicability {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        };
        SarifFix {
            description: Message::new(format!("{} ({safety})", fix.message)),
            artifact_changes: [ArtifactChange {
                artifact_location: artifact(file.path(), options),
                replacements: fix
                    .edits
                    .iter()
                    .map(|edit| Replacement {
                        deleted_region: region(file, edit.span),
                        inserted_content: Message::new(edit.replacement.as_str()),
                    })
                    .collect(),
            }],
        }
    });
    SarifResult {
        rule_id: diagnostic.rule.code,
        rule_index,
        level: level(diagnostic.severity),
        message: Message::new(diagnostic.message.as_str()),
        locations: [location(file, diagnostic.span, options)],
        partial_fingerprints: Fingerprints { v1: fingerprint },
        properties: diagnostic
            .category
            .map(|category| ResultProperties { category }),
        related_locations: related,
        fixes: fixes.collect(),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Notification<'a> {
    level: &'static str,
    message: Message<'a>,
    locations: [Location<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Log<'a, R> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a, R>; 1],
}

/// The run; `results` serialises as an array of [`SarifResult`]s.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a, R> {
    tool: Tool<'a>,
    invocations: [Invocation<'a>; 1],
    original_uri_base_ids: BTreeMap<&'static str, ArtifactLocation>,
    column_kind: &'static str,
    results: R,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation<'a> {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification<'a>>,
}

/// Renders the findings at or above the threshold as one SARIF log.
pub fn render(report: &Report, options: &RenderOptions) -> Rendered {
    rendered_from(|out| write(report, options, out))
}

/// Writes the findings at or above the threshold to `out` as one SARIF log, as it is made (the
/// results a chunk at a time, see [`StreamedFindings`]); returns how many findings it shows.
pub fn write(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<usize> {
    let metas = registry::sorted_metas();
    let index_of = |meta: &RuleMeta| metas.iter().position(|m| m.code == meta.code).unwrap_or(0);
    let results = StreamedFindings::new(report, options.threshold, |d, fingerprint| {
        result(d, fingerprint, index_of(d.rule), options)
    });
    write_pretty_json(&sarif_log(report, options, &metas, results), out)?;
    Ok(shown(report, options.threshold).count())
}

/// The log of a report with `results` as its run's results; `metas` are the rules it describes.
fn sarif_log<'a, R>(
    report: &'a Report,
    options: &RenderOptions,
    metas: &[&'static RuleMeta],
    results: R,
) -> Log<'a, R> {
    let notifications = report
        .notices
        .iter()
        .map(|notice| Notification {
            level: match notice.level {
                NoticeLevel::Error => "error",
                NoticeLevel::Warning => "warning",
                NoticeLevel::Note => "note",
            },
            message: Message::new(notice.message.as_str()),
            locations: [Location {
                id: None,
                physical_location: PhysicalLocation {
                    artifact_location: artifact(&notice.path, options),
                    region: None,
                },
                message: None,
            }],
        })
        .collect();
    let root_uri = format!(
        "file://{}/",
        encode_path(&options.cwd.to_string_lossy()).trim_end_matches('/')
    );
    Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "akslint",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: INFORMATION_URI,
                    rules: metas.iter().map(|m| rule(m)).collect(),
                },
            },
            invocations: [Invocation {
                execution_successful: !report.notices.iter().any(|n| n.level == NoticeLevel::Error),
                tool_execution_notifications: notifications,
            }],
            original_uri_base_ids: BTreeMap::from([(
                SRCROOT,
                ArtifactLocation {
                    uri: root_uri,
                    uri_base_id: None,
                },
            )]),
            column_kind: "unicodeCodePoints",
            results,
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_streamed_log_is_the_whole_log_serialised() {
        let metas = registry::sorted_metas();
        for report in super::super::tests::reports() {
            for threshold in [Severity::Info, Severity::Error] {
                let options = RenderOptions {
                    threshold,
                    ..super::super::tests::options()
                };
                let results: Vec<SarifResult<'_>> = shown(&report, threshold)
                    .map(|d| {
                        let index = metas.iter().position(|m| m.code == d.rule.code).unwrap();
                        result(d, d.fingerprint(), index, &options)
                    })
                    .collect();
                let log = sarif_log(&report, &options, &metas, results);
                let whole = serde_json::to_string_pretty(&log).expect("serialised") + "\n";
                let rendered = render(&report, &options);
                assert_eq!(rendered.text, whole);
                assert_eq!(rendered.findings, shown(&report, threshold).count());
            }
        }
    }

    #[test]
    fn paths_are_uri_encoded() {
        assert_eq!(encode_path("a b/c#d.yaml"), "a%20b/c%23d.yaml");
        assert_eq!(encode_path("<stdin>"), "%3Cstdin%3E");
        assert_eq!(encode_path("ü.yaml"), "%C3%BC.yaml");
    }
}
