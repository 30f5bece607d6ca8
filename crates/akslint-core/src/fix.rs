//! Fix plans: what a rule wants changed, said in terms of the model (a value to replace, an
//! entry to insert, an item to remove), never in a file's syntax. The front end that owns the
//! file renders a plan into text edits with its own syntax tree ([`crate::FrontEnd::render_fix`]),
//! or declines when the edit would not be unambiguous.

use crate::{Applicability, Span};

/// A value written by a fix, rendered by the front end in its syntax (`true`, `'true'` in Bicep,
/// `"true"` in YAML, an object on several lines, …).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Literal {
    /// `true` or `false`.
    Bool(bool),
    /// A string.
    String(String),
    /// An array of values.
    Array(Vec<Literal>),
    /// An object (mapping), its entries in order.
    Object(Vec<(String, Literal)>),
}

/// One change of a fix plan. Spans are byte spans of the file the finding is in, of the values
/// as the model records them (a YAML node, the expression a Bicep value was evaluated from).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Change {
    /// Replace the value written at `at` by `value`. The front end replaces only a literal (a
    /// scalar, or an array or object written out), and with `expected`, only one that is written
    /// as that literal (`false`, not `!enabled`).
    Replace {
        /// Where the value is written.
        at: Span,
        /// The literal it must be written as, if any.
        expected: Option<Literal>,
        /// The new value.
        value: Literal,
    },
    /// Insert `value` at the key `path` under the mapping or object written at `object`, writing
    /// the mappings of the path that are missing (every key of `path` but the first is under a
    /// new mapping). Insertions into the same mapping are made as one edit.
    Insert {
        /// Where the mapping or object is written.
        object: Span,
        /// The keys from `object` down to the new entry, e.g. `["aadProfile", "managed"]`.
        path: Vec<String>,
        /// The new entry's value.
        value: Literal,
    },
    /// Remove the sequence item written at `item`, with its line when it has the line to itself.
    RemoveItem {
        /// Where the item is written.
        item: Span,
    },
    /// Mark the template parameter declared at `declaration` as secure (`@secure()` in Bicep).
    MarkSecure {
        /// The parameter's declaration.
        declaration: Span,
    },
    /// Replace text inside a string literal: `span` lies within the string's content and `text`
    /// needs no escaping in any syntax (letters, digits, `:`, `/`, `-`, `.`).
    EditString {
        /// The characters to replace.
        span: Span,
        /// What replaces them.
        text: String,
    },
}

/// A fix as a rule plans it: what it does, how safe it is, and the changes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FixPlan {
    /// What the fix does, e.g. "add the label azure.workload.identity/use: \"true\"".
    pub message: String,
    /// Whether it is safe to apply unattended.
    pub applicability: Applicability,
    /// The changes, all in the finding's file.
    pub changes: Vec<Change>,
}

impl FixPlan {
    /// A plan of one change.
    pub fn new(
        message: impl Into<String>,
        applicability: Applicability,
        change: Change,
    ) -> FixPlan {
        FixPlan {
            message: message.into(),
            applicability,
            changes: vec![change],
        }
    }
}

/// Edits written with `\n` line breaks, rewritten to the line breaks of the file they edit: a
/// replacement's bare `\n` becomes `\r\n` where the line the edit starts on ends with `\r\n` (or,
/// on a last line without a break, where the line before does), so a fix never mixes line
/// endings into a CRLF file.
pub fn in_line_endings_of(text: &str, mut edits: Vec<crate::Edit>) -> Vec<crate::Edit> {
    for edit in &mut edits {
        if !edit.replacement.contains('\n') || !uses_crlf_at(text, edit.span.start as usize) {
            continue;
        }
        let mut out = String::with_capacity(edit.replacement.len() + 8);
        let mut previous = None;
        for c in edit.replacement.chars() {
            if c == '\n' && previous != Some('\r') {
                out.push('\r');
            }
            out.push(c);
            previous = Some(c);
        }
        edit.replacement = out;
    }
    edits
}

/// Whether the line break of the line at `offset` (else of the line before) is `\r\n`.
fn uses_crlf_at(text: &str, offset: usize) -> bool {
    let bytes = text.as_bytes();
    let offset = offset.min(bytes.len());
    let next = bytes[offset..].iter().position(|&b| b == b'\n');
    let newline = next
        .map(|i| offset + i)
        .or_else(|| bytes[..offset].iter().rposition(|&b| b == b'\n'));
    newline.is_some_and(|i| i > 0 && bytes[i - 1] == b'\r')
}

/// A double-quoted string as YAML and JSON both read it: `"` and `\` escaped, line breaks,
/// tabs and other control characters as escapes.
pub fn double_quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The indentation of the line on which an object's first key starts (at `key_start`), when
/// that line is inside the object (written over several lines) and holds only blanks before the
/// key: where new entries go, one per line.
pub fn first_key_indent(text: &str, object: Span, key_start: usize) -> Option<&str> {
    let line_start = text[..key_start].rfind('\n').map_or(0, |i| i + 1);
    let indent = &text[line_start..key_start];
    (line_start > object.start as usize && indent.bytes().all(|b| b == b' ' || b == b'\t'))
        .then_some(indent)
}

/// An edit that inserts entries (each written already) before the key at `key_start`, one per
/// line at `indent`, each followed by `separator` (`,` in JSON, nothing in Bicep).
pub fn insert_before_key(
    key_start: usize,
    indent: &str,
    entries: &[String],
    separator: &str,
) -> crate::Edit {
    let between = format!("{separator}\n{indent}");
    crate::Edit {
        span: Span::empty(key_start),
        replacement: format!("{}{between}", entries.join(&between)),
    }
}

/// An entry a [`Change::Insert`] adds: its key path and value.
pub type EntryToInsert<'p> = (&'p [String], &'p Literal);

/// How a front end writes each kind of [`Change`] in its syntax; [`render_plan`] drives it. A
/// method returns `None` when the change cannot be written unambiguously.
pub trait ChangeWriter {
    /// [`Change::Replace`].
    fn replace(&self, at: Span, expected: Option<&Literal>, value: &Literal)
    -> Option<crate::Edit>;
    /// [`Change::Insert`]s into the same object, as one edit.
    fn insert(&self, object: Span, entries: &[EntryToInsert<'_>]) -> Option<crate::Edit>;
    /// [`Change::MarkSecure`].
    fn mark_secure(&self, declaration: Span) -> Option<crate::Edit>;
    /// [`Change::EditString`].
    fn edit_string(&self, span: Span, text: &str) -> Option<crate::Edit>;
    /// [`Change::RemoveItem`] (declined unless the syntax can write it).
    fn remove_item(&self, item: Span) -> Option<crate::Edit> {
        let _ = item;
        None
    }
}

/// The edits of a plan, sorted, written by `writer`: insertions into the same object grouped
/// into one edit (two changes of one key declined); `None` when a change cannot be written or
/// two edits overlap.
pub fn render_plan(plan: &FixPlan, writer: &dyn ChangeWriter) -> Option<Vec<crate::Edit>> {
    let mut edits = Vec::new();
    let mut insertions: Vec<(Span, Vec<EntryToInsert<'_>>)> = Vec::new();
    for change in &plan.changes {
        match change {
            Change::Replace {
                at,
                expected,
                value,
            } => edits.push(writer.replace(*at, expected.as_ref(), value)?),
            Change::Insert {
                object,
                path,
                value,
            } => match insertions.iter_mut().find(|(at, _)| at == object) {
                Some((_, entries)) => {
                    if entries.iter().any(|(p, _)| p.first() == path.first()) {
                        return None;
                    }
                    entries.push((path, value));
                }
                None => insertions.push((*object, vec![(path, value)])),
            },
            Change::MarkSecure { declaration } => edits.push(writer.mark_secure(*declaration)?),
            Change::EditString { span, text } => edits.push(writer.edit_string(*span, text)?),
            Change::RemoveItem { item } => edits.push(writer.remove_item(*item)?),
        }
    }
    for (object, entries) in insertions {
        edits.push(writer.insert(object, &entries)?);
    }
    edits.sort_by_key(|edit| (edit.span.start, edit.span.end));
    let overlapping = edits
        .windows(2)
        .any(|pair| pair[0].span.end > pair[1].span.start);
    (!overlapping).then_some(edits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Edit, Span};

    fn edit(at: usize, text: &str) -> Edit {
        Edit {
            span: Span::new(at, at),
            replacement: text.to_owned(),
        }
    }

    #[test]
    fn inserted_lines_take_the_files_line_breaks() {
        let crlf = "a: 1\r\nb: 2\r\n";
        let edits = in_line_endings_of(crlf, vec![edit(6, "x: 1\ny: 2\n"), edit(12, "z\r\n")]);
        assert_eq!(edits[0].replacement, "x: 1\r\ny: 2\r\n");
        assert_eq!(edits[1].replacement, "z\r\n");
        let lf = "a: 1\nb: 2";
        let edits = in_line_endings_of(lf, vec![edit(10, "\nc: 3")]);
        assert_eq!(edits[0].replacement, "\nc: 3");
        let last_line = "a: 1\r\nb: 2";
        let edits = in_line_endings_of(last_line, vec![edit(11, "\nc: 3")]);
        assert_eq!(edits[0].replacement, "\r\nc: 3");
    }
}
