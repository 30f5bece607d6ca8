//! `replacements` and `vars`: values copied from one object's field into others. A copied
//! value keeps the place it was written (the source object's field, or `sourceValue`).

mod field_path;
mod selector;
mod vars;

pub use vars::{DeclaredVar, vars};

use crate::build::Build;
use crate::kustomization::Kustomization;
use crate::node::{Node, Origin, Value};
use crate::resource::Resource;

use field_path::{Create, NodeKind, Step};
use selector::{Id, Selector};

/// A problem of a replacement and the place in the kustomization (or replacements file) at
/// fault.
struct Located {
    origin: Origin,
    message: String,
}

impl Located {
    fn new(origin: Origin, message: impl Into<String>) -> Located {
        Located {
            origin,
            message: message.into(),
        }
    }
}

/// Applies the kustomization's `replacements` to the accumulated resources (each replacement in
/// order; one that fails is an error and changes nothing), then records its `vars`.
pub fn replacements(kustomization: &Kustomization, resources: &mut [Resource], build: &mut Build) {
    for entry in entries(kustomization, build) {
        if let Err(problem) = apply(&entry, resources) {
            build.error(problem.origin, problem.message);
        }
    }
    vars::declare(kustomization, resources, build);
}

/// The replacements of a kustomization: inline ones, and those of the files `path` names (a
/// file holds a list of replacements, or one).
fn entries(kustomization: &Kustomization, build: &mut Build) -> Vec<Node> {
    let mut entries = Vec::new();
    for item in kustomization.list("replacements") {
        let Some(path) = item.get("path") else {
            entries.push(item.clone());
            continue;
        };
        if item.get("source").is_some() || item.get("targets").is_some() {
            build.error(
                item.origin,
                "cannot specify both path and inline replacement",
            );
            continue;
        }
        let Some(relative) = path.scalar_text() else {
            build.error(path.origin, "a replacements `path` must be a file name");
            continue;
        };
        let Some((source, file)) = build.read_named(kustomization, &relative, path.origin) else {
            continue;
        };
        let Some(document) = build.parse_yaml(source, &file).into_iter().next() else {
            continue;
        };
        match &document.value {
            Value::Seq(items) => entries.extend(items.iter().cloned()),
            Value::Map(_) => entries.push(document),
            _ => build.error(
                document.origin,
                "a replacements file must hold a list of replacements or one replacement",
            ),
        }
    }
    entries
}

/// Applies one replacement.
fn apply(entry: &Node, resources: &mut [Resource]) -> Result<(), Located> {
    let missing = || {
        Located::new(
            entry.origin,
            "replacements must specify a source and at least one target",
        )
    };
    let targets = entry
        .get("targets")
        .and_then(Node::items)
        .ok_or_else(missing)?;
    let value = match (entry.get("sourceValue"), entry.get("source")) {
        (Some(_), Some(_)) => {
            return Err(Located::new(
                entry.origin,
                "value and resource selectors are mutually exclusive",
            ));
        }
        (Some(value), None) => Node::str(value.scalar_text().unwrap_or_default(), value.origin),
        (None, Some(source)) => source_value_of(source, resources)?,
        (None, None) => return Err(missing()),
    };
    for target in targets {
        apply_target(target, &value, resources)?;
    }
    Ok(())
}

/// The value a replacement's `source` reads (its `fieldPath`, `metadata.name` by default,
/// refined by `options.delimiter`/`index`).
fn source_value_of(source: &Node, resources: &[Resource]) -> Result<Node, Located> {
    let wanted = Id::from_selector(source);
    let mut found: Option<&Resource> = None;
    for resource in resources {
        if Id::all_of(resource)
            .iter()
            .any(|id| id.is_selected_by(&wanted))
        {
            if found.is_some() {
                return Err(Located::new(
                    source.origin,
                    format!("multiple matches for replacement source {wanted}"),
                ));
            }
            found = Some(resource);
        }
    }
    let Some(resource) = found else {
        return Err(Located::new(
            source.origin,
            format!("nothing selected by replacement source {wanted}"),
        ));
    };
    let field = source.get("fieldPath");
    let path = field
        .and_then(Node::scalar_text)
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "metadata.name".to_owned());
    let at = field.map_or(source.origin, |f| f.origin);
    let steps = field_path::steps(&path).map_err(|m| Located::new(at, m))?;
    let value = field_path::lookup(&resource.node, &steps)
        .map_err(|m| Located::new(at, format!("error looking up replacement source: {m}")))?
        .filter(|node| !is_nil_or_empty(node))
        .ok_or_else(|| {
            Located::new(
                at,
                format!(
                    "fieldPath `{path}` is missing for replacement source {}",
                    Id::all_of(resource)[0]
                ),
            )
        })?;
    let Some(options) = source.get("options") else {
        return Ok(value.clone());
    };
    let Some(delimiter) = options.get("delimiter").and_then(Node::scalar_text) else {
        return Ok(value.clone());
    };
    if delimiter.is_empty() {
        return Ok(value.clone());
    }
    let Some(text) = value.scalar_text() else {
        return Err(Located::new(
            options.origin,
            "delimiter option can only be used with scalar nodes",
        ));
    };
    let index = option_index(options);
    let parts: Vec<&str> = text.split(delimiter.as_str()).collect();
    match usize::try_from(index).ok().and_then(|i| parts.get(i)) {
        Some(part) => Ok(Node::str(*part, value.origin)),
        None => Err(Located::new(
            options.origin,
            format!("options.index {index} is out of bounds for value {text}"),
        )),
    }
}

/// Whether a looked-up value counts as missing (null, or an empty mapping or sequence).
fn is_nil_or_empty(node: &Node) -> bool {
    match &node.value {
        Value::Null => true,
        Value::Map(entries) => entries.is_empty(),
        Value::Seq(items) => items.is_empty(),
        _ => false,
    }
}

/// `options.index` (0 when not written).
fn option_index(options: &Node) -> i64 {
    match options.get("index").map(|n| &n.value) {
        Some(Value::Int(index)) => *index,
        _ => 0,
    }
}

/// Writes `value` into the objects one target selects, at each of its field paths.
fn apply_target(target: &Node, value: &Node, resources: &mut [Resource]) -> Result<(), Located> {
    let at = |m: String| Located::new(target.origin, m);
    let Some(select) = target.get("select") else {
        return Err(at("target must specify resources to select".into()));
    };
    let select = Selector::parse(select).map_err(at)?;
    let rejects = target
        .get("reject")
        .and_then(Node::items)
        .unwrap_or_default()
        .iter()
        .map(Selector::parse)
        .collect::<Result<Vec<_>, _>>()
        .map_err(at)?;
    let paths: Vec<(String, Origin)> = match target.get("fieldPaths").and_then(Node::items) {
        Some(items) if !items.is_empty() => items
            .iter()
            .map(|item| (item.scalar_text().unwrap_or_default(), item.origin))
            .collect(),
        _ => vec![("metadata.name".to_owned(), target.origin)],
    };
    let options = target.get("options");
    for resource in resources.iter_mut() {
        if !select.matches_metadata(resource)
            || rejects
                .iter()
                .any(|r| r.has_metadata_selectors() && r.matches_metadata(resource))
        {
            continue;
        }
        let ids = Id::all_of(resource);
        let rejected = rejects
            .iter()
            .any(|r| !r.id.is_empty() && ids.iter().any(|id| r.id.matches(id)));
        if rejected || !ids.iter().any(|id| select.id.matches(id)) {
            continue;
        }
        for (path, origin) in &paths {
            copy_to_target(&mut resource.node, path, *origin, value, options)?;
        }
    }
    Ok(())
}

/// Writes `value` at `path` of one object.
fn copy_to_target(
    object: &mut Node,
    path: &str,
    origin: Origin,
    value: &Node,
    options: Option<&Node>,
) -> Result<(), Located> {
    let create = options
        .and_then(|o| o.get("create"))
        .is_some_and(|c| c.value == Value::Bool(true));
    let retrieval = |detail: Option<String>| {
        let what = if create {
            "unable to find or create field"
        } else {
            "unable to find field"
        };
        let message = format!("{what} {path:?} in replacement target");
        Located::new(
            origin,
            detail.map_or_else(|| message.clone(), |d| format!("{message}: {d}")),
        )
    };
    let steps: Vec<Step> = field_path::steps(path).map_err(|m| retrieval(Some(m)))?;
    let create = create.then(|| Create {
        kind: NodeKind::of(value),
        origin,
    });
    let delimiter = options
        .and_then(|o| o.get("delimiter"))
        .and_then(Node::scalar_text)
        .filter(|d| !d.is_empty());
    let index = options.map_or(0, option_index);
    // Kustomize reads an object's own labels and annotations back as strings.
    let in_metadata_strings = matches!(
        steps.as_slice(),
        [Step::Key(m), Step::Key(field), ..] if m == "metadata" && (field == "labels" || field == "annotations")
    );
    let mut set = |target: &mut Node| {
        set_field(target, value, delimiter.as_deref(), index)?;
        if in_metadata_strings && let Some(text) = target.scalar_text() {
            target.value = Value::Str(text);
        }
        Ok(())
    };
    let found = field_path::visit(object, &steps, create, &mut set).map_err(|m| {
        if m.starts_with("delimiter") {
            Located::new(origin, m)
        } else {
            retrieval(Some(m))
        }
    })?;
    if found == 0 {
        return Err(retrieval(None));
    }
    Ok(())
}

/// Sets one target field: a scalar keeps its type (only the text is copied), a collection (or a
/// field just created) takes the value whole; with a `delimiter`, the value replaces the
/// `index`th part of the target's text (a negative index prefixes it, one past the end
/// appends it).
fn set_field(
    target: &mut Node,
    value: &Node,
    delimiter: Option<&str>,
    index: i64,
) -> Result<(), String> {
    let mut value = value.clone();
    if let Some(delimiter) = delimiter {
        let Some(text) = target.scalar_text() else {
            return Err("delimiter option can only be used with scalar nodes".into());
        };
        let mut parts: Vec<String> = text.split(delimiter).map(str::to_owned).collect();
        let part = value.scalar_text().unwrap_or_default();
        match usize::try_from(index) {
            Err(_) => parts.insert(0, part),
            Ok(at) if at >= parts.len() => parts.push(part),
            Ok(at) => parts[at] = part,
        }
        value = Node::str(parts.join(delimiter), value.origin);
    }
    let text = value.scalar_text();
    *target = match (&target.value, text) {
        (Value::Str(_), Some(text)) => Node::str(text, value.origin),
        (Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::Null, Some(text)) => {
            typed_scalar(&text, value.origin)
        }
        _ => value,
    };
    Ok(())
}

/// A scalar's text typed as a plain YAML scalar is read (YAML 1.2 core schema): a number, a
/// boolean, null, else a string.
fn typed_scalar(text: &str, origin: Origin) -> Node {
    let value = match text {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ => {
            let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
            let is_int = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
            let is_float = !is_int
                && digits.bytes().any(|b| b.is_ascii_digit())
                && digits
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b"._eE+-".contains(&b))
                && digits.parse::<f64>().is_ok();
            match text.parse::<i64>() {
                Ok(n) if is_int => Value::Int(n),
                _ if is_float => Value::Float(text.to_owned()),
                _ => Value::Str(text.to_owned()),
            }
        }
    };
    Node::new(value, origin)
}
