//! Turning a secret found in a YAML scalar into a finding: where its bytes are in the source,
//! and the diagnostic of the placement rule (or of the weak-secret rule).

use std::ops::Range;

use super::{Finding, class_title};
use crate::rules::WeakSecret;
use akslint_core::{
    Diagnostic, NodeId, NodeKind, RuleMeta, ScalarStyle, SharedSource, Span, Tree, redacted_preview,
};

/// The source bytes of `range` of a scalar's decoded text, when they can be mapped exactly
/// (plain and quoted scalars without escapes, literal blocks); otherwise the whole scalar.
///
/// An alias is reported where it is used (its `*name`); [`secret_bytes`] adds its anchor's
/// bytes to what outputs mask.
pub fn source_span(tree: &Tree, node: NodeId, source: &str, range: &Range<usize>) -> Span {
    if tree.resolve(node) != node {
        return tree.span(node);
    }
    let written = tree.span(node);
    let NodeKind::Scalar(scalar) = &tree.node(tree.resolve(node)).kind else {
        return written;
    };
    let raw = &source[written.range()];
    let decoded = &scalar.text;
    let whole = || written;
    if range.end > decoded.len() {
        return whole();
    }
    let base = written.start as usize;
    let mapped = match scalar.style {
        ScalarStyle::Plain if raw == decoded => Some((base + range.start, base + range.end)),
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted
            if raw.len() >= 2 && raw[1..raw.len() - 1] == decoded =>
        {
            Some((base + 1 + range.start, base + 1 + range.end))
        }
        ScalarStyle::Literal if !range.is_empty() => literal_offset(raw, decoded, range.start)
            .zip(literal_offset(raw, decoded, range.end - 1))
            .map(|(start, last)| (base + start, base + last + 1)),
        _ => None,
    };
    match mapped {
        // The first and last characters must be the ones decoded (block lines lose indentation).
        Some((start, end))
            if source.get(start..start + 1) == decoded.get(range.start..range.start + 1)
                && source.get(end - 1..end) == decoded.get(range.end - 1..range.end) =>
        {
            Span::new(start, end)
        }
        _ => whole(),
    }
}

/// The offset in a literal block scalar's source (from its `|`) of `offset` in its decoded text.
fn literal_offset(raw: &str, decoded: &str, offset: usize) -> Option<usize> {
    let line_index = decoded[..offset].matches('\n').count();
    let column = offset - decoded[..offset].rfind('\n').map_or(0, |i| i + 1);
    let mut source_lines = raw.split_inclusive('\n');
    let header = source_lines.next()?.len();
    let content: Vec<&str> = source_lines.collect();
    let indent = content
        .iter()
        .find(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())?;
    let line = content.get(line_index)?;
    let line_start = header + content[..line_index].iter().map(|l| l.len()).sum::<usize>();
    (line.len() > indent + column).then_some(line_start + indent + column)
}

/// The bytes that hold a secret: where it is reported and, for an alias, the anchored value.
pub fn secret_bytes(tree: &Tree, node: NodeId, reported: Span) -> Vec<Span> {
    let anchored = tree.span(tree.resolve(node));
    if anchored == reported {
        vec![reported]
    } else {
        vec![reported, anchored]
    }
}

/// What a placement rule says about one found secret.
pub struct Place<'a> {
    /// The placement rule.
    pub rule: &'static RuleMeta,
    /// The file.
    pub file: &'a SharedSource,
    /// Where to report (the secret's bytes, or the encoded value holding it).
    pub span: Span,
    /// Where the secret is, in words: "environment variable `DB_PASSWORD` of container `api`".
    pub what: String,
    /// How to fix it.
    pub help: &'static str,
}

/// The finding for a secret: under the placement rule, or under the weak-secret rule when the
/// value is weak or well known. Never contains the value whole.
pub fn diagnostic(place: Place<'_>, finding: &Finding, value: &str) -> Diagnostic {
    let title = class_title(finding.class);
    let preview = redacted_preview(value);
    let verified = if finding.verified {
        " (its checksum is valid)"
    } else {
        ""
    };
    match &finding.weak {
        Some(weakness) => Diagnostic::new(
            &WeakSecret::META,
            place.file,
            place.span,
            format!("{} holds a hardcoded {title} {preview}, and {weakness}", place.what),
        )
        .with_help("replace it with a strong generated value kept outside the manifest, and rotate it"),
        None => Diagnostic::new(
            place.rule,
            place.file,
            place.span,
            format!(
                "{} holds a hardcoded {title}{verified} {preview}; anyone who can read the file or the object can use it",
                place.what
            ),
        )
        .with_help(place.help),
    }
    .with_sensitive(place.span)
    .with_category(finding.class)
}

/// Where the findings of one scalar are reported.
pub struct Scalar<'a> {
    /// The placement rule.
    pub rule: &'static RuleMeta,
    /// The file.
    pub file: &'a SharedSource,
    /// The tree.
    pub tree: &'a Tree,
    /// The scalar node.
    pub node: NodeId,
    /// Whether the judged text was decoded from the scalar (base64 `data`): findings are then
    /// reported at the whole scalar.
    pub encoded: bool,
    /// How to fix it.
    pub help: &'static str,
}

/// Whether a comment beside the value at `node` says it is a placeholder (see
/// [`super::values::placeholder_note`]).
pub fn placeholder_noted(file: &SharedSource, tree: &Tree, node: NodeId) -> bool {
    super::values::placeholder_note(file.text(), tree.span(node).start as usize)
}

impl Scalar<'_> {
    /// Reports every finding of `text` (the scalar's text, or what it decodes to), describing
    /// where each is with `what`.
    pub fn report(
        &self,
        text: &str,
        findings: Vec<Finding>,
        what: &str,
        out: &mut Vec<Diagnostic>,
    ) {
        if !findings.is_empty() && placeholder_noted(self.file, self.tree, self.node) {
            return;
        }
        for finding in findings {
            let span = if self.encoded {
                self.tree.span(self.tree.resolve(self.node))
            } else {
                source_span(self.tree, self.node, self.file.text(), &finding.range)
            };
            let place = Place {
                rule: self.rule,
                file: self.file,
                span,
                what: what.to_owned(),
                help: self.help,
            };
            let mut found = diagnostic(place, &finding, &text[finding.range.clone()]);
            found.sensitive = secret_bytes(self.tree, self.node, span);
            out.push(found);
        }
    }
}
