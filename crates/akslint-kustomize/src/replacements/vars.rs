//! `vars` (legacy): `$(NAME)` in the fields Kustomize substitutes by default (containers'
//! `command`, `args`, `env` values and `volumeMounts` paths, labels, annotations, Ingress hosts,
//! Service ports, NFS servers) replaced by a field of the object the var names. Each
//! kustomization's vars are declared after its transformers, on the objects it has then; they
//! are all resolved once, at the top kustomization, after the objects' final renames.

use crate::build::Build;
use crate::kustomization::Kustomization;
use crate::node::{Node, Origin, Value};
use crate::resource::Resource;

use super::field_path;
use super::selector::Id;

/// The fields `$(NAME)` is substituted in: the kind they apply to (any, when empty) and the
/// path (`/`-separated; sequences on the way are entered item by item).
const FIELDS: &[(&str, &str)] = &[
    (
        "CronJob",
        "spec/jobTemplate/spec/template/spec/containers/args",
    ),
    (
        "CronJob",
        "spec/jobTemplate/spec/template/spec/containers/command",
    ),
    (
        "CronJob",
        "spec/jobTemplate/spec/template/spec/containers/env/value",
    ),
    (
        "CronJob",
        "spec/jobTemplate/spec/template/spec/containers/volumeMounts/mountPath",
    ),
    (
        "CronJob",
        "spec/jobTemplate/spec/template/spec/initContainers/args",
    ),
    (
        "CronJob",
        "spec/jobTemplate/spec/template/spec/initContainers/command",
    ),
    (
        "CronJob",
        "spec/jobTemplate/spec/template/spec/initContainers/env/value",
    ),
    (
        "CronJob",
        "spec/jobTemplate/spec/template/spec/initContainers/volumeMounts/mountPath",
    ),
    (
        "CronJob",
        "spec/jobTemplate/spec/template/volumes/nfs/server",
    ),
    ("Deployment", "spec/template/metadata/annotations"),
    ("Ingress", "spec/rules/host"),
    ("Ingress", "spec/tls/hosts"),
    ("Ingress", "spec/tls/secretName"),
    ("Pod", "spec/containers/args"),
    ("Pod", "spec/containers/command"),
    ("Pod", "spec/containers/env/value"),
    ("Pod", "spec/containers/volumeMounts/mountPath"),
    ("Pod", "spec/initContainers/args"),
    ("Pod", "spec/initContainers/command"),
    ("Pod", "spec/initContainers/env/value"),
    ("Pod", "spec/initContainers/volumeMounts/mountPath"),
    ("Pod", "spec/volumes/nfs/server"),
    ("Service", "spec/ports/port"),
    ("Service", "spec/ports/targetPort"),
    ("StatefulSet", "spec/volumeClaimTemplates/spec/nfs/server"),
    ("PersistentVolume", "spec/nfs/server"),
    ("", "metadata/labels"),
    ("", "metadata/annotations"),
];

/// The kinds whose pod template is at `spec/template` and get the same fields.
const POD_TEMPLATE_KINDS: [&str; 5] = [
    "DaemonSet",
    "Deployment",
    "Job",
    "ReplicaSet",
    "StatefulSet",
];

/// The pod template fields of [`POD_TEMPLATE_KINDS`], under `spec/template/`.
const POD_TEMPLATE_FIELDS: [&str; 9] = [
    "spec/containers/args",
    "spec/containers/command",
    "spec/containers/env/value",
    "spec/containers/volumeMounts/mountPath",
    "spec/initContainers/args",
    "spec/initContainers/command",
    "spec/initContainers/env/value",
    "spec/initContainers/volumeMounts/mountPath",
    "spec/volumes/nfs/server",
];

/// A var a kustomization declared, with the object it named when declared.
#[derive(Clone, Debug)]
pub struct DeclaredVar {
    /// `name`.
    name: String,
    /// The var's entry.
    origin: Origin,
    /// `fieldref.fieldPath` (`metadata.name` when not written) and its place.
    field_path: (String, Origin),
    /// The identity the object it names had when the var was declared (none matched: the var
    /// cannot be resolved).
    object: Option<Id>,
}

/// Records the kustomization's `vars`, each with the object it names among `resources`; a name
/// declared twice, or an `objref` matching several objects, is an error.
pub fn declare(kustomization: &Kustomization, resources: &[Resource], build: &mut Build) {
    for item in kustomization.list("vars") {
        let Some(name) = item.get("name").and_then(Node::scalar_text) else {
            build.error(item.origin, "a var must have a `name`");
            continue;
        };
        if build.vars.iter().any(|v| v.name == name) {
            build.error(item.origin, format!("var '{name}' already encountered"));
            continue;
        }
        let objref = item.get("objref");
        let wanted = objref.map(object_reference).unwrap_or_else(|| Id {
            group: String::new(),
            version: String::new(),
            kind: String::new(),
            name: String::new(),
            namespace: String::new(),
        });
        let matched: Vec<Id> = resources
            .iter()
            .filter(|r| Id::all_of(r).iter().any(|id| is_named_by(id, &wanted)))
            .map(|r| Id::all_of(r).swap_remove(0))
            .collect();
        if matched.len() > 1 {
            build.error(
                objref.map_or(item.origin, |o| o.origin),
                format!(
                    "found {} resId matches for var {name} (unable to disambiguate)",
                    matched.len()
                ),
            );
            continue;
        }
        let field = item.path(&["fieldref", "fieldPath"]);
        let field_path = (
            field
                .and_then(Node::scalar_text)
                .filter(|p| !p.is_empty())
                .unwrap_or_else(|| "metadata.name".to_owned()),
            field.map_or(item.origin, |f| f.origin),
        );
        build.vars.push(DeclaredVar {
            name,
            origin: item.origin,
            field_path,
            object: matched.into_iter().next(),
        });
    }
}

/// The identity an `objref` names (`apiVersion`, else `group` and `version`; `kind`, `name`,
/// `namespace`).
fn object_reference(objref: &Node) -> Id {
    let mut id = Id::from_selector(objref);
    if let Some(api_version) = objref.get("apiVersion").and_then(Node::scalar_text) {
        match api_version.split_once('/') {
            Some((group, version)) => {
                id.group = group.to_owned();
                id.version = version.to_owned();
            }
            None => id.version = api_version,
        }
    }
    id
}

/// Whether `id` is the object an `objref` names: the same group, version, kind and name, and
/// the same (effective) namespace when the reference writes one.
fn is_named_by(id: &Id, objref: &Id) -> bool {
    id.group == objref.group
        && id.version == objref.version
        && id.kind == objref.kind
        && id.name == objref.name
        && (objref.namespace.is_empty() || id.effective_namespace() == objref.effective_namespace())
}

/// Whether `resource` is (or, before a rename, was) the object `id`.
fn was(resource: &Resource, id: &Id) -> bool {
    let namespace = Some(id.namespace.as_str()).filter(|ns| !ns.is_empty());
    Id::all_of(resource)[0].kind == id.kind
        && resource.group() == id.group
        && resource.had_name(namespace, &id.name)
}

/// Resolves every var declared in the build and substitutes `$(NAME)` in the objects (only at
/// the top kustomization; nothing changes when no var is declared).
pub fn vars(_top: &Kustomization, resources: &mut [Resource], build: &mut Build) {
    let declared = std::mem::take(&mut build.vars);
    if declared.is_empty() {
        return;
    }
    let mut values: Vec<(String, Option<Node>)> = Vec::new();
    for var in &declared {
        let object = var
            .object
            .as_ref()
            .and_then(|id| resources.iter().find(|r| was(r, id)));
        let Some(object) = object else {
            build.error(
                var.origin,
                format!(
                    "var '{}' cannot be mapped to a field in the set of known resources",
                    var.name
                ),
            );
            continue;
        };
        let (path, at) = &var.field_path;
        let value = field_path::steps(&slice_indexes(path))
            .ok()
            .and_then(|steps| field_path::lookup(&object.node, &steps).ok().flatten());
        let Some(value) = value else {
            build.error(
                *at,
                format!(
                    "field specified in var '{}' not found in corresponding resource",
                    var.name
                ),
            );
            continue;
        };
        // A mapping or sequence is not substituted: `$(NAME)` stays as written.
        let scalar = value.scalar_text().is_some().then(|| value.clone());
        values.push((var.name.clone(), scalar));
    }
    for resource in resources.iter_mut() {
        let kind = resource.kind().to_owned();
        for path in fields_of(&kind) {
            let steps: Vec<&str> = path.split('/').collect();
            if let Err(origin) = substitute_at(&mut resource.node, &steps, &values) {
                build.error(origin, "invalid value type expect a string");
            }
        }
    }
}

/// The fields of `kind` where vars are substituted.
fn fields_of(kind: &str) -> Vec<String> {
    let mut fields: Vec<String> = FIELDS
        .iter()
        .filter(|(k, _)| k.is_empty() || *k == kind)
        .map(|(_, path)| (*path).to_owned())
        .collect();
    if POD_TEMPLATE_KINDS.contains(&kind) {
        fields.extend(
            POD_TEMPLATE_FIELDS
                .iter()
                .map(|path| format!("spec/template/{path}")),
        );
    }
    fields
}

/// A field path with `name[0]` written as `name.0`, as Kustomize reads a var's field path.
fn slice_indexes(path: &str) -> String {
    field_path::split(path)
        .into_iter()
        .map(|part| match part.split_once('[') {
            Some((name, rest))
                if !name.is_empty()
                    && rest.ends_with(']')
                    && rest[..rest.len() - 1].parse::<usize>().is_ok() =>
            {
                format!("{name}.{}", &rest[..rest.len() - 1])
            }
            _ if part.contains('.') && !part.starts_with('[') => format!("[{part}]"),
            _ => part,
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// Substitutes vars in the strings at `path` below `node` (sequences on the way entered item by
/// item); a sequence of other things than strings at the end is an error at its place.
fn substitute_at(
    node: &mut Node,
    path: &[&str],
    values: &[(String, Option<Node>)],
) -> Result<(), Origin> {
    let Some((first, rest)) = path.split_first() else {
        match &mut node.value {
            Value::Str(_) => substitute(node, values),
            Value::Map(entries) => {
                for entry in entries {
                    if matches!(entry.value.value, Value::Str(_)) {
                        substitute(&mut entry.value, values);
                    }
                }
            }
            Value::Seq(items) => {
                for item in items {
                    if !matches!(item.value, Value::Str(_)) {
                        return Err(item.origin);
                    }
                    substitute(item, values);
                }
            }
            _ => {}
        }
        return Ok(());
    };
    match &mut node.value {
        Value::Map(_) => match node.get_mut(first) {
            Some(child) => substitute_at(child, rest, values),
            None => Ok(()),
        },
        Value::Seq(items) => items
            .iter_mut()
            .try_for_each(|item| substitute_at(item, path, values)),
        _ => Ok(()),
    }
}

/// Substitutes `$(NAME)` in a string node: a string that is one var becomes the var's value
/// (its type and the place it was written); else the text changes and keeps its place.
fn substitute(node: &mut Node, values: &[(String, Option<Node>)]) {
    let Some(text) = node.as_str() else {
        return;
    };
    let known = |name: &str| {
        values
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.as_ref())
    };
    if let Some(name) = text.strip_prefix("$(").and_then(|t| t.strip_suffix(')'))
        && !name.contains(')')
    {
        if let Some(value) = known(name) {
            *node = value.clone();
        }
        return;
    }
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if after.is_empty() {
            out.push('$');
            rest = after;
            break;
        }
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(inner) = after.strip_prefix('(')
            && let Some(close) = inner.find(')')
        {
            let name = &inner[..close];
            match known(name).and_then(Node::scalar_text) {
                Some(value) => out.push_str(&value),
                None => {
                    out.push_str("$(");
                    out.push_str(name);
                    out.push(')');
                }
            }
            rest = &inner[close + 1..];
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    node.value = Value::Str(out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use akslint_core::Span;

    fn at(n: usize) -> Origin {
        Origin::new(0, Span::new(n, n + 1))
    }

    #[test]
    fn strings_substituted_as_kustomize_does() {
        let values = vec![
            ("HOST".to_owned(), Some(Node::str("db.prod", at(1)))),
            ("PORT".to_owned(), Some(Node::new(Value::Int(5432), at(2)))),
            ("MAP".to_owned(), None),
        ];
        let run = |text: &str| {
            let mut node = Node::str(text, at(9));
            substitute(&mut node, &values);
            node
        };
        assert_eq!(run("$(PORT)"), Node::new(Value::Int(5432), at(2)));
        assert_eq!(run("$(HOST):$(PORT)"), Node::str("db.prod:5432", at(9)));
        assert_eq!(
            run("$$(HOST) $(NOPE) $(MAP) $x $"),
            Node::str("$(HOST) $(NOPE) $(MAP) $x $", at(9))
        );
        assert_eq!(run("$(UNCLOSED"), Node::str("$(UNCLOSED", at(9)));
    }

    #[test]
    fn slice_indexes_become_steps() {
        assert_eq!(slice_indexes("spec.ports[0].port"), "spec.ports.0.port");
        assert_eq!(slice_indexes("metadata.name"), "metadata.name");
    }
}
