//! Code actions: a finding's fix, "ignore CODE on this line", and "fix all safe findings".

use std::collections::HashMap;

use akslint_core::{Applicability, Diagnostic, Edit, Family, Fix, SourceKind, Span};
use akslint_rules::suppression::{REASON_PLACEHOLDER, Scope};
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, DocumentChanges, OneOf,
    OptionalVersionedTextDocumentIdentifier, Range, TextDocumentEdit, TextEdit, WorkspaceEdit,
};

use crate::linted::Linted;

/// The kind of the action that applies every safe fix of a document.
pub const FIX_ALL_KIND: &str = "source.fixAll.akslint";

/// How to express edits to the client.
#[derive(Clone, Copy, Debug, Default)]
pub struct EditStyle {
    /// The client takes `documentChanges` (versioned edits) rather than `changes`.
    pub document_changes: bool,
}

/// The code actions for `range` of a linted document, filtered by the kinds asked for. `fix_of`
/// gives a finding's fix (written by the engine when the action is asked for).
pub fn code_actions(
    linted: &Linted,
    range: Range,
    only: Option<&[CodeActionKind]>,
    style: EditStyle,
    fix_of: &dyn Fn(&Diagnostic) -> Option<Fix>,
) -> Vec<CodeActionOrCommand> {
    let wants = |kind: &CodeActionKind| match only {
        None => true,
        Some(kinds) => kinds.iter().any(|asked| {
            let asked = asked.as_str();
            kind.as_str() == asked
                || kind
                    .as_str()
                    .strip_prefix(asked)
                    .is_some_and(|rest| rest.starts_with('.'))
        }),
    };
    let mut actions = Vec::new();
    if wants(&CodeActionKind::QUICKFIX) {
        for (finding, diagnostic) in linted.findings.iter().zip(&linted.diagnostics) {
            if !overlaps(diagnostic.range, range) {
                continue;
            }
            if let Some(fix) = fix_of(finding) {
                let safe = fix.applicability == Applicability::Safe;
                let title = if safe {
                    format!("Fix {}: {}", finding.rule.code, fix.message)
                } else {
                    format!("Fix {} (review it): {}", finding.rule.code, fix.message)
                };
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic.clone()]),
                    edit: Some(workspace_edit(linted, &fix.edits, style)),
                    is_preferred: Some(safe),
                    ..CodeAction::default()
                }));
            }
            if let Some(edit) = ignore_edit(linted, finding) {
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("Ignore {} on this line (akslint-ignore)", finding.rule.code),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic.clone()]),
                    edit: Some(workspace_edit(linted, &[edit], style)),
                    is_preferred: Some(false),
                    ..CodeAction::default()
                }));
            }
        }
    }
    let fix_all = CodeActionKind::from(FIX_ALL_KIND);
    if wants(&fix_all) {
        let edits = safe_fix_edits(&linted.findings, fix_of);
        if !edits.is_empty() {
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: "Fix all safe akslint findings".to_owned(),
                kind: Some(fix_all),
                edit: Some(workspace_edit(linted, &edits, style)),
                ..CodeAction::default()
            }));
        }
    }
    actions
}

/// Whether two ranges share a line: a finding's actions are offered anywhere on its lines.
fn overlaps(a: Range, b: Range) -> bool {
    a.start.line <= b.end.line && b.start.line <= a.end.line
}

/// The edits of every safe fix, skipping a fix any of whose edits overlaps an edit taken.
pub fn safe_fix_edits(
    findings: &[Diagnostic],
    fix_of: &dyn Fn(&Diagnostic) -> Option<Fix>,
) -> Vec<Edit> {
    let mut taken: Vec<Edit> = Vec::new();
    for finding in findings {
        if finding.fix.is_none() && finding.fix_plan.is_none() {
            continue;
        }
        let Some(fix) = fix_of(finding) else { continue };
        if fix.applicability != Applicability::Safe {
            continue;
        }
        let clashes = fix.edits.iter().any(|edit| {
            taken.iter().any(|t| {
                edit.span.start < t.span.end && t.span.start < edit.span.end
                    || edit.span == t.span
                    || (edit.span.is_empty() || t.span.is_empty())
                        && edit.span.start == t.span.start
            })
        });
        if !clashes {
            taken.extend(fix.edits.iter().cloned());
        }
    }
    taken.sort_by_key(|e| (e.span.start, e.span.end));
    taken
}

fn workspace_edit(linted: &Linted, edits: &[Edit], style: EditStyle) -> WorkspaceEdit {
    let text_edits: Vec<TextEdit> = edits
        .iter()
        .map(|edit| TextEdit {
            range: linted.encoding.range(&linted.file, edit.span),
            new_text: edit.replacement.clone(),
        })
        .collect();
    if style.document_changes {
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: linted.uri.clone(),
                    version: Some(linted.version),
                },
                edits: text_edits.into_iter().map(OneOf::Left).collect(),
            }])),
            ..WorkspaceEdit::default()
        }
    } else {
        WorkspaceEdit {
            changes: Some(HashMap::from([(linted.uri.clone(), text_edits)])),
            ..WorkspaceEdit::default()
        }
    }
}

/// The edit that silences `finding` on its line: a code added to the suppression that already
/// covers the line (a trailing comment, or a comment on the line above), in Bicep a code added
/// to a `#disable-next-line` above, else a new comment line above with a reason placeholder.
pub fn ignore_edit(linted: &Linted, finding: &Diagnostic) -> Option<Edit> {
    if finding.rule.family == Family::Sup {
        return None;
    }
    let file = &linted.file;
    let text = file.text();
    if text.is_empty() {
        return None;
    }
    let lines = file.lines();
    let line = lines.line_of(finding.span.start as usize);
    let code = finding.rule.code;
    let existing = linted
        .suppressions
        .items
        .iter()
        .find(|s| s.scope == Scope::Line(line) && !s.codes.is_empty());
    if let Some(existing) = existing {
        if existing
            .codes
            .iter()
            .any(|c| c.rule.is_some_and(|r| r.code == code))
        {
            return None;
        }
        let last = existing.codes.last()?.span;
        // Bicep's pragmas separate codes with spaces, akslint-ignore with commas.
        let pragma = text
            .get(existing.span.range())
            .is_some_and(|t| t.trim_start().starts_with("#disable"));
        let separator = if pragma { " " } else { ", " };
        return Some(Edit {
            span: Span::empty(last.end as usize),
            replacement: format!("{separator}{code}"),
        });
    }
    let kind = file.kind();
    if matches!(kind, SourceKind::Bicep | SourceKind::BicepParam) && line > 0 {
        let above = lines.line_span(text, line - 1);
        let above_text = &text[above.range()];
        let content = above_text.trim_start();
        if let Some(rest) = content.strip_prefix("#disable-next-line") {
            let rest_start = above.end as usize - rest.len();
            let codes_end = rest.find("//").unwrap_or(rest.len());
            let codes = rest[..codes_end].trim_end();
            if codes
                .split_whitespace()
                .any(|c| c.eq_ignore_ascii_case(code))
            {
                return None;
            }
            return Some(Edit {
                span: Span::empty(rest_start + codes.len()),
                replacement: format!(" {code}"),
            });
        }
    }
    let line_span = lines.line_span(text, line);
    let line_text = &text[line_span.range()];
    let indent = &line_text[..line_text.len() - line_text.trim_start().len()];
    let newline = if text[line_span.end as usize..].starts_with("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    Some(Edit {
        span: Span::empty(line_span.start as usize),
        replacement: format!(
            "{indent}{} akslint-ignore {code}: {REASON_PLACEHOLDER}{newline}",
            kind.comment_leader()
        ),
    })
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;
    use std::sync::Arc;

    use akslint_core::SourceFile;
    use akslint_rules::Suppressions;
    use akslint_rules::rules::HardcodedSecretInEnv;
    use tower_lsp_server::ls_types::Uri;

    use super::*;
    use crate::position::Encoding;

    fn linted(path: &str, kind: SourceKind, text: &str, needle: &str) -> (Linted, Diagnostic) {
        let file = Arc::new(SourceFile::new(path, kind, text));
        let at = text.find(needle).unwrap();
        let finding = Diagnostic::new(
            &HardcodedSecretInEnv::META,
            &file,
            Span::new(at, at + needle.len()),
            "a finding",
        );
        let linted = Linted {
            uri: Uri::from_str("file:///w/x").unwrap(),
            version: 1,
            generation: 1,
            project_epoch: 0,
            config_epoch: 0,
            seq: 1,
            file,
            findings: vec![finding.clone()],
            diagnostics: Vec::new(),
            suppressions: Suppressions::default(),
            encoding: Encoding::Utf16,
            analysis: None,
        };
        (linted, finding)
    }

    fn applied(linted: &Linted, edit: &Edit) -> String {
        let mut text = linted.file.text().to_owned();
        text.replace_range(edit.span.range(), &edit.replacement);
        text
    }

    #[test]
    fn bicep_gets_a_slash_comment_or_extends_a_pragma() {
        let (l, f) = linted(
            "main.bicep",
            SourceKind::Bicep,
            "resource r 'x' = {\n  properties: {\n    secret: 'abc'\n  }\n}\n",
            "'abc'",
        );
        let edit = ignore_edit(&l, &f).unwrap();
        assert!(
            applied(&l, &edit)
                .contains("    // akslint-ignore SEC001: <reason>\n    secret: 'abc'"),
            "{}",
            applied(&l, &edit)
        );
        let (l, f) = linted(
            "main.bicep",
            SourceKind::Bicep,
            "  #disable-next-line no-hardcoded-env-urls // why\n  secret: 'abc'\n",
            "'abc'",
        );
        let edit = ignore_edit(&l, &f).unwrap();
        assert_eq!(
            applied(&l, &edit),
            "  #disable-next-line no-hardcoded-env-urls SEC001 // why\n  secret: 'abc'\n"
        );
    }

    #[test]
    fn yaml_comment_keeps_crlf_and_indentation() {
        let (l, f) = linted(
            "a.yaml",
            SourceKind::Yaml,
            "env:\r\n  - name: DB_PASSWORD\r\n    value: abc\r\n",
            "abc",
        );
        let edit = ignore_edit(&l, &f).unwrap();
        assert_eq!(
            applied(&l, &edit),
            "env:\r\n  - name: DB_PASSWORD\r\n    # akslint-ignore SEC001: <reason>\r\n    value: abc\r\n"
        );
    }
}
