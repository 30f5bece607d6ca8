//! The document tree: an arena of nodes, each knowing the byte span it came from.
//!
//! Front ends build one [`Tree`] per document. Aliases are nodes that point at their anchor's node,
//! never copies, so a tree's size is bounded by its source. Nodes are stored flat, so dropping or
//! iterating a tree never recurses, whatever its depth.

use compact_str::CompactString;

use crate::Span;

/// Index of a node inside its [`Tree`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(u32);

impl NodeId {
    /// The arena index.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// How a scalar was written in the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScalarStyle {
    /// Unquoted (YAML plain scalars; Bicep numbers, booleans and `null`).
    Plain,
    /// `'…'`.
    SingleQuoted,
    /// `"…"`.
    DoubleQuoted,
    /// A literal block (`|` in YAML, `'''` in Bicep).
    Literal,
    /// A folded block (`>` in YAML).
    Folded,
}

impl ScalarStyle {
    /// Whether the value was quoted or written as a block, so it is a string whatever it says.
    pub fn is_string(self) -> bool {
        !matches!(self, ScalarStyle::Plain)
    }
}

/// The type a scalar resolves to (YAML 1.2 core schema for plain scalars).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScalarType {
    /// `null`, `~` or nothing.
    Null,
    /// `true` or `false`.
    Bool,
    /// An integer.
    Int,
    /// A floating point number.
    Float,
    /// Any string.
    String,
}

/// A scalar value: its decoded text, how it was written and what type it resolves to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scalar {
    /// The decoded text (escapes processed, block scalars folded); up to 24 bytes are held inline,
    /// so the many short values of a manifest cost no allocation of their own.
    pub text: CompactString,
    /// How it was written.
    pub style: ScalarStyle,
    /// What it resolves to.
    pub ty: ScalarType,
}

impl Scalar {
    /// A scalar whose type follows from its style and text (YAML 1.2 core schema).
    pub fn new(
        text: impl Into<CompactString>,
        style: ScalarStyle,
        explicit_tag: Option<&str>,
    ) -> Scalar {
        let text = text.into();
        let ty = match explicit_tag {
            Some("str") => ScalarType::String,
            Some("int") => ScalarType::Int,
            Some("bool") => ScalarType::Bool,
            Some("float") => ScalarType::Float,
            Some("null") => ScalarType::Null,
            _ if style.is_string() => ScalarType::String,
            _ => resolve_plain(&text),
        };
        Scalar { text, style, ty }
    }

    /// The boolean value, if the scalar resolves to a boolean.
    pub fn as_bool(&self) -> Option<bool> {
        if self.ty != ScalarType::Bool {
            return None;
        }
        match self.text.as_str() {
            "true" | "True" | "TRUE" => Some(true),
            "false" | "False" | "FALSE" => Some(false),
            _ => None,
        }
    }
}

fn resolve_plain(text: &str) -> ScalarType {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return ScalarType::Null,
        "true" | "True" | "TRUE" | "false" | "False" | "FALSE" => return ScalarType::Bool,
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF"
        | ".nan" | ".NaN" | ".NAN" => return ScalarType::Float,
        _ => {}
    }
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    let is_int = (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        || text
            .strip_prefix("0x")
            .is_some_and(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit()))
        || text
            .strip_prefix("0o")
            .is_some_and(|o| !o.is_empty() && o.bytes().all(|b| (b'0'..=b'7').contains(&b)));
    if is_int {
        return ScalarType::Int;
    }
    if is_float(digits) {
        return ScalarType::Float;
    }
    ScalarType::String
}

fn is_float(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let mut parts = mantissa.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let fraction = parts.next();
    let digits_ok = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = digits_ok(whole)
        && fraction.is_none_or(digits_ok)
        && (!whole.is_empty() || fraction.is_some_and(|f| !f.is_empty()))
        && (fraction.is_some() || exponent.is_some());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits_ok(e)
    });
    mantissa_ok && exponent_ok
}

/// A key and value of a mapping.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The key node.
    pub key: NodeId,
    /// The value node.
    pub value: NodeId,
}

/// What a node is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NodeKind {
    /// A scalar.
    Scalar(Scalar),
    /// A mapping, entries in source order (duplicates kept).
    Mapping(Vec<Entry>),
    /// A sequence.
    Sequence(Vec<NodeId>),
    /// An alias of the anchored node it names (always a non-alias node built before it).
    Alias(NodeId),
    /// A value that cannot be known statically (a Bicep expression that needs deployment data).
    Unknown,
}

/// A node and the bytes it was written in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// What the node is.
    pub kind: NodeKind,
    /// The bytes of the node: a scalar's text with its quotes or block indicator, a collection
    /// from its first to its last byte, an alias's `*name`.
    pub span: Span,
}

/// How many merge-key (`<<`) sources a single lookup may visit before giving up.
const MERGE_VISIT_BUDGET: usize = 256;

/// An arena of nodes for one document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tree {
    nodes: Vec<Node>,
}

impl Tree {
    /// An empty tree.
    pub fn new() -> Tree {
        Tree::default()
    }

    /// Adds a node and returns its id.
    pub fn push(&mut self, kind: NodeKind, span: Span) -> NodeId {
        let id = NodeId(
            u32::try_from(self.nodes.len()).expect("tree size is bounded by the file size limit"),
        );
        self.nodes.push(Node { kind, span });
        id
    }

    /// The node behind an id.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }

    /// Mutable access to a node (for builders that fill collections after creating them).
    pub fn node_mut(&mut self, id: NodeId) -> &mut Node {
        &mut self.nodes[id.index()]
    }

    /// Gives back the room reserved beyond the nodes (a tree kept for long, such as an evaluated
    /// resource's body).
    pub fn shrink_to_fit(&mut self) {
        self.nodes.shrink_to_fit();
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the tree has no nodes.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Every node with its id, in creation order (each node once; aliases are not followed).
    pub fn iter(&self) -> impl Iterator<Item = (NodeId, &Node)> {
        self.nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (NodeId(i as u32), n))
    }

    /// The span of a node.
    pub fn span(&self, id: NodeId) -> Span {
        self.node(id).span
    }

    /// Follows an alias to its anchored node; any other node is returned as it is.
    pub fn resolve(&self, id: NodeId) -> NodeId {
        match self.node(id).kind {
            NodeKind::Alias(target) => target,
            _ => id,
        }
    }

    /// The scalar at `id` (through an alias), if it is one.
    pub fn scalar(&self, id: NodeId) -> Option<&Scalar> {
        match &self.node(self.resolve(id)).kind {
            NodeKind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The text of the scalar at `id`, if it is a scalar that is not null.
    pub fn str(&self, id: NodeId) -> Option<&str> {
        self.scalar(id)
            .filter(|s| s.ty != ScalarType::Null)
            .map(|s| s.text.as_str())
    }

    /// The boolean at `id`, if it is one.
    pub fn bool(&self, id: NodeId) -> Option<bool> {
        self.scalar(id).and_then(Scalar::as_bool)
    }

    /// Whether the node is a null scalar (written as nothing, `~` or `null`).
    pub fn is_null(&self, id: NodeId) -> bool {
        self.scalar(id).is_some_and(|s| s.ty == ScalarType::Null)
    }

    /// Whether the value cannot be known statically.
    pub fn is_unknown(&self, id: NodeId) -> bool {
        matches!(self.node(self.resolve(id)).kind, NodeKind::Unknown)
    }

    /// The entries of the mapping at `id` as written (merge keys included as entries).
    pub fn entries(&self, id: NodeId) -> &[Entry] {
        match &self.node(self.resolve(id)).kind {
            NodeKind::Mapping(entries) => entries,
            _ => &[],
        }
    }

    /// The items of the sequence at `id`.
    pub fn items(&self, id: NodeId) -> &[NodeId] {
        match &self.node(self.resolve(id)).kind {
            NodeKind::Sequence(items) => items,
            _ => &[],
        }
    }

    /// Whether the node (through an alias) is a mapping.
    pub fn is_mapping(&self, id: NodeId) -> bool {
        matches!(self.node(self.resolve(id)).kind, NodeKind::Mapping(_))
    }

    /// Whether the node (through an alias) is a sequence.
    pub fn is_sequence(&self, id: NodeId) -> bool {
        matches!(self.node(self.resolve(id)).kind, NodeKind::Sequence(_))
    }

    /// The entry for `key` in the mapping at `id`: the first written entry with that key, else one
    /// inherited through YAML merge keys (`<<: *anchor`).
    pub fn entry(&self, id: NodeId, key: &str) -> Option<Entry> {
        let mut budget = MERGE_VISIT_BUDGET;
        self.entry_within(id, key, &mut budget)
    }

    fn entry_within(&self, id: NodeId, key: &str, budget: &mut usize) -> Option<Entry> {
        let entries = self.entries(id);
        if let Some(found) = entries.iter().find(|e| self.key_is(e.key, key)) {
            return Some(*found);
        }
        for merge in entries.iter().filter(|e| self.is_merge_key(e.key)) {
            let sources: &[NodeId] = if self.is_sequence(merge.value) {
                self.items(merge.value)
            } else {
                std::slice::from_ref(&merge.value)
            };
            for &source in sources {
                if *budget == 0 {
                    return None;
                }
                *budget -= 1;
                if let Some(found) = self.entry_within(source, key, budget) {
                    return Some(found);
                }
            }
        }
        None
    }

    /// The value for `key` in the mapping at `id`.
    pub fn get(&self, id: NodeId, key: &str) -> Option<NodeId> {
        self.entry(id, key).map(|e| e.value)
    }

    /// Follows a path of keys from `id`.
    pub fn path(&self, id: NodeId, keys: &[&str]) -> Option<NodeId> {
        keys.iter().try_fold(id, |node, key| self.get(node, key))
    }

    /// Whether a key node is the plain scalar `key`.
    pub fn key_is(&self, key_node: NodeId, key: &str) -> bool {
        self.scalar(key_node).is_some_and(|s| s.text == key)
    }

    fn is_merge_key(&self, key_node: NodeId) -> bool {
        self.scalar(key_node)
            .is_some_and(|s| s.text == "<<" && s.style == ScalarStyle::Plain)
    }

    /// The key path from `from` down to the innermost node that contains `span`: mapping keys
    /// joined by `.` (quoted in brackets when they hold other characters), sequence items as
    /// `[name=x]` when the item has a string `name`, else as `[index]`. Aliases are not entered.
    pub fn path_to(&self, from: NodeId, span: Span) -> String {
        let mut path = String::new();
        let mut node = from;
        loop {
            match &self.node(node).kind {
                NodeKind::Mapping(entries) => {
                    let Some(entry) = entries.iter().find(|e| {
                        self.span(e.key).contains(span) || self.span(e.value).contains(span)
                    }) else {
                        return path;
                    };
                    let key = self.scalar(entry.key).map_or("?", |s| s.text.as_str());
                    if key
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
                        && !key.is_empty()
                    {
                        if !path.is_empty() {
                            path.push('.');
                        }
                        path.push_str(key);
                    } else {
                        path.push_str(&format!("[{key:?}]"));
                    }
                    if self.span(entry.key).contains(span) {
                        return path;
                    }
                    node = entry.value;
                }
                NodeKind::Sequence(items) => {
                    let Some((index, &item)) = items
                        .iter()
                        .enumerate()
                        .find(|(_, i)| self.span(**i).contains(span))
                    else {
                        return path;
                    };
                    match self.get(item, "name").and_then(|n| self.str(n)) {
                        Some(name) if self.is_mapping(item) => {
                            path.push_str(&format!("[name={name}]"))
                        }
                        _ => path.push_str(&format!("[{index}]")),
                    }
                    node = item;
                }
                _ => return path,
            }
        }
    }

    /// The key path from `from` to the node `target` (found by identity, so nodes that share a
    /// span are told apart), written like [`Tree::path_to`]. Aliases are not entered.
    pub fn path_to_node(&self, from: NodeId, target: NodeId) -> String {
        let mut parents: Vec<Option<(NodeId, String)>> = vec![None; self.nodes.len()];
        let mut pending = vec![from];
        while let Some(node) = pending.pop() {
            if node == target {
                break;
            }
            match &self.node(node).kind {
                NodeKind::Mapping(entries) => {
                    for entry in entries {
                        let key = self.scalar(entry.key).map_or("?", |s| s.text.as_str());
                        let plain = !key.is_empty()
                            && key
                                .bytes()
                                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
                        let segment = if plain {
                            format!(".{key}")
                        } else {
                            format!("[{key:?}]")
                        };
                        parents[entry.value.index()] = Some((node, segment));
                        pending.push(entry.value);
                    }
                }
                NodeKind::Sequence(items) => {
                    for (index, &item) in items.iter().enumerate() {
                        let segment = match self.get(item, "name").and_then(|n| self.str(n)) {
                            Some(name) if self.is_mapping(item) => format!("[name={name}]"),
                            _ => format!("[{index}]"),
                        };
                        parents[item.index()] = Some((node, segment));
                        pending.push(item);
                    }
                }
                _ => {}
            }
        }
        let mut segments = Vec::new();
        let mut node = target;
        while node != from {
            let Some((parent, segment)) = parents[node.index()].clone() else {
                break;
            };
            segments.push(segment);
            node = parent;
        }
        segments.reverse();
        segments.concat().trim_start_matches('.').to_owned()
    }

    /// The entries of a mapping with string keys, merged sources included (own entries win).
    /// A key the mapping itself sets twice (a duplicate key, `PARSE006`) appears once per entry,
    /// so that no value goes unjudged: which one a tool takes differs, and Kubernetes refuses
    /// the document anyway.
    pub fn string_entries(&self, id: NodeId) -> Vec<(&str, Entry)> {
        let mut out: Vec<(&str, Entry)> = Vec::new();
        // The keys taken: looked up by hash, so a mapping of 700,000 keys costs linear time.
        let mut taken: std::collections::HashSet<&str> = std::collections::HashSet::new();
        let mut pending = vec![id];
        let mut budget = MERGE_VISIT_BUDGET;
        while let Some(map) = pending.pop() {
            let own = map == id;
            let mut merges = Vec::new();
            for entry in self.entries(map) {
                if self.is_merge_key(entry.key) {
                    merges.push(entry.value);
                } else if let Some(key) = self.str(entry.key)
                    && (taken.insert(key) || own)
                {
                    out.push((key, *entry));
                }
            }
            for merge in merges.into_iter().rev() {
                let sources: Vec<NodeId> = if self.is_sequence(merge) {
                    self.items(merge).iter().rev().copied().collect()
                } else {
                    vec![merge]
                };
                for source in sources {
                    if budget == 0 {
                        return out;
                    }
                    budget -= 1;
                    pending.push(source);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> ScalarType {
        Scalar::new(text, ScalarStyle::Plain, None).ty
    }

    #[test]
    fn core_schema_resolution() {
        assert_eq!(plain("true"), ScalarType::Bool);
        assert_eq!(plain("yes"), ScalarType::String);
        assert_eq!(plain("~"), ScalarType::Null);
        assert_eq!(plain("-12"), ScalarType::Int);
        assert_eq!(plain("0x1F"), ScalarType::Int);
        assert_eq!(plain("1.5e3"), ScalarType::Float);
        assert_eq!(plain(".5"), ScalarType::Float);
        assert_eq!(plain("1.2.3"), ScalarType::String);
        assert_eq!(plain("e5"), ScalarType::String);
        assert_eq!(plain("1e"), ScalarType::String);
        assert_eq!(
            Scalar::new("true", ScalarStyle::DoubleQuoted, None).ty,
            ScalarType::String
        );
    }

    #[test]
    fn merge_keys_are_followed_and_own_entries_win() {
        let mut tree = Tree::new();
        let s = |tree: &mut Tree, t: &str| {
            tree.push(
                NodeKind::Scalar(Scalar::new(t, ScalarStyle::Plain, None)),
                Span::default(),
            )
        };
        let (ka, va, kb, vb) = (
            s(&mut tree, "a"),
            s(&mut tree, "1"),
            s(&mut tree, "b"),
            s(&mut tree, "2"),
        );
        let base = tree.push(
            NodeKind::Mapping(vec![
                Entry { key: ka, value: va },
                Entry { key: kb, value: vb },
            ]),
            Span::default(),
        );
        let alias = tree.push(NodeKind::Alias(base), Span::default());
        let (merge, kb2, vb2) = (s(&mut tree, "<<"), s(&mut tree, "b"), s(&mut tree, "3"));
        let map = tree.push(
            NodeKind::Mapping(vec![
                Entry {
                    key: merge,
                    value: alias,
                },
                Entry {
                    key: kb2,
                    value: vb2,
                },
            ]),
            Span::default(),
        );
        assert_eq!(tree.get(map, "a").and_then(|v| tree.str(v)), Some("1"));
        assert_eq!(tree.get(map, "b").and_then(|v| tree.str(v)), Some("3"));
        let keys: Vec<_> = tree
            .string_entries(map)
            .into_iter()
            .map(|(k, e)| (k, tree.str(e.value)))
            .collect();
        assert_eq!(keys, vec![("b", Some("3")), ("a", Some("1"))]);
    }
}
