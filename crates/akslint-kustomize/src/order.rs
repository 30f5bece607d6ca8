//! The order `kustomize build` writes objects in (its `legacy` order): namespaces, CRDs,
//! service accounts, RBAC, config, services, workloads first, webhooks last, the others in
//! between; within a rank by group, version and kind, then namespace and name.

use std::cmp::Ordering;

use crate::resource::Resource;

/// Kinds written first, in this order.
const FIRST: [&str; 22] = [
    "Namespace",
    "ResourceQuota",
    "StorageClass",
    "CustomResourceDefinition",
    "ServiceAccount",
    "PodSecurityPolicy",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "ConfigMap",
    "Secret",
    "Endpoints",
    "Service",
    "LimitRange",
    "PriorityClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "Deployment",
    "StatefulSet",
    "CronJob",
    "PodDisruptionBudget",
];

/// Kinds written last, in this order.
const LAST: [&str; 2] = [
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

/// A kind's rank: the listed first kinds below zero, the last above, the others zero.
fn rank(kind: &str) -> i64 {
    if let Some(at) = FIRST.iter().position(|k| *k == kind) {
        at as i64 - FIRST.len() as i64
    } else if let Some(at) = LAST.iter().position(|k| *k == kind) {
        at as i64 + 1
    } else {
        0
    }
}

/// A text, or `absent` when it is empty.
fn or<'a>(text: &'a str, absent: &'a str) -> &'a str {
    if text.is_empty() { absent } else { text }
}

/// Group, version and kind as Kustomize sorts them (`~G`, `~V`, `~K` for missing parts).
fn gvk_key(resource: &Resource) -> String {
    format!(
        "{}_{}_{}",
        or(resource.group(), "~G"),
        or(resource.version(), "~V"),
        or(resource.kind(), "~K")
    )
}

/// Namespace and name as Kustomize sorts objects of one type (`~X`, `~N` when missing).
fn id_key(resource: &Resource) -> String {
    format!(
        "{}|{}",
        or(resource.namespace().unwrap_or(""), "~X"),
        or(resource.name(), "~N")
    )
}

/// Kustomize's legacy comparison of two objects.
fn compare(a: &Resource, b: &Resource) -> Ordering {
    let same_type = a.group() == b.group() && a.version() == b.version() && a.kind() == b.kind();
    if !same_type {
        let by_rank = rank(a.kind()).cmp(&rank(b.kind()));
        if by_rank != Ordering::Equal {
            return by_rank;
        }
        let by_type = gvk_key(a).cmp(&gvk_key(b));
        // Namespaces of different groups, one of them the core group, come in reverse.
        let reversed = a.kind() == "Namespace"
            && b.kind() == "Namespace"
            && (a.group().is_empty() || b.group().is_empty());
        return if reversed { by_type.reverse() } else { by_type };
    }
    id_key(a).cmp(&id_key(b))
}

/// Sorts objects into Kustomize's legacy order.
pub fn sort(resources: &mut [Resource]) {
    resources.sort_by(compare);
}
