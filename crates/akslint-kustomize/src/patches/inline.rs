//! A patch written inline in a kustomization (a `patch: |` block, or a `patchesStrategicMerge`
//! item), parsed with the place of every value in the kustomization file.

use std::sync::Arc;

use akslint_core::{Limits, SharedSource, SourceFile, SourceKind, Span};

use crate::node::{Node, Origin};

/// The YAML documents of `text`, the value of the scalar `scalar` of the kustomization
/// `file` (source index `source`): each value's origin is its place in the kustomization
/// (the whole scalar when the scalar's text cannot be followed, as in a folded block). A
/// syntax error is the error's message.
pub fn parse(
    file: &SharedSource,
    source: u32,
    scalar: &Node,
    text: &str,
) -> Result<Vec<Node>, String> {
    let inline = Arc::new(SourceFile::new(file.path(), SourceKind::Yaml, text));
    let parsed = akslint_yaml::parse(&inline, &Limits::default());
    if let Some(problem) = parsed.problems.first() {
        return Err(format!(
            "the inline patch is not valid YAML: {}",
            problem.message
        ));
    }
    let offsets = offsets(
        file.slice(scalar.origin.span),
        scalar.origin.span.start as usize,
        text,
    );
    Ok(parsed
        .documents
        .iter()
        .filter_map(|document| {
            let mut node = Node::from_tree(&document.tree, document.root?, source);
            relocate(&mut node, &|span| match &offsets {
                Some(offsets) => Origin::new(
                    source,
                    Span::new(offsets[span.start as usize], offsets[span.end as usize]),
                ),
                None => scalar.origin,
            });
            (!matches!(node.value, crate::Value::Null)).then_some(node)
        })
        .collect())
}

/// Moves every origin of `node` (spans in the inline text) to its place in the kustomization.
fn relocate(node: &mut Node, place: &dyn Fn(Span) -> Origin) {
    node.origin = place(node.origin.span);
    if let Some(entries) = node.entries_mut() {
        for entry in entries {
            entry.key_origin = place(entry.key_origin.span);
            relocate(&mut entry.value, place);
        }
    } else if let Some(items) = node.items_mut() {
        for item in items {
            relocate(item, place);
        }
    }
}

/// For each byte of `value` (and its end), its offset in the file, when the scalar's text
/// `raw` (at `start` in the file) writes it line for line: a literal block (`|`), or a plain
/// or quoted scalar written as is.
fn offsets(raw: &str, start: usize, value: &str) -> Option<Vec<usize>> {
    if raw.starts_with('|') {
        let header = raw.find('\n')? + 1;
        let body = &raw[header..];
        let indent = body
            .lines()
            .find(|line| !line.trim().is_empty())
            .map_or(0, |line| line.len() - line.trim_start_matches(' ').len());
        let mut offsets = Vec::with_capacity(value.len() + 1);
        let mut raw_lines = body.split_inclusive('\n');
        let mut line_start = start + header;
        for line in value.split_inclusive('\n') {
            let raw_line = raw_lines.next().unwrap_or("");
            let skip = indent.min(raw_line.len() - raw_line.trim_start_matches(' ').len());
            if raw_line
                .get(skip..)
                .is_none_or(|rest| !rest.starts_with(line.trim_end_matches('\n')))
            {
                return None;
            }
            offsets.extend((0..line.len()).map(|at| line_start + skip + at));
            line_start += raw_line.len();
        }
        offsets.push(offsets.last().map_or(start + header, |&last| last + 1));
        return Some(offsets);
    }
    let inner = if raw.starts_with('\'') || raw.starts_with('"') {
        (raw.get(1..raw.len().saturating_sub(1)), start + 1)
    } else {
        (Some(raw), start)
    };
    match inner {
        (Some(written), at) if written == value => Some((at..=at + value.len()).collect()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_block_lines_map_to_the_file() {
        let raw = "|\n    a: 1\n    b: x\n";
        let value = "a: 1\nb: x\n";
        let offsets = offsets(raw, 10, value).expect("followed");
        // `b` of the value's second line is at the file's `b`.
        assert_eq!(&raw[offsets[5] - 10..offsets[5] - 10 + 1], "b");
        assert_eq!(offsets.len(), value.len() + 1);
    }
}
