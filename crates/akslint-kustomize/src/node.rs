//! The values of built objects, each with the place it was written: a base file's scalar, a
//! patch's, a generator's literal, the kustomization field that set it.

use akslint_core::{NodeId, NodeKind, ScalarType, Span, Tree};

/// Where a value was written: a file of the build ([`crate::Sources`]) and its bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Origin {
    /// The file, an index into the build's [`crate::Sources`].
    pub source: u32,
    /// The bytes in that file.
    pub span: Span,
}

impl Origin {
    /// The place `span` of source `source`.
    pub fn new(source: u32, span: Span) -> Origin {
        Origin { source, span }
    }
}

/// A value of a built object and the place it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where it was written; for a mapping or sequence that a patch or transformer changed, the
    /// place of the last change (the patch that removed a key is where the mapping now comes
    /// from).
    pub origin: Origin,
}

/// A YAML value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`, `~` or nothing.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float, as written (`1.50` stays `1.50`).
    Float(String),
    /// A string.
    Str(String),
    /// A mapping, its entries in order.
    Map(Vec<Entry>),
    /// A sequence.
    Seq(Vec<Node>),
}

/// An entry of a mapping.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The key.
    pub key: String,
    /// Where the key was written.
    pub key_origin: Origin,
    /// The value.
    pub value: Node,
}

impl Node {
    /// A node of `value` written at `origin`.
    pub fn new(value: Value, origin: Origin) -> Node {
        Node { value, origin }
    }

    /// A string written at `origin`.
    pub fn str(text: impl Into<String>, origin: Origin) -> Node {
        Node::new(Value::Str(text.into()), origin)
    }

    /// An empty mapping written at `origin`.
    pub fn map(origin: Origin) -> Node {
        Node::new(Value::Map(Vec::new()), origin)
    }

    /// The node read from a YAML tree (`source` is the tree's file among the build's sources):
    /// scalars typed by the YAML 1.2 core schema, as kyaml reads them; aliases resolved;
    /// unreadable nodes are null.
    pub fn from_tree(tree: &Tree, id: NodeId, source: u32) -> Node {
        let id = tree.resolve(id);
        let origin = Origin::new(source, tree.span(id));
        let value = match &tree.node(id).kind {
            NodeKind::Scalar(scalar) => match scalar.ty {
                ScalarType::Null => Value::Null,
                ScalarType::Bool => Value::Bool(scalar.text.eq_ignore_ascii_case("true")),
                ScalarType::Int => parse_int(&scalar.text)
                    .map_or_else(|| Value::Float(scalar.text.to_string()), Value::Int),
                ScalarType::Float => Value::Float(scalar.text.to_string()),
                ScalarType::String => Value::Str(scalar.text.to_string()),
            },
            NodeKind::Sequence(items) => Value::Seq(
                items
                    .iter()
                    .map(|&item| Node::from_tree(tree, item, source))
                    .collect(),
            ),
            NodeKind::Mapping(entries) => Value::Map(
                entries
                    .iter()
                    .filter_map(|entry| {
                        let key = tree.resolve(entry.key);
                        let text = tree.scalar(key)?.text.to_string();
                        Some(Entry {
                            key: text,
                            key_origin: Origin::new(source, tree.span(key)),
                            value: Node::from_tree(tree, entry.value, source),
                        })
                    })
                    .collect(),
            ),
            NodeKind::Alias(_) | NodeKind::Unknown => Value::Null,
        };
        Node { value, origin }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(text) => Some(text),
            _ => None,
        }
    }

    /// The scalar as text (a string, number or boolean as written), if this is a scalar.
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::Str(text) | Value::Float(text) => Some(text.clone()),
            Value::Int(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Null | Value::Map(_) | Value::Seq(_) => None,
        }
    }

    /// The entries, if this is a mapping.
    pub fn entries(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The entries, if this is a mapping, to change.
    pub fn entries_mut(&mut self) -> Option<&mut Vec<Entry>> {
        match &mut self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The items, if this is a sequence.
    pub fn items(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The items, if this is a sequence, to change.
    pub fn items_mut(&mut self) -> Option<&mut Vec<Node>> {
        match &mut self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// Whether this is a mapping.
    pub fn is_map(&self) -> bool {
        matches!(self.value, Value::Map(_))
    }

    /// The value of a mapping's entry.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries()?
            .iter()
            .find(|e| e.key == key)
            .map(|e| &e.value)
    }

    /// The value of a mapping's entry, to change.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        self.entries_mut()?
            .iter_mut()
            .find(|e| e.key == key)
            .map(|e| &mut e.value)
    }

    /// The entry of a mapping.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries()?.iter().find(|e| e.key == key)
    }

    /// The node at a path of keys.
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().try_fold(self, |node, key| node.get(key))
    }

    /// The node at a path of keys, to change.
    pub fn path_mut(&mut self, keys: &[&str]) -> Option<&mut Node> {
        keys.iter().try_fold(self, |node, key| node.get_mut(key))
    }

    /// The string at a path of keys.
    pub fn str_at(&self, keys: &[&str]) -> Option<&str> {
        self.path(keys)?.as_str()
    }

    /// Sets a mapping's entry (replacing the value, keeping the key's place, of an existing one;
    /// else appended with the key written at `key_origin`). A node that is not a mapping becomes
    /// an empty one first.
    pub fn set(&mut self, key: &str, value: Node, key_origin: Origin) {
        if !self.is_map() {
            *self = Node::map(key_origin);
        }
        let entries = self.entries_mut().expect("a mapping");
        match entries.iter_mut().find(|e| e.key == key) {
            Some(entry) => entry.value = value,
            None => entries.push(Entry {
                key: key.to_owned(),
                key_origin,
                value,
            }),
        }
    }

    /// The mapping at `key`, created (as written at `origin`) when missing or not a mapping.
    pub fn map_at(&mut self, key: &str, origin: Origin) -> &mut Node {
        if !self.get(key).is_some_and(Node::is_map) {
            self.set(key, Node::map(origin), origin);
        }
        self.get_mut(key).expect("set above")
    }

    /// Removes a mapping's entry, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<Node> {
        let entries = self.entries_mut()?;
        let at = entries.iter().position(|e| e.key == key)?;
        Some(entries.remove(at).value)
    }

    /// Every node of this one, depth first, to change (the node itself first).
    pub fn walk_mut(&mut self, visit: &mut dyn FnMut(&mut Node)) {
        visit(self);
        match &mut self.value {
            Value::Map(entries) => {
                for entry in entries {
                    entry.value.walk_mut(visit);
                }
            }
            Value::Seq(items) => {
                for item in items {
                    item.walk_mut(visit);
                }
            }
            _ => {}
        }
    }

    /// The value as JSON (a float that JSON cannot hold is a string), for comparisons.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as Json;
        match &self.value {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Int(n) => Json::from(*n),
            Value::Float(text) => text
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map_or_else(|| Json::String(text.clone()), Json::Number),
            Value::Str(text) => Json::String(text.clone()),
            Value::Map(entries) => Json::Object(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.value.to_json()))
                    .collect(),
            ),
            Value::Seq(items) => Json::Array(items.iter().map(Node::to_json).collect()),
        }
    }
}

/// An integer as YAML 1.2 writes it (decimal, `0o` octal, `0x` hexadecimal, signs).
fn parse_int(text: &str) -> Option<i64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let magnitude = if let Some(hex) = digits.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).ok()?
    } else if let Some(octal) = digits.strip_prefix("0o") {
        i64::from_str_radix(octal, 8).ok()?
    } else {
        digits.parse::<i64>().ok()?
    };
    Some(if negative { -magnitude } else { magnitude })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_in_every_base() {
        assert_eq!(parse_int("42"), Some(42));
        assert_eq!(parse_int("-0x1F"), Some(-31));
        assert_eq!(parse_int("0o17"), Some(15));
        assert_eq!(parse_int("1e3"), None);
    }
}
