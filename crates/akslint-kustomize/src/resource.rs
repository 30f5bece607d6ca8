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
    /// The name prefixes the build added, innermost kustomization first (a reference is matched
    /// to the object renamed like its referrer when several had its name).
    pub prefixes: Vec<String>,
    /// The name suffixes the build added, innermost kustomization first.
    pub suffixes: Vec<String>,
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
            prefixes: Vec::new(),
            suffixes: Vec::new(),
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

    /// Its API version (`v1` of `apps/v1`).
    pub fn version(&self) -> &str {
        self.api_version()
            .rsplit_once('/')
            .map_or(self.api_version(), |(_, version)| version)
    }

    /// Whether it is a kind Kubernetes keeps outside namespaces (as Kustomize knows them: the
    /// built-in cluster-scoped kinds of the versions it knows; any other kind is namespaced).
    pub fn is_cluster_scoped(&self) -> bool {
        is_cluster_scoped(self.api_version(), self.kind())
    }

    /// The namespace Kustomize compares it by: `default` when unset, nothing for a
    /// cluster-scoped object.
    pub fn effective_namespace(&self) -> &str {
        effective_namespace(self.namespace(), self.is_cluster_scoped())
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

/// The namespace Kustomize compares an object by (`default` when unset, nothing when the
/// object is cluster-scoped).
pub fn effective_namespace(namespace: Option<&str>, cluster_scoped: bool) -> &str {
    if cluster_scoped {
        ""
    } else {
        namespace.unwrap_or("default")
    }
}

/// The built-in cluster-scoped kinds Kustomize knows, by API group, with the versions it
/// knows them in.
const CLUSTER_SCOPED: [(&str, &[&str], &[&str]); 13] = [
    (
        "",
        &["v1"],
        &[
            "ComponentStatus",
            "Namespace",
            "Node",
            "NodeProxyOptions",
            "PersistentVolume",
        ],
    ),
    (
        "admissionregistration.k8s.io",
        &["v1", "v1beta1"],
        &[
            "MutatingWebhookConfiguration",
            "ValidatingWebhookConfiguration",
        ],
    ),
    (
        "admissionregistration.k8s.io",
        &["v1"],
        &[
            "ValidatingAdmissionPolicy",
            "ValidatingAdmissionPolicyBinding",
        ],
    ),
    (
        "apiextensions.k8s.io",
        &["v1", "v1beta1"],
        &["CustomResourceDefinition"],
    ),
    (
        "apiregistration.k8s.io",
        &["v1", "v1beta1"],
        &["APIService"],
    ),
    (
        "certificates.k8s.io",
        &["v1", "v1beta1"],
        &["CertificateSigningRequest"],
    ),
    (
        "flowcontrol.apiserver.k8s.io",
        &["v1beta1"],
        &["FlowSchema", "PriorityLevelConfiguration"],
    ),
    ("networking.k8s.io", &["v1", "v1beta1"], &["IngressClass"]),
    ("node.k8s.io", &["v1", "v1beta1"], &["RuntimeClass"]),
    ("policy", &["v1beta1"], &["PodSecurityPolicy"]),
    ("scheduling.k8s.io", &["v1", "v1beta1"], &["PriorityClass"]),
    (
        "rbac.authorization.k8s.io",
        &["v1", "v1beta1"],
        &["ClusterRole", "ClusterRoleBinding"],
    ),
    (
        "storage.k8s.io",
        &["v1", "v1beta1"],
        &["CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"],
    ),
];

/// Whether `kind` of `api_version` is cluster-scoped as Kustomize knows it.
pub fn is_cluster_scoped(api_version: &str, kind: &str) -> bool {
    let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
    CLUSTER_SCOPED.iter().any(|(g, versions, kinds)| {
        *g == group && versions.contains(&version) && kinds.contains(&kind)
    })
}
