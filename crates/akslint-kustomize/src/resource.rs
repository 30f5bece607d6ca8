//! A Kubernetes object of a build and the names it had before the build renamed it.

use crate::node::Node;

/// An object of a build.
#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    /// The object.
    pub node: Node,
    /// The names it had, oldest first (before a prefix, suffix or hash was added), with the
    /// namespace it had then: references written with an old name are updated to the new one.
    pub previous_names: Vec<(Option<String>, String)>,
    /// Whether it came from a generator (a ConfigMap or Secret whose name gets a hash suffix).
    pub generated: Option<Generated>,
}

/// What a generator decided about the object it made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Generated {
    /// Whether its name gets the hash of its content.
    pub hash_suffix: bool,
    /// `behavior`: `create`, `merge` or `replace`.
    pub behavior: String,
}

impl Resource {
    /// An object read from a file.
    pub fn new(node: Node) -> Resource {
        Resource {
            node,
            previous_names: Vec::new(),
            generated: None,
        }
    }

    /// Its `apiVersion`.
    pub fn api_version(&self) -> &str {
        self.node.str_at(&["apiVersion"]).unwrap_or("")
    }

    /// Its API group (`apps` of `apps/v1`; empty for the core group).
    pub fn group(&self) -> &str {
        self.api_version()
            .rsplit_once('/')
            .map_or("", |(group, _)| group)
    }

    /// Its `kind`.
    pub fn kind(&self) -> &str {
        self.node.str_at(&["kind"]).unwrap_or("")
    }

    /// Its `metadata.name`.
    pub fn name(&self) -> &str {
        self.node.str_at(&["metadata", "name"]).unwrap_or("")
    }

    /// Its `metadata.namespace`, if set.
    pub fn namespace(&self) -> Option<&str> {
        self.node
            .str_at(&["metadata", "namespace"])
            .filter(|ns| !ns.is_empty())
    }

    /// The name it was first written with.
    pub fn original_name(&self) -> &str {
        self.previous_names
            .first()
            .map_or_else(|| self.name(), |(_, name)| name.as_str())
    }

    /// Whether `name` (in `namespace`) was or is one of its names.
    pub fn had_name(&self, namespace: Option<&str>, name: &str) -> bool {
        let same_ns = |ns: Option<&str>| namespace.is_none() || ns.is_none() || ns == namespace;
        (self.name() == name && same_ns(self.namespace()))
            || self
                .previous_names
                .iter()
                .any(|(ns, old)| old == name && same_ns(ns.as_deref()))
    }

    /// Records its current name before it is changed.
    pub fn remember_name(&mut self) {
        let current = (self.namespace().map(str::to_owned), self.name().to_owned());
        if self.previous_names.last() != Some(&current) {
            self.previous_names.push(current);
        }
    }

    /// Whether it is the object `kind`/`name` of group `group` (any group when `None`), as
    /// a patch or selector names it: by its current name or one it had.
    pub fn is(&self, group: Option<&str>, kind: &str, name: &str) -> bool {
        self.kind() == kind
            && group.is_none_or(|g| g == self.group())
            && (self.name() == name || self.original_name() == name)
    }
}
