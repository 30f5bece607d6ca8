//! The order `kustomize build` writes objects in (its `legacy` order): namespaces, CRDs,
//! service accounts, RBAC, config, services, workloads first, webhooks last.

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

/// Sorts objects into Kustomize's legacy order (stable for equal keys).
pub fn sort(resources: &mut [Resource]) {
    let rank = |kind: &str| {
        if let Some(at) = FIRST.iter().position(|k| *k == kind) {
            at
        } else if let Some(at) = LAST.iter().position(|k| *k == kind) {
            FIRST.len() + 1 + at
        } else {
            FIRST.len()
        }
    };
    resources.sort_by(|a, b| {
        (
            rank(a.kind()),
            a.kind(),
            a.api_version(),
            a.namespace(),
            a.name(),
        )
            .cmp(&(
                rank(b.kind()),
                b.kind(),
                b.api_version(),
                b.namespace(),
                b.name(),
            ))
    });
}
