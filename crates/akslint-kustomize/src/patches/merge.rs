//! A strategic merge patch applied to an object as Kustomize applies it (kyaml's `merge2`
//! walk): maps merged key by key (new keys in key order), `null` removing a key, lists the
//! schema marks `merge` merged item by item by their merge keys (the patch's items first, in
//! its order, then the object's others), other lists replaced, and the `$patch` directives
//! `delete`, `replace` and `merge` on maps and lists. Other directives (`$setElementOrder`,
//! `$retainKeys`, `$deleteFromPrimitiveList`) are plain keys to kyaml and are kept as written.
//! Values the patch writes keep the patch's origins; a map or list the patch removed something
//! from takes the origin of the `null` or `$patch` that did it.

use crate::node::{Node, Origin, Value};
use crate::patches::schema::Schema;

/// The key of a strategic merge patch directive.
const DIRECTIVE: &str = "$patch";

/// What a `$patch` directive asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Directive {
    Merge,
    Replace,
    Delete,
}

/// The kind of a value, as the walk compares them (`null` has none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Mapping,
    Sequence,
    Scalar,
}

/// `object` with `patch` merged in; `None` when the patch deletes the whole object. An error
/// says why the patch does not apply (a value of another kind than the object's, an unknown
/// directive).
pub fn merge(object: &Node, patch: &Node, schema: Option<Schema>) -> Result<Option<Node>, String> {
    let merged = walk(Some(object.clone()), Some(patch.clone()), schema)?;
    Ok(merged.filter(|node| !is_null(node) && !is_empty_map(node)))
}

fn kind(node: &Node) -> Option<Kind> {
    match node.value {
        Value::Null => None,
        Value::Map(_) => Some(Kind::Mapping),
        Value::Seq(_) => Some(Kind::Sequence),
        _ => Some(Kind::Scalar),
    }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Mapping => "MappingNode",
        Kind::Sequence => "SequenceNode",
        Kind::Scalar => "ScalarNode",
    }
}

fn is_null(node: &Node) -> bool {
    matches!(node.value, Value::Null)
}

fn is_empty_map(node: &Node) -> bool {
    matches!(&node.value, Value::Map(entries) if entries.is_empty())
}

/// A value's text as kyaml compares it: a scalar as written, nothing for a collection.
fn text(node: &Node) -> String {
    match node.value {
        Value::Null => "null".to_owned(),
        _ => node.scalar_text().unwrap_or_default(),
    }
}

/// Merges one value of the patch (`origin`) into the object's (`dest`); `None` or a null
/// result removes the value.
fn walk(
    dest: Option<Node>,
    origin: Option<Node>,
    schema: Option<Schema>,
) -> Result<Option<Node>, String> {
    let sources = [dest.as_ref(), origin.as_ref()];
    let expected = sources.iter().flatten().find_map(|node| kind(node));
    if let Some(expected) = expected {
        for node in sources.iter().flatten() {
            if let Some(found) = kind(node).filter(|&found| found != expected) {
                return Err(format!(
                    "wrong node kind: expected {} but got {}",
                    kind_name(expected),
                    kind_name(found)
                ));
            }
        }
    }
    match expected {
        Some(Kind::Mapping) | None => walk_map(dest, origin, schema),
        Some(Kind::Sequence) => match schema.and_then(Schema::merge_keys) {
            Some(keys) => walk_merged_list(dest, origin, &keys, schema.and_then(Schema::items)),
            None => Ok(origin.or(dest)),
        },
        Some(Kind::Scalar) => Ok(origin.or(dest)),
    }
}

/// The directive of a patch value, removed from it.
fn take_directive(patch: &mut Node) -> Result<Directive, String> {
    let parse = |value: &str| match value {
        "delete" => Ok(Directive::Delete),
        "replace" => Ok(Directive::Replace),
        "merge" => Ok(Directive::Merge),
        other => Err(format!("unknown patch strategy '{other}'")),
    };
    match &mut patch.value {
        Value::Map(_) => {
            let Some(value) = patch.get(DIRECTIVE).map(text) else {
                return Ok(Directive::Merge);
            };
            let directive = parse(&value)?;
            patch.remove(DIRECTIVE);
            Ok(directive)
        }
        Value::Seq(items) => {
            let Some(item) = items.iter().find(|item| item.get(DIRECTIVE).is_some()) else {
                return Ok(Directive::Merge);
            };
            if item.entries().is_some_and(|entries| entries.len() > 1) {
                return Ok(Directive::Merge);
            }
            let value = item.get(DIRECTIVE).map(text).unwrap_or_default();
            let directive = parse(&value)?;
            set_element(items, None, &[DIRECTIVE.to_owned()], &[value]);
            Ok(directive)
        }
        _ => Err("no implemented strategic merge patch strategy for a scalar".to_owned()),
    }
}

/// The place that removed something from the object: the patch's `null`, or its `$patch`.
fn removal_origin(patch: &Node) -> Origin {
    let directive_of = |node: &Node| node.get(DIRECTIVE).map(|value| value.origin);
    match &patch.value {
        Value::Map(_) => directive_of(patch),
        Value::Seq(items) => items.iter().find_map(directive_of),
        _ => None,
    }
    .unwrap_or(patch.origin)
}

fn walk_map(
    dest: Option<Node>,
    origin: Option<Node>,
    schema: Option<Schema>,
) -> Result<Option<Node>, String> {
    let mut origin = origin;
    let merged = if dest.as_ref().is_none_or(is_null) {
        let directive = origin.as_mut().map(take_directive);
        if matches!(directive, Some(Ok(Directive::Delete))) {
            return Ok(None);
        }
        match &origin {
            None => return Ok(dest),
            Some(patch) => patch.clone(),
        }
    } else if origin.as_ref().is_some_and(is_null) {
        return Ok(None);
    } else {
        match directed(&mut origin, dest)? {
            Some(node) => node,
            None => return Ok(None),
        }
    };
    let Some(patch) = origin.filter(|_| merged.is_map()) else {
        return Ok(Some(merged));
    };
    let mut merged = merged;
    let mut keys: Vec<&str> = patch
        .entries()
        .unwrap_or_default()
        .iter()
        .map(|e| e.key.as_str())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    for key in keys {
        let Some(entry) = patch.entry(key) else {
            continue;
        };
        let value = walk(
            merged.get(key).cloned(),
            Some(entry.value.clone()),
            schema.and_then(|s| s.field(key)),
        )?;
        match value {
            Some(value) if !is_null(&value) => merged.set(key, value, entry.key_origin),
            _ => {
                if merged.remove(key).is_some() {
                    merged.origin = removal_origin(&entry.value);
                }
            }
        }
    }
    Ok(Some(merged))
}

/// What the patch's directive (`$patch`, taken out of it) makes of an existing value: `None`
/// when it is deleted, the patch for `replace`, else the value to merge into.
fn directed(origin: &mut Option<Node>, dest: Option<Node>) -> Result<Option<Node>, String> {
    let directive = match origin.as_mut() {
        Some(patch) => take_directive(patch)?,
        None => Directive::Merge,
    };
    Ok(match (directive, &*origin, dest) {
        (Directive::Delete, _, _) => None,
        (Directive::Replace, Some(patch), _) => Some(patch.clone()),
        (_, _, object) => object,
    })
}

/// A list merged item by item by `keys` (a list of scalars when `keys` is empty).
fn walk_merged_list(
    dest: Option<Node>,
    origin: Option<Node>,
    keys: &[String],
    items_schema: Option<Schema>,
) -> Result<Option<Node>, String> {
    let mut origin = origin;
    let merged = if dest.as_ref().is_none_or(is_null) {
        match &origin {
            None => return Ok(None),
            Some(patch) => patch.clone(),
        }
    } else if origin.as_ref().is_some_and(is_null) {
        return Ok(None);
    } else {
        match directed(&mut origin, dest)? {
            Some(node) => node,
            None => return Ok(None),
        }
    };
    let mut list = ListMerge {
        dest: merged,
        origin: origin.as_ref(),
        items_schema,
    };
    let sources = [origin.as_ref(), Some(&list.dest)];
    if keys.is_empty() {
        let values = scalar_values(&sources);
        list.set_items(values, &[String::new()])?;
    } else {
        let values = key_values(&sources, keys);
        list.set_items(values, keys)?;
    }
    Ok(Some(list.dest))
}

/// The merge key values of the items of the patch's list, then of the object's, each once.
fn key_values(sources: &[Option<&Node>], keys: &[String]) -> Vec<Vec<String>> {
    let mut values: Vec<Vec<String>> = Vec::new();
    for item in sources
        .iter()
        .flatten()
        .flat_map(|list| list.items().unwrap_or_default())
    {
        let tuple: Vec<String> = keys
            .iter()
            .map(|key| {
                item.get(key)
                    .filter(|v| !is_null(v) && !is_empty_collection(v))
                    .map(text)
                    .unwrap_or_default()
            })
            .collect();
        if !values.contains(&tuple) {
            values.push(tuple);
        }
    }
    values
}

fn is_empty_collection(node: &Node) -> bool {
    match &node.value {
        Value::Map(entries) => entries.is_empty(),
        Value::Seq(items) => items.is_empty(),
        _ => false,
    }
}

/// The values of the items of a list of scalars, the patch's first, each once.
fn scalar_values(sources: &[Option<&Node>]) -> Vec<Vec<String>> {
    let mut values: Vec<Vec<String>> = Vec::new();
    for item in sources
        .iter()
        .flatten()
        .flat_map(|list| list.items().unwrap_or_default())
    {
        let value = vec![text(item)];
        if !values.contains(&value) {
            values.push(value);
        }
    }
    values
}

/// The merge of a keyed list: the object's list (changed in place, as kyaml changes it) and
/// the patch's.
struct ListMerge<'a, 'p> {
    dest: Node,
    origin: Option<&'p Node>,
    items_schema: Option<Schema<'a>>,
}

impl ListMerge<'_, '_> {
    /// Merges the items of every key value tuple (kyaml's `setAssociativeSequenceElements`,
    /// with the patch's items first).
    fn set_items(
        &mut self,
        mut values_list: Vec<Vec<String>>,
        keys: &[String],
    ) -> Result<(), String> {
        let mut added: Vec<Node> = Vec::new();
        if keys.len() > 1 {
            merge_key_values(&mut values_list);
        }
        let mut valid_keys: Vec<String> = keys.to_vec();
        let mut valid_values: Vec<String>;
        for values in &values_list {
            if values.is_empty() {
                continue;
            }
            (valid_keys, valid_values) = valid_keys_and_values(&values_list, values, keys);
            let (find_keys, find_values) = valid_keys_and_values(
                std::slice::from_ref(&valid_values),
                &valid_values,
                &valid_keys,
            );
            let dest_items = self.dest.items().unwrap_or_default();
            let dest_at = find_item(dest_items, &find_keys, &find_values);
            let dest_item = dest_at.map(|at| dest_items[at].clone());
            let patch_item = self
                .origin
                .and_then(|list| {
                    let items = list.items()?;
                    find_item(items, &find_keys, &find_values).map(|at| &items[at])
                })
                .cloned();
            let replaces = patch_item
                .as_ref()
                .and_then(|item| item.get(DIRECTIVE))
                .is_some_and(|d| text(d) == "replace");
            let in_place = dest_item.as_ref().is_some_and(Node::is_map) && !replaces;
            let removed_by = patch_item.as_ref().map(removal_origin);
            let item = walk(dest_item, patch_item, self.items_schema)?;
            if let (true, Some(at), Some(merged)) = (in_place, dest_at, &item)
                && merged.is_map()
                && let Some(items) = self.dest.items_mut()
            {
                items[at] = merged.clone();
            }
            let Some(mut item) = item.filter(|i| !is_null(i) && !is_empty_map(i)) else {
                let before = self.dest.items().map_or(0, <[Node]>::len);
                if let Some(items) = self.dest.items_mut() {
                    set_element(items, None, &valid_keys, &valid_values);
                }
                if self.dest.items().map_or(0, <[Node]>::len) < before
                    && let Some(origin) = removed_by
                {
                    self.dest.origin = origin;
                }
                continue;
            };
            for (key, value) in valid_keys.iter().zip(&valid_values) {
                if !key.is_empty() && item.get(key).is_none() && !value.is_empty() {
                    let origin = item.origin;
                    item.set(key, typed_scalar(value, origin), origin);
                }
            }
            set_element(&mut added, Some(item), &valid_keys, &valid_values);
        }
        if !values_list.is_empty() {
            let dest_items = self.dest.items().unwrap_or_default().to_vec();
            append_items(&mut added, &dest_items, &valid_keys);
            self.dest.value = Value::Seq(added);
        }
        Ok(())
    }
}

/// A merge key value written back as kyaml writes it (an untagged scalar: a number stays one).
fn typed_scalar(text: &str, origin: Origin) -> Node {
    let value = match text {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        _ => text
            .parse::<i64>()
            .map_or_else(|_| Value::Str(text.to_owned()), Value::Int),
    };
    Node::new(value, origin)
}

/// kyaml's `mergeValues`: key tuples that agree where both are set are completed from each
/// other.
fn merge_key_values(values_list: &mut [Vec<String>]) {
    for i in 0..values_list.len() {
        let first = values_list[i].clone();
        for j in 0..values_list.len() {
            if let Some(merged) = match_tuples(&first, &values_list[j]) {
                values_list[i] = merged.clone();
                values_list[j] = merged;
            }
        }
    }
}

fn match_tuples(first: &[String], second: &[String]) -> Option<Vec<String>> {
    if first.len() != second.len() {
        return None;
    }
    let mut common = false;
    let mut merged = Vec::new();
    for (a, b) in first.iter().zip(second) {
        if a == b {
            common = true;
            merged.push(a.clone());
        } else if !a.is_empty() && !b.is_empty() {
            return None;
        } else if a.is_empty() {
            merged.push(b.clone());
        } else {
            merged.push(a.clone());
        }
    }
    common.then_some(merged)
}

/// kyaml's `validateKeys`: the keys some tuple sets, with this tuple's values for them.
fn valid_keys_and_values(
    values_list: &[Vec<String>],
    values: &[String],
    keys: &[String],
) -> (Vec<String>, Vec<String>) {
    let set: Vec<&String> = values_list
        .iter()
        .flat_map(|tuple| {
            tuple
                .iter()
                .enumerate()
                .filter(|(_, v)| !v.is_empty())
                .filter_map(|(i, _)| keys.get(i))
        })
        .collect();
    if set.is_empty() {
        return (keys.to_vec(), values.to_vec());
    }
    let valid_keys = keys.iter().filter(|k| set.contains(k)).cloned().collect();
    let valid_values = values
        .iter()
        .enumerate()
        .filter(|(i, v)| !v.is_empty() || keys.get(*i).is_some_and(|k| set.contains(&k)))
        .map(|(_, v)| v.clone())
        .collect();
    (valid_keys, valid_values)
}

/// kyaml's `MatchElementList`: the first item whose keys have exactly these values.
fn find_item(items: &[Node], keys: &[String], values: &[String]) -> Option<usize> {
    let first_value = values.first().map_or("", String::as_str);
    if keys.first().is_none_or(String::is_empty) {
        return items.iter().position(|item| text(item) == first_value);
    }
    if keys.len() != values.len() {
        return None;
    }
    items.iter().position(|item| {
        item.is_map()
            && keys.iter().zip(values).all(|(key, value)| {
                item.entries()
                    .unwrap_or_default()
                    .iter()
                    .any(|e| e.key == *key && text(&e.value) == *value)
            })
    })
}

/// kyaml's `FieldMatcher` by a string value (an empty value matches any value of the field).
fn field_matches(item: &Node, key: &str, value: &str) -> bool {
    if is_null(item) {
        return false;
    }
    if key.is_empty() {
        return kind(item) == Some(Kind::Scalar) && text(item) == value;
    }
    item.entries().is_some_and(|entries| {
        entries
            .iter()
            .any(|e| e.key == key && (value.is_empty() || text(&e.value) == value))
    })
}

/// kyaml's `ElementSetter`: replaces the items matching `keys`/`values` by `element` (or
/// removes them when it is `None`), appending it when none matched; null and empty items go.
fn set_element(items: &mut Vec<Node>, element: Option<Node>, keys: &[String], values: &[String]) {
    let empty_key = [String::new()];
    let keys = if keys.is_empty() {
        &empty_key[..]
    } else {
        keys
    };
    let mapping_setter = !keys[0].is_empty() && values.first().is_some_and(|v| !v.is_empty());
    let mut kept = Vec::with_capacity(items.len());
    let mut matched = false;
    for item in items.drain(..) {
        if is_null(&item) || is_empty_map(&item) {
            continue;
        }
        if !item.is_map() && mapping_setter {
            kept.push(item);
            continue;
        }
        let mut found: Option<bool> = None;
        for (at, key) in keys.iter().enumerate() {
            if let Some(value) = values.get(at) {
                found = Some(field_matches(&item, key, value));
            }
            if found != Some(true) {
                break;
            }
        }
        if found != Some(true) {
            if !values.is_empty() {
                kept.push(item);
            }
            continue;
        }
        matched = true;
        if let Some(element) = &element {
            kept.push(element.clone());
        }
    }
    *items = kept;
    if let Some(element) = element.filter(|e| !is_null(e))
        && !matched
    {
        items.push(element);
    }
}

/// kyaml's `appendListNode`: the object's items set into the merged ones (replacing the
/// matching ones, else appended).
fn append_items(merged: &mut Vec<Node>, items: &[Node], keys: &[String]) {
    for item in items {
        if keys.first().is_none_or(String::is_empty) {
            set_element(merged, Some(item.clone()), &[String::new()], &[text(item)]);
            continue;
        }
        let mut values = Vec::new();
        for key in keys {
            match item.get(key) {
                None => merged.push(item.clone()),
                Some(value) => values.push(text(value)),
            }
        }
        if keys.len() > 1 {
            set_element(merged, None, keys, &values);
        }
        set_element(merged, Some(item.clone()), keys, &values);
    }
}
