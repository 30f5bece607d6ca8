//! Suppressions: `akslint-ignore` comments, `akslint-ignore-file` comments and the
//! `akslint.io/ignore` annotation, and the bookkeeping that reports the ones that silence nothing.

use crate::registry;
use akslint_core::{Comment, Pragma, RuleMeta, SharedSource, Span};

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
        Suppressions { items }
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
        reason: reason.filter(|r| !r.is_empty()).map(str::to_owned),
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
