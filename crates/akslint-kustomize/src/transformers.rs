//! The built-in transformers: `namespace`, `namePrefix`/`nameSuffix`, `labels`/`commonLabels`,
//! `commonAnnotations`, `replicas` and `images`. Every value a transformer writes carries the
//! place of the kustomization field that set it.

pub mod field_specs;
mod images;
mod labels;

pub use images::images;
pub use labels::{annotations, labels};

use crate::build::Build;
use crate::kustomization::Kustomization;
use crate::node::{Node, Value};
use crate::resource::Resource;
use field_specs::{Create, FieldSpec};

/// A non-empty string field of the kustomization, with its node.
fn text_field<'a>(kustomization: &'a Kustomization, key: &str) -> Option<(String, &'a Node)> {
    let node = kustomization.field(key)?;
    let text = node.scalar_text().filter(|t| !t.is_empty())?;
    Some((text, node))
}

/// The namespace fields Kustomize sets besides `metadata.namespace`.
const NAMESPACE_FIELDS: [FieldSpec; 3] = [
    FieldSpec::new("Namespace", "metadata/name", true).in_version("v1"),
    FieldSpec::new("APIService", "spec/service/namespace", true).in_group("apiregistration.k8s.io"),
    FieldSpec::new(
        "CustomResourceDefinition",
        "spec/conversion/webhook/clientConfig/service/namespace",
        false,
    )
    .in_group("apiextensions.k8s.io"),
];

/// `namespace`: every namespaced object moves to the namespace (a `Namespace` object is
/// renamed to it), as do the subjects named `default` of role bindings and the services of
/// API services and CRD conversion webhooks. Two objects that end up with one identity are an
/// error.
pub fn namespace(kustomization: &Kustomization, resources: &mut [Resource], build: &mut Build) {
    let Some((namespace, node)) = text_field(kustomization, "namespace") else {
        return;
    };
    let value = Node::str(namespace.clone(), node.origin);
    for resource in resources.iter_mut() {
        resource.remember_name();
        if !resource.is_cluster_scoped() {
            resource.node.map_at("metadata", node.origin).set(
                "namespace",
                value.clone(),
                node.origin,
            );
        }
        if matches!(resource.kind(), "RoleBinding" | "ClusterRoleBinding") {
            let subjects = resource.node.get_mut("subjects").and_then(Node::items_mut);
            for subject in subjects.into_iter().flatten() {
                if subject.str_at(&["name"]) == Some("default") {
                    subject.set("namespace", value.clone(), node.origin);
                }
            }
        }
        // An apiVersion other than v1 keeps a Namespace object's name.
        for spec in &NAMESPACE_FIELDS {
            let mut set = |field: &mut Node| {
                *field = value.clone();
                Ok(())
            };
            if let Err(message) =
                field_specs::apply(resource, spec, Create::Scalar, node.origin, &mut set)
            {
                build.error(
                    node.origin,
                    format!("namespace transformation failed: {message}"),
                );
            }
        }
    }
    for (at, resource) in resources.iter().enumerate() {
        let clash = resources[..at].iter().any(|other| {
            other.group() == resource.group()
                && other.version() == resource.version()
                && other.kind() == resource.kind()
                && other.name() == resource.name()
                && other.effective_namespace() == resource.effective_namespace()
        });
        if clash {
            build.error(
                node.origin,
                format!(
                    "namespace transformation produces ID conflict: {} `{}`",
                    resource.kind(),
                    resource.name()
                ),
            );
        }
    }
}

/// Whether Kustomize leaves an object's name alone when it adds a prefix or suffix.
fn keeps_its_name(resource: &Resource) -> bool {
    match resource.kind() {
        "CustomResourceDefinition" | "Namespace" => true,
        "APIService" => resource.group() == "apiregistration.k8s.io",
        _ => false,
    }
}

/// `namePrefix` and `nameSuffix`: every object but CRDs, API services and namespaces is
/// renamed (the name keeps its place; the names it had are remembered so that references
/// follow).
pub fn name_prefix_and_suffix(
    kustomization: &Kustomization,
    resources: &mut [Resource],
    _build: &mut Build,
) {
    for (key, is_prefix) in [("namePrefix", true), ("nameSuffix", false)] {
        let Some((affix, _)) = text_field(kustomization, key) else {
            continue;
        };
        for resource in resources.iter_mut().filter(|r| !keeps_its_name(r)) {
            resource.remember_name();
            let renamed = if is_prefix {
                resource.prefixes.push(affix.clone());
                format!("{affix}{}", resource.name())
            } else {
                resource.suffixes.push(affix.clone());
                format!("{}{affix}", resource.name())
            };
            if let Some(name) = resource.node.path_mut(&["metadata", "name"]) {
                name.value = Value::Str(renamed);
            }
        }
    }
}

/// The kinds `replicas` sets the count of.
const REPLICA_KINDS: [&str; 4] = [
    "Deployment",
    "ReplicationController",
    "ReplicaSet",
    "StatefulSet",
];

/// `replicas`: the `spec.replicas` of the workloads named (by any name they had) set to
/// `count`; a name no workload had is an error.
pub fn replicas(kustomization: &Kustomization, resources: &mut [Resource], build: &mut Build) {
    for entry in kustomization.list("replicas") {
        let name = entry
            .get("name")
            .and_then(Node::scalar_text)
            .unwrap_or_default();
        let count = match entry.get("count") {
            Some(
                count @ Node {
                    value: Value::Int(_),
                    ..
                },
            ) => count.clone(),
            Some(other) => {
                build.error(other.origin, "a replica count must be an integer");
                continue;
            }
            None => Node::new(Value::Int(0), entry.origin),
        };
        let mut found = false;
        for resource in resources.iter_mut() {
            if !REPLICA_KINDS.contains(&resource.kind()) || !resource.had_name(None, &name) {
                continue;
            }
            found = true;
            let spec = resource.node.map_at("spec", entry.origin);
            spec.set("replicas", count.clone(), count.origin);
        }
        if !found {
            build.error(
                entry.origin,
                format!("resource with name {name} does not match a config with the following GVK {REPLICA_KINDS:?}"),
            );
        }
    }
}
