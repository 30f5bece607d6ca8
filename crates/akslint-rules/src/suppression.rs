//! Suppressions: `akslint-ignore` comments, `akslint-ignore-file` comments and the
//! `akslint.io/ignore` annotation, and the bookkeeping that reports the ones that silence nothing.

use crate::registry;
use akslint_core::{Comment, Pragma, RuleMeta, SharedSource, Span};

/// What the reason of a suppression comment says until the user writes one: the language
/// server's quick fix writes it, and a suppression whose reason is still this gives none.
pub const REASON_PLACEHOLDER: &str = "<reason>";

/// The Kubernetes annotation that silences rules for one object.
pub const IGNORE_ANNOTATION: &str = "akslint.io/ignore";

/// What a suppression covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Findings that start on this 0-based line.
    Line(usize),
    /// Every finding in the file.
    File,
    /// Findings inside this span (a Kubernetes object).
    Object(Span),
    /// Findings that start on these 0-based lines, both included (Bicep's
    /// `#disable-diagnostics` … `#restore-diagnostics`).
    Lines(usize, usize),
}

/// How a suppression is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SuppressionKind {
    /// An `akslint-ignore` comment or the `akslint.io/ignore` annotation: needs a reason, and
    /// every code must be an akslint rule.
    Akslint,
    /// A Bicep pragma (`#disable-next-line`, `#disable-diagnostics`): Bicep's own syntax, with no
    /// reason, whose other codes belong to the Bicep compiler and linter.
    BicepPragma,
}

/// One rule named in a suppression.
#[derive(Clone, Debug)]
pub struct SuppressedCode {
    /// The code or name as written.
    pub text: String,
    /// Where it is written.
    pub span: Span,
    /// The rule it names, if it names one.
    pub rule: Option<&'static RuleMeta>,
    /// Whether it silenced a finding.
    pub used: bool,
}

/// A parsed suppression.
#[derive(Clone, Debug)]
pub struct Suppression {
    /// What it covers.
    pub scope: Scope,
    /// The rules it names.
    pub codes: Vec<SuppressedCode>,
    /// The reason, if one is given.
    pub reason: Option<String>,
    /// The comment or annotation value it is written in.
    pub span: Span,
    /// How it is written.
    pub kind: SuppressionKind,
}

/// The suppressions of one file.
#[derive(Clone, Debug, Default)]
pub struct Suppressions {
    /// Every suppression, in source order.
    pub items: Vec<Suppression>,
    /// The bytes of the file whose findings may be missing because they did not parse (see
    /// [`Suppressions::set_unparsed`]); empty for a file that parsed without a problem.
    pub unparsed: Vec<Span>,
}

impl Suppressions {
    /// Parses the suppression comments among a file's comments.
    pub fn from_comments(file: &SharedSource, comments: &[Comment]) -> Suppressions {
        let text = file.text();
        let lines = file.lines();
        let comment_only_lines: std::collections::HashSet<usize> = comments
            .iter()
            .filter(|c| c.own_line)
            .map(|c| lines.line_of(c.span.start as usize))
            .collect();
        let mut items = Vec::new();
        for comment in comments {
            let body = &text[comment.body.range()];
            let Some((is_file, rest, rest_offset)) = directive(body) else {
                continue;
            };
            let line = lines.line_of(comment.span.start as usize);
            let scope = if is_file {
                Scope::File
            } else if comment.own_line {
                // Applies to the next line that holds something other than comments.
                let mut target = line + 1;
                while target < lines.line_count()
                    && (comment_only_lines.contains(&target)
                        || text[lines.line_span(text, target).range()]
                            .trim()
                            .is_empty())
                {
                    target += 1;
                }
                Scope::Line(target)
            } else {
                Scope::Line(line)
            };
            let base = comment.body.start as usize + rest_offset;
            items.push(parse_codes_and_reason(rest, base, scope, comment.span));
        }
        Suppressions {
            items,
            unparsed: Vec::new(),
        }
    }

    /// Records which bytes of a file of `file_len` bytes did not parse, given the spans of the
    /// documents that parsed and of the parse problems: with any problem, everything outside
    /// the documents that hold none. A suppression there may silence a finding that the broken
    /// document would have had, so it is never called unused.
    pub fn set_unparsed(&mut self, documents: &[Span], problems: &[Span], file_len: usize) {
        self.unparsed.clear();
        if problems.is_empty() {
            return;
        }
        let holds_problem = |document: &Span| {
            problems
                .iter()
                .any(|p| document.start <= p.start && p.start < document.end)
        };
        let mut clean: Vec<Span> = documents
            .iter()
            .filter(|document| !holds_problem(document))
            .copied()
            .collect();
        clean.sort();
        let mut at = 0;
        for document in clean {
            if (document.start as usize) > at {
                self.unparsed.push(Span::new(at, document.start as usize));
            }
            at = at.max(document.end as usize);
        }
        if at < file_len {
            self.unparsed.push(Span::new(at, file_len));
        }
    }

    /// Whether what `suppression` covers may have lost findings to a parse problem: a
    /// file-wide one in a file with any, the others when their line or object starts in
    /// [`Suppressions::unparsed`] text.
    pub fn covers_unparsed(&self, suppression: &Suppression, file: &SharedSource) -> bool {
        if self.unparsed.is_empty() {
            return false;
        }
        let at = match suppression.scope {
            Scope::File => return true,
            Scope::Line(line) | Scope::Lines(line, _) => {
                file.lines().line_start(line).min(file.len())
            }
            Scope::Object(object) => object.start as usize,
        };
        let end_of_file = file.len();
        self.unparsed.iter().any(|span| {
            span.range().contains(&at) || at == end_of_file && span.end as usize == end_of_file
        })
    }

    /// Adds the suppression written in an `akslint.io/ignore` annotation of an object.
    pub fn add_annotation(
        &mut self,
        value: &str,
        value_span: Span,
        object_span: Span,
        file_text: &str,
    ) {
        // The value's text starts after an opening quote when it is quoted.
        let raw = &file_text[value_span.range()];
        let base = value_span.start as usize + raw.find(value).unwrap_or(0);
        self.items.push(parse_codes_and_reason(
            value,
            base,
            Scope::Object(object_span),
            value_span,
        ));
    }

    /// Whether a finding of `rule` starting on `line` at `span` is suppressed; marks the
    /// suppression used.
    pub fn suppresses(&mut self, rule: &RuleMeta, line: usize, span: Span) -> bool {
        let mut silenced = false;
        for item in &mut self.items {
            let covers = match item.scope {
                Scope::Line(target) => target == line,
                Scope::Lines(first, last) => (first..=last).contains(&line),
                Scope::File => true,
                Scope::Object(object) => object.contains(span),
            };
            if !covers {
                continue;
            }
            for code in &mut item.codes {
                if code.rule.is_some_and(|r| r.code == rule.code) {
                    code.used = true;
                    silenced = true;
                }
            }
        }
        silenced
    }
}

/// Splits a comment body into (is file-wide, the text after the keyword, its offset in the body).
fn directive(body: &str) -> Option<(bool, &str, usize)> {
    let trimmed = body.trim_start();
    let lead = body.len() - trimmed.len();
    for (keyword, is_file) in [("akslint-ignore-file", true), ("akslint-ignore", false)] {
        if let Some(rest) = trimmed.strip_prefix(keyword)
            && (rest.is_empty() || rest.starts_with([' ', '\t', ':']))
        {
            return Some((is_file, rest, lead + keyword.len()));
        }
    }
    None
}

/// Parses `CODE[, CODE]: reason` starting at byte `base` of the file.
fn parse_codes_and_reason(text: &str, base: usize, scope: Scope, span: Span) -> Suppression {
    // A reason ends where another comment starts (`# expect: …` in fixtures, say).
    let text = text.find(" #").map_or(text, |end| &text[..end]);
    let (codes_part, reason) = match text.find(':') {
        Some(colon) => (&text[..colon], Some(text[colon + 1..].trim())),
        None => (text, None),
    };
    let is_separator = |c: char| c == ',' || c.is_whitespace();
    let mut codes = Vec::new();
    let mut rest = codes_part;
    while let Some(start) = rest.find(|c: char| !is_separator(c)) {
        let end = rest[start..]
            .find(is_separator)
            .map_or(rest.len(), |len| start + len);
        let piece = &rest[start..end];
        let at = base + (codes_part.len() - rest.len()) + start;
        codes.push(SuppressedCode {
            text: piece.to_owned(),
            span: Span::new(at, at + piece.len()),
            rule: registry::find(piece),
            used: false,
        });
        rest = &rest[end..];
    }
    Suppression {
        scope,
        codes,
        reason: reason
            .filter(|r| !r.is_empty() && *r != REASON_PLACEHOLDER)
            .map(str::to_owned),
        span,
        kind: SuppressionKind::Akslint,
    }
}

impl Suppression {
    /// A suppression written in the language's own syntax (a Bicep pragma).
    pub fn from_pragma(pragma: &Pragma) -> Suppression {
        let (first, last) = pragma.lines;
        Suppression {
            scope: Scope::Lines(first, last),
            codes: pragma
                .codes
                .iter()
                .map(|(text, span)| SuppressedCode {
                    text: text.clone(),
                    span: *span,
                    rule: registry::find(text),
                    used: false,
                })
                .collect(),
            reason: None,
            span: pragma.span,
            kind: SuppressionKind::BicepPragma,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use akslint_core::{SourceFile, SourceKind};
    use std::sync::Arc;

    fn file(text: &str) -> SharedSource {
        Arc::new(SourceFile::new("a.yaml", SourceKind::Yaml, text))
    }

    #[test]
    fn the_quick_fix_placeholder_is_no_reason() {
        let placeholder = parse_codes_and_reason(
            &format!(" SEC001: {REASON_PLACEHOLDER}"),
            0,
            Scope::File,
            Span::empty(0),
        );
        assert_eq!(placeholder.reason, None);
        assert_eq!(placeholder.codes[0].rule.map(|r| r.code), Some("SEC001"));
        let written = parse_codes_and_reason(
            " SEC001: <reason> is a test fixture",
            0,
            Scope::File,
            Span::empty(0),
        );
        assert_eq!(
            written.reason.as_deref(),
            Some("<reason> is a test fixture")
        );
    }

    #[test]
    fn text_outside_the_documents_without_problems_is_unparsed() {
        // Two documents, 0..10 and 14..30, a third that did not parse from 34 to 50.
        let mut suppressions = Suppressions::default();
        suppressions.set_unparsed(&[Span::new(0, 10), Span::new(14, 30)], &[], 50);
        assert!(
            suppressions.unparsed.is_empty(),
            "no problem, nothing unparsed"
        );
        suppressions.set_unparsed(
            &[Span::new(0, 10), Span::new(14, 30)],
            &[Span::new(40, 41)],
            50,
        );
        assert_eq!(
            suppressions.unparsed,
            [Span::new(10, 14), Span::new(30, 50)]
        );
        // A problem inside a document that parsed (a duplicate key) makes it unparsed too.
        suppressions.set_unparsed(
            &[Span::new(0, 10), Span::new(14, 30)],
            &[Span::new(20, 22)],
            30,
        );
        assert_eq!(suppressions.unparsed, [Span::new(10, 30)]);
        suppressions.set_unparsed(&[], &[Span::new(3, 4)], 30);
        assert_eq!(suppressions.unparsed, [Span::new(0, 30)]);
    }

    #[test]
    fn suppressions_over_unparsed_text_are_known() {
        let text = "a: 1\n---\nb: [\n";
        let source = file(text);
        let mut suppressions = Suppressions::default();
        suppressions.set_unparsed(&[Span::new(0, 4)], &[Span::new(12, 13)], text.len());
        let at = |scope: Scope| Suppression {
            scope,
            codes: Vec::new(),
            reason: None,
            span: Span::empty(0),
            kind: SuppressionKind::Akslint,
        };
        assert!(!suppressions.covers_unparsed(&at(Scope::Line(0)), &source));
        assert!(suppressions.covers_unparsed(&at(Scope::Line(2)), &source));
        assert!(suppressions.covers_unparsed(&at(Scope::File), &source));
        assert!(suppressions.covers_unparsed(&at(Scope::Object(Span::new(9, 13))), &source));
        assert!(!suppressions.covers_unparsed(&at(Scope::Object(Span::new(0, 4))), &source));
        // The first line of a document that parsed is not unparsed text.
        let text = "b: [\n---\na: 1\n";
        let source = file(text);
        suppressions.set_unparsed(&[Span::new(5, 13)], &[Span::new(4, 5)], text.len());
        assert!(!suppressions.covers_unparsed(&at(Scope::Line(1)), &source));
        assert!(suppressions.covers_unparsed(&at(Scope::Line(0)), &source));
        suppressions.set_unparsed(&[Span::new(0, 4)], &[], text.len());
        assert!(!suppressions.covers_unparsed(&at(Scope::File), &source));
    }
}
