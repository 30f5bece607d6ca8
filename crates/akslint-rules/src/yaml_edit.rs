//! Planning text edits to YAML sources: inserting an entry at a key path.

use akslint_core::{Edit, NodeId, Span, Tree};

/// How the deepest existing mapping on a path is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MappingStyle {
    /// Block style with at least one entry: insert a line before its first key.
    Block,
    /// `{}`.
    FlowEmpty,
    /// `{a: b}`.
    FlowWithEntries,
}

/// Where and how to insert `key: value` at the end of a key path whose leading part may be
/// missing (e.g. `metadata.labels` of a pod template that has no labels yet).
///
/// Planned while the tree is at hand and rendered later, so cross-file rules can offer fixes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryInsertion {
    offset: u32,
    indent: u32,
    missing: Vec<String>,
    style: MappingStyle,
}

impl EntryInsertion {
    /// Plans the insertion of an entry under `path` (relative to the mapping `from`).
    ///
    /// Returns `None` when the path runs into something that is not a mapping (a null value, a
    /// sequence, an alias) or when the mapping's layout is not one akslint edits safely.
    pub fn plan(tree: &Tree, text: &str, from: NodeId, path: &[&str]) -> Option<EntryInsertion> {
        let mut mapping = from;
        let mut missing = Vec::new();
        for (depth, key) in path.iter().enumerate() {
            match tree.entry(mapping, key) {
                Some(entry) if is_plain_mapping(tree, entry.value) => mapping = entry.value,
                Some(_) => return None,
                None => {
                    missing = path[depth..].iter().map(|k| (*k).to_owned()).collect();
                    break;
                }
            }
        }
        let span = tree.span(mapping);
        let entries = tree.entries(mapping);
        let opens_flow = text[span.range()].starts_with('{');
        let (style, offset, indent) = match (opens_flow, entries.first()) {
            (true, None) => (MappingStyle::FlowEmpty, span.start + 1, 0),
            (true, Some(_)) => (MappingStyle::FlowWithEntries, span.start + 1, 0),
            (false, Some(first)) => {
                let key_start = tree.span(first.key).start as usize;
                (
                    MappingStyle::Block,
                    key_start as u32,
                    column_of(text, key_start)?,
                )
            }
            (false, None) => return None,
        };
        Some(EntryInsertion {
            offset,
            indent,
            missing,
            style,
        })
    }

    /// The edit that inserts `key: value` (`value` already written as YAML, e.g. `"true"`).
    pub fn edit(&self, key: &str, value: &str) -> Edit {
        let text = match self.style {
            MappingStyle::Block => {
                let mut text = String::new();
                let mut indent = self.indent as usize;
                for missing in &self.missing {
                    text.push_str(missing);
                    text.push_str(":\n");
                    indent += 2;
                    text.push_str(&" ".repeat(indent));
                }
                text.push_str(&format!("{key}: {value}\n"));
                text.push_str(&" ".repeat(self.indent as usize));
                text
            }
            MappingStyle::FlowEmpty | MappingStyle::FlowWithEntries => {
                let mut inner = format!("{key}: {value}");
                for missing in self.missing.iter().rev() {
                    inner = format!("{missing}: {{{inner}}}");
                }
                if self.style == MappingStyle::FlowWithEntries {
                    inner.push_str(", ");
                }
                inner
            }
        };
        Edit {
            span: Span::empty(self.offset as usize),
            replacement: text,
        }
    }
}

fn is_plain_mapping(tree: &Tree, node: NodeId) -> bool {
    matches!(tree.node(node).kind, akslint_core::NodeKind::Mapping(_))
}

/// The column of `offset` when only spaces (and `- ` sequence indicators) precede it on its line.
fn column_of(text: &str, offset: usize) -> Option<u32> {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let prefix = &text[line_start..offset];
    prefix
        .bytes()
        .all(|b| b == b' ' || b == b'-')
        .then_some(prefix.len() as u32)
}
