//! The built objects written as YAML (as `kustomize build` prints them, one document per
//! object), with the place every written byte came from: the rendered file the rules run on.

use std::sync::Arc;

use akslint_core::{RenderedFile, RenderedSegment, SharedSource, SourceFile, SourceKind, Span};

use crate::build::Built;
use crate::node::{Node, Origin, Value};

/// The built objects as one YAML text under `kustomization`'s path, with a segment for every
/// key, scalar and collection, mapping it to the place it was written.
pub fn render(built: &Built, kustomization: &SharedSource) -> RenderedFile {
    let mut writer = Writer::default();
    for (at, resource) in built.resources.iter().enumerate() {
        if at > 0 {
            writer.text.push_str("---\n");
        }
        let start = writer.text.len();
        writer.block(&resource.node, 0);
        writer.segment(start, resource.node.origin);
    }
    let file = Arc::new(SourceFile::new(
        kustomization.path(),
        SourceKind::Yaml,
        writer.text,
    ));
    let sources = built.sources.clone();
    // A segment's source is an index of `sources`; the kustomization is among them (the first).
    let template = sources
        .iter()
        .find(|s| s.path() == kustomization.path())
        .cloned()
        .unwrap_or_else(|| kustomization.clone());
    writer
        .segments
        .sort_by_key(|s| (s.rendered.start, std::cmp::Reverse(s.rendered.end)));
    // Kept with the build's text until its findings are placed, a segment for every key and
    // scalar: no room left over from growing.
    writer.segments.shrink_to_fit();
    RenderedFile {
        file,
        template,
        sources,
        segments: writer.segments,
        actions: Vec::new(),
        placement: akslint_core::Placement::AtSource,
        problems: Vec::new(),
        notes: Vec::new(),
        values_sets: Vec::new(),
    }
}

/// Writes YAML and records where each written piece came from.
#[derive(Default)]
struct Writer {
    text: String,
    segments: Vec<RenderedSegment>,
}

impl Writer {
    /// Records that the bytes from `start` to the end so far came from `origin`.
    fn segment(&mut self, start: usize, origin: Origin) {
        let mut end = self.text.len();
        // A collection's bytes end before its last line break.
        while end > start && self.text.as_bytes()[end - 1] == b'\n' {
            end -= 1;
        }
        self.segments.push(RenderedSegment {
            rendered: Span::new(start, end),
            source: origin.source as usize,
            span: origin.span,
        });
    }

    /// A node in block style at `indent`, at the start of a line (mappings and sequences) or
    /// after `key: ` (scalars and empty collections, which end the line).
    fn block(&mut self, node: &Node, indent: usize) {
        match &node.value {
            Value::Map(entries) if !entries.is_empty() => {
                for (at, entry) in entries.iter().enumerate() {
                    if at > 0 {
                        self.indent(indent);
                    }
                    let start = self.text.len();
                    self.text.push_str(&scalar_text(&entry.key));
                    self.segment(start, key_place(entry));
                    self.text.push(':');
                    self.value_after_key(&entry.value, indent);
                }
            }
            Value::Seq(items) if !items.is_empty() => {
                for (at, item) in items.iter().enumerate() {
                    if at > 0 {
                        self.indent(indent);
                    }
                    self.text.push_str("- ");
                    let start = self.text.len();
                    self.block(item, indent + 2);
                    if item.is_map() || item.items().is_some() {
                        self.segment(start, item.origin);
                    }
                }
            }
            _ => {
                let start = self.text.len();
                self.scalar(node);
                self.segment(start, node.origin);
                self.text.push('\n');
            }
        }
    }

    /// The value of a mapping entry after its `key:`.
    fn value_after_key(&mut self, value: &Node, indent: usize) {
        match &value.value {
            Value::Map(entries) if !entries.is_empty() => {
                self.text.push('\n');
                self.indent(indent + 2);
                let start = self.text.len();
                self.block(value, indent + 2);
                self.segment(start, value.origin);
            }
            // Sequences under a key are not indented, as kustomize writes them.
            Value::Seq(items) if !items.is_empty() => {
                self.text.push('\n');
                self.indent(indent);
                let start = self.text.len();
                self.block(value, indent);
                self.segment(start, value.origin);
            }
            _ => {
                self.text.push(' ');
                self.block(value, indent);
            }
        }
    }

    fn indent(&mut self, indent: usize) {
        self.text.extend(std::iter::repeat_n(' ', indent));
    }

    /// A scalar (or an empty collection) on one line.
    fn scalar(&mut self, node: &Node) {
        match &node.value {
            Value::Null => self.text.push_str("null"),
            Value::Bool(b) => self.text.push_str(if *b { "true" } else { "false" }),
            Value::Int(n) => self.text.push_str(&n.to_string()),
            Value::Float(text) => self.text.push_str(text),
            Value::Str(text) => self.text.push_str(&scalar_text(text)),
            Value::Map(_) => self.text.push_str("{}"),
            Value::Seq(_) => self.text.push_str("[]"),
        }
    }
}

/// Where a finding at a key is placed: the key, unless its value is a collection that a patch
/// changed by removing something (its origin then is the patch's directive, in another file):
/// "the labels lack X" is reported where X was removed.
fn key_place(entry: &crate::node::Entry) -> Origin {
    let collection = matches!(entry.value.value, Value::Map(_) | Value::Seq(_));
    if collection && entry.value.origin.source != entry.key_origin.source {
        entry.value.origin
    } else {
        entry.key_origin
    }
}

/// A string as a one-line YAML scalar: plain when YAML reads it back as the same string, else
/// double-quoted (JSON escapes are valid YAML ones).
fn scalar_text(text: &str) -> String {
    if is_plain_safe(text) {
        text.to_owned()
    } else {
        serde_json::to_string(text).unwrap_or_default()
    }
}

/// Whether a string can be written plain and read back as that string (not a number, boolean,
/// null, and free of indicators).
fn is_plain_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    let reads_as_other = matches!(
        text.to_ascii_lowercase().as_str(),
        "null" | "~" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
    ) || looks_numeric(text);
    !reads_as_other
        && !"-?:,[]{}#&*!|>'\"%@` ".contains(first)
        && !text.ends_with(' ')
        && !text.ends_with(':')
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.chars().any(|c| c.is_control())
}

/// Whether a plain scalar of this text would be read as a number (or a YAML 1.1 one).
fn looks_numeric(text: &str) -> bool {
    let body = text.trim_start_matches(['+', '-']);
    !body.is_empty()
        && body.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && body
            .chars()
            .all(|c| c.is_ascii_hexdigit() || "._xXoOeE+-:".contains(c))
        || matches!(body, ".inf" | ".Inf" | ".INF" | ".nan" | ".NaN" | ".NAN")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_that_read_as_something_else_are_quoted() {
        assert_eq!(scalar_text("nginx:1.25"), "nginx:1.25");
        assert_eq!(scalar_text("1.25"), "\"1.25\"");
        assert_eq!(scalar_text("true"), "\"true\"");
        assert_eq!(scalar_text("a: b"), "\"a: b\"");
        assert_eq!(scalar_text("two\nlines"), "\"two\\nlines\"");
        assert_eq!(scalar_text(""), "\"\"");
        assert_eq!(scalar_text("0x1F"), "\"0x1F\"");
    }
}
