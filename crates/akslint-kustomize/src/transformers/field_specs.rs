//! Field specs: the fields a transformer writes (a path in objects of a kind), walked as
//! Kustomize walks them: through every item of a sequence on the way, creating missing
//! mappings on the way when the spec says so.

use crate::node::{Node, Origin, Value};
use crate::resource::Resource;

/// A field a transformer writes: a `/`-separated path (`name[]` marks a sequence), in
/// objects of a kind, group and version (any when empty).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldSpec<'a> {
    /// The objects' group (any when empty).
    pub group: &'a str,
    /// The objects' version (any when empty).
    pub version: &'a str,
    /// The objects' kind (any when empty).
    pub kind: &'a str,
    /// The path.
    pub path: &'a str,
    /// Whether missing fields of the path are created.
    pub create: bool,
}

impl<'a> FieldSpec<'a> {
    /// The field `path` of objects of `kind` (any kind when empty), created when missing if
    /// `create`.
    pub const fn new(kind: &'a str, path: &'a str, create: bool) -> FieldSpec<'a> {
        FieldSpec {
            group: "",
            version: "",
            kind,
            path,
            create,
        }
    }

    /// The same field, in objects of one group only.
    pub const fn in_group(self, group: &'a str) -> FieldSpec<'a> {
        FieldSpec { group, ..self }
    }

    /// The same field, in objects of one version only.
    pub const fn in_version(self, version: &'a str) -> FieldSpec<'a> {
        FieldSpec { version, ..self }
    }

    /// Whether it applies to `resource`.
    pub fn selects(&self, resource: &Resource) -> bool {
        (self.kind.is_empty() || self.kind == resource.kind())
            && (self.group.is_empty() || self.group == resource.group())
            && (self.version.is_empty() || self.version == resource.version())
    }
}

/// What a missing last field of a path is created as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Create {
    /// Nothing: only fields that exist are written (whatever the spec says).
    Never,
    /// A string (a namespace, an image).
    Scalar,
    /// A mapping (labels, annotations).
    Map,
}

/// Writes the fields `spec` names in `resource` (when the spec applies to it) with `set`;
/// fields created on the way are written at `origin`. A scalar met in the middle of the
/// path is an error, as in Kustomize.
pub fn apply(
    resource: &mut Resource,
    spec: &FieldSpec,
    create: Create,
    origin: Origin,
    set: &mut dyn FnMut(&mut Node) -> Result<(), String>,
) -> Result<(), String> {
    if !spec.selects(resource) {
        return Ok(());
    }
    let path = split_path(spec.path);
    let create = (spec.create && create != Create::Never).then_some(create);
    walk(&mut resource.node, &path, create, origin, set)
        .map_err(|message| format!("considering field '{}': {message}", spec.path))
}

/// A path's fields (a `\/` is a `/` inside a field's name).
pub fn split_path(path: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'/') => {
                chars.next();
                fields.last_mut().expect("one field").push('/');
            }
            '/' => fields.push(String::new()),
            c => fields.last_mut().expect("one field").push(c),
        }
    }
    fields
}

/// Follows `path` from `node`, calling `set` on what it reaches.
fn walk(
    node: &mut Node,
    path: &[String],
    create: Option<Create>,
    origin: Origin,
    set: &mut dyn FnMut(&mut Node) -> Result<(), String>,
) -> Result<(), String> {
    let Some((first, rest)) = path.split_first() else {
        return set(node);
    };
    match &mut node.value {
        Value::Null => Ok(()),
        Value::Seq(items) => items
            .iter_mut()
            .try_for_each(|item| walk(item, path, create, origin, set)),
        Value::Map(_) => {
            let (name, is_seq) = match first.strip_suffix("[]") {
                Some(name) => (name, true),
                None => (first.as_str(), false),
            };
            let created = create
                .filter(|_| !is_seq)
                .map(|kind| match (kind, rest.is_empty()) {
                    (Create::Scalar | Create::Never, true) => Value::Str(String::new()),
                    _ => Value::Map(Vec::new()),
                });
            if node.get(name).is_none() {
                let Some(value) = created.clone() else {
                    return Ok(());
                };
                node.set(name, Node::new(value, origin), origin);
            }
            let field = node.get_mut(name).expect("present or created");
            if field.value == Value::Null {
                if is_seq {
                    field.value = Value::Seq(Vec::new());
                } else if let Some(value) = created {
                    *field = Node::new(value, origin);
                }
            }
            walk(field, rest, create, origin, set)
        }
        _ => Err("expected sequence or mapping node".to_owned()),
    }
}

/// A setter that writes the entry `key: value` into the mapping it reaches (a label or an
/// annotation), the value written at `value.origin` and a new key at `key_origin`.
pub fn set_entry<'a>(
    key: &'a str,
    value: &'a Node,
    key_origin: Origin,
) -> impl FnMut(&mut Node) -> Result<(), String> + 'a {
    move |node: &mut Node| {
        if node.value == Value::Null {
            *node = Node::map(key_origin);
        }
        if !node.is_map() {
            return Err("wrong node kind: expected MappingNode".to_owned());
        }
        node.set(key, value.clone(), key_origin);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_slashes_stay_in_a_field() {
        assert_eq!(
            split_path("metadata/annotations/a.io\\/b"),
            ["metadata", "annotations", "a.io/b"]
        );
    }
}
