//! Writing fix plans in YAML: values replaced where a scalar (or a collection) is written,
//! entries inserted into block or flow mappings at a key path (with the mappings of the path that
//! are missing), sequence items removed with their lines. Anything else is declined.

use akslint_core::{Change, Document, Edit, FixPlan, Literal, NodeId, NodeKind, Span, Tree};

/// The edits of a plan in the file `text` parsed into `documents`, sorted; `None` when one of its
/// changes cannot be written unambiguously.
pub fn render(text: &str, documents: &[Document], plan: &FixPlan) -> Option<Vec<Edit>> {
    let mut edits = Vec::new();
    for change in &plan.changes {
        edits.push(match change {
            Change::Replace {
                at,
                expected,
                value,
            } => {
                let (tree, node) = node_at(documents, *at)?;
                let written = tree.scalar(node);
                let matches = match expected {
                    None => written.is_some() || !value_is_scalar(value),
                    Some(Literal::Bool(b)) => written.and_then(|s| s.as_bool()) == Some(*b),
                    Some(Literal::String(s)) => written.is_some_and(|w| w.text == *s),
                    Some(_) => false,
                };
                if !matches {
                    return None;
                }
                Edit {
                    span: *at,
                    replacement: flow(value),
                }
            }
            Change::Insert {
                object,
                path,
                value,
            } => {
                let (tree, node) = node_at(documents, *object)?;
                let (key, parents) = path.split_last()?;
                let parents: Vec<&str> = parents.iter().map(String::as_str).collect();
                EntryInsertion::plan(tree, text, node, &parents)?.edit(&key_text(key), &flow(value))
            }
            Change::RemoveItem { item } => remove_sequence_item(text, *item)?,
            Change::EditString { span, text: new } => {
                let inside_a_string = documents.iter().any(|d| {
                    d.tree.iter().any(|(_, n)| match &n.kind {
                        NodeKind::Scalar(s) => {
                            s.style.is_string()
                                && n.span.contains(*span)
                                && text
                                    .get(n.span.range())
                                    .is_some_and(|raw| raw.contains(s.text.as_str()))
                        }
                        _ => false,
                    })
                });
                if !inside_a_string {
                    return None;
                }
                Edit {
                    span: *span,
                    replacement: new.clone(),
                }
            }
            Change::MarkSecure { .. } => return None,
        });
    }
    edits.sort_by_key(|edit| (edit.span.start, edit.span.end));
    let overlapping = edits
        .windows(2)
        .any(|pair| pair[0].span.end > pair[1].span.start);
    (!overlapping).then_some(edits)
}

/// The node written exactly at `span` (an alias is not followed).
fn node_at(documents: &[Document], span: Span) -> Option<(&Tree, NodeId)> {
    let document = documents.iter().find(|d| d.span.contains(span))?;
    document
        .tree
        .iter()
        .filter(|(_, n)| n.span == span && !matches!(n.kind, NodeKind::Alias(_)))
        .last()
        .map(|(id, _)| (&document.tree, id))
}

fn value_is_scalar(value: &Literal) -> bool {
    matches!(value, Literal::Bool(_) | Literal::String(_))
}

/// A value in YAML flow syntax: strings double-quoted, collections in brackets and braces.
fn flow(value: &Literal) -> String {
    match value {
        Literal::Bool(b) => b.to_string(),
        Literal::String(s) => akslint_core::double_quoted(s),
        Literal::Array(items) => {
            let items: Vec<String> = items.iter().map(flow).collect();
            format!("[{}]", items.join(", "))
        }
        Literal::Object(entries) => {
            let entries: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{}: {}", key_text(k), flow(v)))
                .collect();
            format!("{{{}}}", entries.join(", "))
        }
    }
}

/// A key as a plain scalar when it is safe as one (letters, digits, `.`, `/`, `-`, `_`, not
/// starting with an indicator), else double-quoted.
fn key_text(key: &str) -> String {
    let plain = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '/' | '-' | '_'));
    if plain {
        key.to_owned()
    } else {
        akslint_core::double_quoted(key)
    }
}

/// Deletes the lines of a block sequence item, when the item has its lines to itself.
fn remove_sequence_item(text: &str, item: Span) -> Option<Edit> {
    let line_start = text[..item.start as usize].rfind('\n').map_or(0, |i| i + 1);
    let lead = &text[line_start..item.start as usize];
    if lead.trim() != "-" {
        return None;
    }
    let end = item.end as usize;
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
    let tail = text[end..line_end].trim();
    if !(tail.is_empty() || tail.starts_with('#')) {
        return None;
    }
    Some(Edit {
        span: Span::new(line_start, line_end),
        replacement: String::new(),
    })
}

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
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct EntryInsertion {
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
    pub(crate) fn plan(
        tree: &Tree,
        text: &str,
        from: NodeId,
        path: &[&str],
    ) -> Option<EntryInsertion> {
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
    pub(crate) fn edit(&self, key: &str, value: &str) -> Edit {
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
    matches!(tree.node(node).kind, NodeKind::Mapping(_))
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
