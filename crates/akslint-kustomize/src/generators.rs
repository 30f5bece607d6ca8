//! `configMapGenerator`, `secretGenerator` and `generatorOptions`: ConfigMaps and Secrets made
//! from literals, env files and files, each data value written where its literal, env line or
//! file was; `behavior: merge|replace` against an object of a base.

mod hash;
mod sources;

pub use hash::name_hash;
pub use sources::Pair;

use crate::build::Build;
use crate::kustomization::Kustomization;
use crate::node::{Entry, Node, Origin, Value};
use crate::resource::{Generated, Resource};

/// Runs the kustomization's ConfigMap generators, then its Secret generators, adding each
/// object to the accumulated ones (or merging it into, or replacing, the one it names).
pub fn config_maps_and_secrets(
    kustomization: &Kustomization,
    resources: &mut Vec<Resource>,
    build: &mut Build,
) {
    let global = kustomization.field("generatorOptions");
    for (field, kind) in [
        ("configMapGenerator", "ConfigMap"),
        ("secretGenerator", "Secret"),
    ] {
        for entry in kustomization.list(field) {
            if let Some(generated) = generate(kustomization, entry, kind, global, build) {
                absorb(resources, generated, build);
            }
        }
    }
}

/// A generated object and how it joins the accumulated ones.
struct GeneratedObject {
    resource: Resource,
    /// `create`, `merge` or `replace` (as written; empty is `create`).
    behavior: String,
    /// Where the behavior (else the generator entry) was written.
    behavior_origin: Origin,
}

/// A generator's options (its own `options` over the kustomization's `generatorOptions`).
struct Options<'a> {
    labels: Vec<&'a Entry>,
    annotations: Vec<&'a Entry>,
    disable_hash: bool,
    immutable: Option<Origin>,
}

impl<'a> Options<'a> {
    /// The options of an entry: its own labels and annotations win over the global ones;
    /// either side can disable the hash or make the object immutable.
    fn of(local: Option<&'a Node>, global: Option<&'a Node>) -> Options<'a> {
        let map = |key: &str| {
            let mut entries: Vec<&Entry> = local
                .and_then(|o| o.get(key))
                .and_then(Node::entries)
                .unwrap_or_default()
                .iter()
                .collect();
            for entry in global
                .and_then(|o| o.get(key))
                .and_then(Node::entries)
                .unwrap_or_default()
            {
                if !entries.iter().any(|e| e.key == entry.key) {
                    entries.push(entry);
                }
            }
            entries.sort_by(|a, b| a.key.cmp(&b.key));
            entries
        };
        let flag = |key: &str| {
            [local, global]
                .into_iter()
                .flatten()
                .filter_map(|o| o.get(key))
                .find(|v| v.value == Value::Bool(true))
                .map(|v| v.origin)
        };
        Options {
            labels: map("labels"),
            annotations: map("annotations"),
            disable_hash: flag("disableNameSuffixHash").is_some(),
            immutable: flag("immutable"),
        }
    }
}

/// The object a generator entry makes; `None` after reporting why it cannot be made.
fn generate(
    kustomization: &Kustomization,
    entry: &Node,
    kind: &str,
    global: Option<&Node>,
    build: &mut Build,
) -> Option<GeneratedObject> {
    let origin = entry.origin;
    let Some(name) = entry
        .get("name")
        .filter(|n| n.scalar_text().is_some_and(|t| !t.is_empty()))
    else {
        build.error(origin, format!("a {} generator must have a name", kind));
        return None;
    };
    let name_text = name.scalar_text().unwrap_or_default();
    let mut pairs = sources::pairs(kustomization, entry, build)?;
    for (at, pair) in pairs.iter().enumerate() {
        if let Some(problem) = sources::invalid_key(&pair.key) {
            build.error(pair.key_origin, problem);
            return None;
        }
        if pairs[..at].iter().any(|p| p.key == pair.key) {
            build.error(
                pair.key_origin,
                format!(
                    "{} {name_text} illegally repeats the key `{}`",
                    kind.to_ascii_lowercase(),
                    pair.key
                ),
            );
            return None;
        }
    }
    pairs.sort_by(|a, b| a.key.cmp(&b.key));
    let options = Options::of(entry.get("options"), global);

    let mut node = Node::map(origin);
    node.set("apiVersion", Node::str("v1", origin), origin);
    node.set("kind", Node::str(kind, origin), origin);
    let metadata = node.map_at("metadata", origin);
    metadata.set("name", Node::str(name_text, name.origin), origin);
    if let Some(namespace) = entry
        .get("namespace")
        .filter(|n| n.scalar_text().is_some_and(|t| !t.is_empty()))
    {
        let text = namespace.scalar_text().unwrap_or_default();
        metadata.set("namespace", Node::str(text, namespace.origin), origin);
    }
    for (field, entries) in [
        ("labels", &options.labels),
        ("annotations", &options.annotations),
    ] {
        if entries.is_empty() {
            continue;
        }
        let map = metadata.map_at(field, origin);
        for entry in entries.iter() {
            let text = entry.value.scalar_text().unwrap_or_default();
            map.set(
                &entry.key,
                Node::str(text, entry.value.origin),
                entry.key_origin,
            );
        }
    }
    if kind == "Secret" {
        let written = entry
            .get("type")
            .filter(|t| t.scalar_text().is_some_and(|t| !t.is_empty()));
        let secret_type = written.map_or_else(|| Node::str("Opaque", origin), Clone::clone);
        node.set("type", secret_type, origin);
    }
    if kind == "Secret" || !pairs.is_empty() {
        let data = node.map_at("data", origin);
        for pair in &pairs {
            let value = if kind == "Secret" {
                base64_lines(pair.value.as_bytes())
            } else {
                pair.value.clone()
            };
            data.set(
                &pair.key,
                Node::str(value, pair.value_origin),
                pair.key_origin,
            );
        }
    }
    if let Some(immutable) = options.immutable {
        node.set("immutable", Node::new(Value::Bool(true), immutable), origin);
    }

    let behavior = entry.get("behavior");
    let mut resource = Resource::new(node);
    resource.generated = Some(Generated {
        hash_suffix: !options.disable_hash,
        behavior: behavior.and_then(Node::scalar_text).unwrap_or_default(),
    });
    Some(GeneratedObject {
        behavior: behavior.and_then(Node::scalar_text).unwrap_or_default(),
        behavior_origin: behavior.map_or(origin, |b| b.origin),
        resource,
    })
}

/// Adds a generated object to the accumulated ones, as Kustomize does: a new one is added
/// (`create`); with `merge` or `replace` it takes the place of the one object it names (by
/// any name or namespace that object had).
fn absorb(resources: &mut Vec<Resource>, generated: GeneratedObject, build: &mut Build) {
    let GeneratedObject {
        resource,
        behavior,
        behavior_origin,
    } = generated;
    let matches: Vec<usize> = resources
        .iter()
        .enumerate()
        .filter(|(_, old)| same_object(old, &resource))
        .map(|(at, _)| at)
        .collect();
    let id = format!("{} `{}`", resource.kind(), resource.name());
    match (matches.as_slice(), behavior.as_str()) {
        ([], "merge" | "replace") => build.error(
            behavior_origin,
            format!("{id} does not exist; cannot merge or replace"),
        ),
        ([], _) => resources.push(resource),
        (&[at], "merge" | "replace") => {
            let old = &resources[at];
            resources[at] = combine(old, resource, behavior == "merge");
        }
        ([_], _) => build.error(
            behavior_origin,
            format!(
                "{id} exists; can not use behavior: '{behavior}', behavior must be merge or replace"
            ),
        ),
        _ => build.error(
            behavior_origin,
            format!("found multiple objects that could accept merge of {id}"),
        ),
    }
}

/// Whether `old` had the identity of `new` (group, version, kind, name, namespace) now or
/// before it was renamed.
fn same_object(old: &Resource, new: &Resource) -> bool {
    let cluster = old.is_cluster_scoped();
    let name_matches = |namespace: Option<&str>, name: &str| {
        name == new.name()
            && crate::resource::effective_namespace(namespace, cluster) == new.effective_namespace()
    };
    old.group() == new.group()
        && old.version() == new.version()
        && old.kind() == new.kind()
        && (name_matches(old.namespace(), old.name())
            || old
                .previous_names
                .iter()
                .any(|(ns, name)| name_matches(ns.as_deref(), name)))
}

/// A generated object that merges into (`merge`) or replaces `old`: it keeps `old`'s name,
/// namespace and history, its labels and annotations over `old`'s, and with `merge` its
/// data over `old`'s. The name gets a hash only when both objects' generators asked for one.
fn combine(old: &Resource, new: Resource, merge: bool) -> Resource {
    let mut node = new.node;
    let origin = node.origin;
    let mut fields = vec![(&["metadata", "labels"][..], "labels")];
    fields.push((&["metadata", "annotations"][..], "annotations"));
    for (path, key) in fields {
        let merged = merged_map(old.node.path(path), node.path(path));
        let metadata = node.map_at("metadata", origin);
        match merged {
            Some(map) => metadata.set(key, map, origin),
            None => {
                metadata.remove(key);
            }
        }
    }
    let metadata = node.map_at("metadata", origin);
    if let Some(name) = old.node.path(&["metadata", "name"]) {
        metadata.set("name", name.clone(), origin);
    }
    match old.node.path(&["metadata", "namespace"]) {
        Some(namespace) => metadata.set("namespace", namespace.clone(), origin),
        None => {
            metadata.remove("namespace");
        }
    }
    if merge {
        for key in ["data", "binaryData"] {
            match merged_map(old.node.get(key), node.get(key)) {
                Some(map) => node.set(key, map, origin),
                None => {
                    node.remove(key);
                }
            }
        }
    }
    let hash_of = |r: &Option<Generated>| r.as_ref().is_some_and(|g| g.hash_suffix);
    let generated = Generated {
        hash_suffix: hash_of(&old.generated) && hash_of(&new.generated),
        behavior: new.generated.map(|g| g.behavior).unwrap_or_default(),
    };
    Resource {
        node,
        previous_names: old.previous_names.clone(),
        generated: Some(generated),
        prefixes: old.prefixes.clone(),
        suffixes: old.suffixes.clone(),
    }
}

/// The entries of two mappings, `over`'s winning, sorted by key; `None` when there are none.
fn merged_map(under: Option<&Node>, over: Option<&Node>) -> Option<Node> {
    let origin = over.or(under)?.origin;
    let mut entries: Vec<Entry> = under.and_then(Node::entries).unwrap_or_default().to_vec();
    for entry in over.and_then(Node::entries).unwrap_or_default() {
        match entries.iter_mut().find(|e| e.key == entry.key) {
            Some(existing) => *existing = entry.clone(),
            None => entries.push(entry.clone()),
        }
    }
    entries.sort_by(|a, b| a.key.cmp(&b.key));
    (!entries.is_empty()).then(|| Node::new(Value::Map(entries), origin))
}

/// Base64 as Kustomize writes a Secret's value: standard alphabet with padding, and a text of
/// more than one 70-character line broken into lines that each end with a line break.
pub fn base64_lines(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut encoded = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (at, &b)| n | u32::from(b) << (16 - 8 * at));
        for at in 0..4 {
            if at <= chunk.len() {
                encoded.push(char::from(ALPHABET[(n >> (18 - 6 * at)) as usize & 63]));
            } else {
                encoded.push('=');
            }
        }
    }
    const LINE: usize = 70;
    if encoded.len() / LINE == 0 {
        return encoded;
    }
    let mut lines = String::with_capacity(encoded.len() + encoded.len() / LINE + 1);
    for line in encoded.as_bytes().chunks(LINE) {
        lines.push_str(std::str::from_utf8(line).unwrap_or_default());
        lines.push('\n');
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_as_kustomize_writes_it() {
        assert_eq!(base64_lines(b""), "");
        assert_eq!(base64_lines(b"s3cr3t"), "czNjcjN0");
        assert_eq!(base64_lines(b"ab"), "YWI=");
        let long = base64_lines(&[b'x'; 60]);
        assert_eq!(long.lines().map(str::len).collect::<Vec<_>>(), [70, 10]);
        assert!(long.ends_with('\n'));
    }
}
