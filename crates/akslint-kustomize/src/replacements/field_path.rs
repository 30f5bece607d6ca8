//! Kustomize's field paths, as `replacements` and `vars` write them:
//! `spec.template.spec.containers.[name=app].image`, `spec.ports.0.port`, `items.*.name`,
//! `metadata.annotations.[example.com/team]` (a key holding dots), `a\.b` (an escaped dot).

use regex::Regex;

use crate::node::{Node, Origin, Value};

/// One step of a field path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// A mapping's key.
    Key(String),
    /// A sequence's item by position.
    Index(usize),
    /// Every item of a sequence (`*`).
    Every,
    /// The last item of a sequence (`-`, when looking a value up).
    Last,
    /// The items of a sequence whose `field` matches `value` (`[name=app]`; `[=value]` matches
    /// scalar items).
    Match {
        /// The field of a mapping item (empty for scalar items).
        field: String,
        /// The value to match.
        value: String,
    },
}

/// The parts of a path split at its dots, as Kustomize splits them: a leading `/` dropped, `\.`
/// kept as a dot, a bracketed part holding dots kept whole (without its brackets when it has no
/// `=`: a key written with dots).
pub fn split(path: &str) -> Vec<String> {
    let mut pieces: Vec<&str> = path.split('.').collect();
    if pieces.len() > 1 && pieces[0].is_empty() {
        pieces.remove(0);
    }
    let mut joined: Vec<String> = Vec::new();
    for piece in pieces {
        match joined.last_mut() {
            Some(last) if last.ends_with('\\') => {
                last.pop();
                last.push('.');
                last.push_str(piece);
            }
            _ => joined.push(piece.to_owned()),
        }
    }
    let mut parts = Vec::new();
    let mut at = 0;
    while at < joined.len() {
        let part = &joined[at];
        if part.starts_with('[') && !part.ends_with(']') {
            let mut bracketed = vec![part.clone()];
            while at + 1 < joined.len() {
                at += 1;
                bracketed.push(joined[at].clone());
                if joined[at].ends_with(']') {
                    break;
                }
            }
            let whole = bracketed.join(".");
            if whole.contains('=') {
                parts.push(whole);
            } else {
                parts.push(whole.trim_matches(['[', ']']).to_owned());
            }
        } else {
            parts.push(part.clone());
        }
        at += 1;
    }
    parts
}

/// The steps of a path (blank parts left out); a bracketed part without `=` is an error.
pub fn steps(path: &str) -> Result<Vec<Step>, String> {
    split(path)
        .into_iter()
        .map(|part| part.trim().to_owned())
        .filter(|part| !part.is_empty())
        .map(|part| {
            if part == "*" {
                return Ok(Step::Every);
            }
            if part == "-" {
                return Ok(Step::Last);
            }
            if let Ok(index) = part.parse::<usize>() {
                return Ok(Step::Index(index));
            }
            if part.starts_with('[') && part.ends_with(']') {
                let inner = &part[1..part.len() - 1];
                let Some((field, value)) = inner.split_once('=') else {
                    return Err(format!(
                        "list path element `{part}` must contain fieldName=fieldValue for element to match"
                    ));
                };
                return Ok(Step::Match {
                    field: field.to_owned(),
                    value: value.to_owned(),
                });
            }
            Ok(Step::Key(part))
        })
        .collect()
}

/// The value at `steps` below `node`, as Kustomize looks a source value up (`[field=value]`
/// matches exactly, the first match wins; `*` is not allowed).
pub fn lookup<'a>(node: &'a Node, steps: &[Step]) -> Result<Option<&'a Node>, String> {
    let mut at = node;
    for step in steps {
        let next = match step {
            Step::Key(key) => at.get(key),
            Step::Index(index) => at.items().and_then(|items| items.get(*index)),
            Step::Last => at.items().and_then(<[Node]>::last),
            Step::Every => return Err("wildcard is not supported in a source field path".into()),
            Step::Match { field, value } => at.items().and_then(|items| {
                items
                    .iter()
                    .find(|item| item_text(item, field).as_deref() == Some(value.as_str()))
            }),
        };
        match next {
            Some(node) => at = node,
            None => return Ok(None),
        }
    }
    Ok(Some(at))
}

/// The text a `[field=value]` step compares: the item's field (or the item, for an empty
/// field) as scalar text.
fn item_text(item: &Node, field: &str) -> Option<String> {
    if field.is_empty() {
        item.scalar_text()
    } else {
        item.get(field)?.scalar_text()
    }
}

/// What a replacement target creates where a path is missing (`options.create`): the kind of
/// the value it copies, and the place (the target's field path) the created fields are written
/// at.
#[derive(Clone, Copy, Debug)]
pub struct Create {
    /// The kind of the missing last field.
    pub kind: NodeKind,
    /// The place the created keys and collections are written at.
    pub origin: Origin,
}

/// The kind of a node, for fields created along a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    /// A scalar (an empty one, typed by the value set in it).
    Scalar,
    /// A mapping.
    Map,
    /// A sequence.
    Seq,
}

impl NodeKind {
    /// The kind of `node`.
    pub fn of(node: &Node) -> NodeKind {
        match node.value {
            Value::Map(_) => NodeKind::Map,
            Value::Seq(_) => NodeKind::Seq,
            _ => NodeKind::Scalar,
        }
    }

    /// An empty node of this kind.
    fn empty(self, origin: Origin) -> Node {
        let value = match self {
            NodeKind::Scalar => Value::Null,
            NodeKind::Map => Value::Map(Vec::new()),
            NodeKind::Seq => Value::Seq(Vec::new()),
        };
        Node::new(value, origin)
    }
}

/// The kind of the field before `next` (a sequence before an index or `[field=value]`, a
/// mapping before a key, the created value's kind at the end).
fn kind_before(next: Option<&Step>, last: NodeKind) -> NodeKind {
    match next {
        None => last,
        Some(Step::Index(_) | Step::Match { .. }) => NodeKind::Seq,
        Some(_) => NodeKind::Map,
    }
}

/// Calls `set` on every node at `steps` below `node`, as Kustomize finds replacement targets
/// (`[field=value]` is a regular expression; `*` is every item), creating missing fields when
/// `create` says so; the number of nodes found.
pub fn visit(
    node: &mut Node,
    steps: &[Step],
    create: Option<Create>,
    set: &mut dyn FnMut(&mut Node) -> Result<(), String>,
) -> Result<usize, String> {
    let Some((step, rest)) = steps.split_first() else {
        set(node)?;
        return Ok(1);
    };
    match step {
        Step::Key(_) | Step::Last => {
            let key = match step {
                Step::Key(key) => key.as_str(),
                _ => "-",
            };
            if matches!(node.value, Value::Null)
                && let Some(create) = create
            {
                *node = Node::map(create.origin);
            }
            if !node.is_map() {
                return Ok(0);
            }
            if node.get(key).is_none() {
                let Some(create) = create else {
                    return Ok(0);
                };
                let kind = kind_before(rest.first(), create.kind);
                node.set(key, kind.empty(create.origin), create.origin);
            }
            let field = node.get_mut(key).expect("present or created");
            visit(field, rest, create, set)
        }
        Step::Index(index) => {
            let Some(items) = node.items_mut() else {
                return Err(format!(
                    "index {index} specified on a field that is not a list"
                ));
            };
            if items.len() == *index
                && let Some(create) = create
            {
                let kind = kind_before(rest.first(), create.kind);
                items.push(kind.empty(create.origin));
            }
            let count = items.len();
            match items.get_mut(*index) {
                Some(item) => visit(item, rest, create, set),
                None => Err(format!(
                    "index {index} specified but only {count} elements found"
                )),
            }
        }
        Step::Every => {
            let Some(items) = node.items_mut() else {
                return Err("wildcard specified on a field that is not a list".into());
            };
            let mut found = 0;
            for item in items {
                found += visit(item, rest, create, set)?;
            }
            Ok(found)
        }
        Step::Match { field, value } => visit_matching(node, field, value, rest, create, set),
    }
}

/// [`visit`] for a `[field=value]` step: the items whose field matches the regular expression
/// `value`, an item `{field: value}` appended when none does and `create` says so.
fn visit_matching(
    node: &mut Node,
    field: &str,
    value: &str,
    rest: &[Step],
    create: Option<Create>,
    set: &mut dyn FnMut(&mut Node) -> Result<(), String>,
) -> Result<usize, String> {
    let pattern = Regex::new(value).map_err(|e| format!("bad pattern `{value}`: {e}"))?;
    let Some(items) = node.items_mut() else {
        return Err(format!(
            "[{field}={value}] specified on a field that is not a list"
        ));
    };
    let mut found = 0;
    for item in items.iter_mut() {
        let matches = item_text(item, field).is_some_and(|text| pattern.is_match(text.trim()));
        if matches {
            found += visit(item, rest, create, set)?;
        }
    }
    if found > 0 {
        return Ok(found);
    }
    let Some(create) = create else {
        return Ok(0);
    };
    let mut item = Node::str(value, create.origin);
    if !field.is_empty() {
        let mut map = Node::map(create.origin);
        map.set(field, item, create.origin);
        item = map;
    }
    items.push(item);
    let last = items.last_mut().expect("pushed");
    if pattern.is_match(value) {
        visit(last, rest, Some(create), set)
    } else {
        Ok(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_as_kustomize_splits_them() {
        assert_eq!(
            split("spec.template.spec.containers.[name=app].image"),
            [
                "spec",
                "template",
                "spec",
                "containers",
                "[name=app]",
                "image"
            ]
        );
        assert_eq!(
            split("metadata.annotations.[example.com/team]"),
            ["metadata", "annotations", "example.com/team"]
        );
        assert_eq!(split("a\\.b.c"), ["a.b", "c"]);
        assert_eq!(split("[x.y=1.2].z"), ["[x.y=1.2]", "z"]);
    }

    #[test]
    fn steps_of_every_kind() {
        assert_eq!(
            steps("spec.ports.0.*.[=a].-").unwrap(),
            vec![
                Step::Key("spec".into()),
                Step::Key("ports".into()),
                Step::Index(0),
                Step::Every,
                Step::Match {
                    field: String::new(),
                    value: "a".into()
                },
                Step::Last,
            ]
        );
        assert!(steps("a.[b]").is_err());
    }
}
