//! A Kubernetes view of a document: the objects it holds and their pod templates.

use crate::{Document, NodeId, Span, Tree};

/// The Kubernetes namespace of objects that name none.
pub const DEFAULT_NAMESPACE: &str = "default";

/// The ServiceAccount of pods that name none.
pub const DEFAULT_SERVICE_ACCOUNT: &str = "default";

/// A Kubernetes object: a mapping with string `apiVersion` and `kind`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct K8sObject {
    /// The object's mapping node.
    pub node: NodeId,
    /// `apiVersion`, e.g. `apps/v1`.
    pub api_version: String,
    /// `kind`, e.g. `Deployment`.
    pub kind: String,
    /// `metadata.name`.
    pub name: Option<String>,
    /// `metadata.namespace` as written.
    pub namespace: Option<String>,
    /// The `metadata` mapping.
    pub metadata: Option<NodeId>,
    /// The `metadata.labels` mapping.
    pub labels: Option<NodeId>,
    /// The `metadata.annotations` mapping.
    pub annotations: Option<NodeId>,
    /// The pod template, for Pods and the workloads that create them.
    pub pod_template: Option<PodTemplate>,
}

/// Where a workload keeps the pod it runs: the template's metadata and pod spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodTemplate {
    /// The template node (for a Pod, the object itself).
    pub node: NodeId,
    /// The key the template sits under (`template`); `None` for a Pod.
    pub key: Option<NodeId>,
    /// The template's `metadata` mapping.
    pub metadata: Option<NodeId>,
    /// The template's `metadata.labels` mapping.
    pub labels: Option<NodeId>,
    /// The template's `metadata.annotations` mapping.
    pub annotations: Option<NodeId>,
    /// The pod spec.
    pub spec: Option<NodeId>,
}

/// Which list of a pod spec a container is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ContainerList {
    /// `containers`.
    Containers,
    /// `initContainers`.
    InitContainers,
    /// `ephemeralContainers`.
    EphemeralContainers,
}

impl ContainerList {
    /// Every container list of a pod spec.
    pub const ALL: [ContainerList; 3] = [
        ContainerList::Containers,
        ContainerList::InitContainers,
        ContainerList::EphemeralContainers,
    ];

    /// The pod spec key.
    pub fn key(self) -> &'static str {
        match self {
            ContainerList::Containers => "containers",
            ContainerList::InitContainers => "initContainers",
            ContainerList::EphemeralContainers => "ephemeralContainers",
        }
    }
}

impl K8sObject {
    /// The object's API group (`""` for the core group).
    pub fn group(&self) -> &str {
        self.api_version
            .rsplit_once('/')
            .map_or("", |(group, _)| group)
    }

    /// Whether the object is of this group and kind.
    pub fn is(&self, group: &str, kind: &str) -> bool {
        self.kind == kind && self.group() == group
    }

    /// The namespace the object lands in: `metadata.namespace`, else `default`.
    pub fn effective_namespace(&self) -> &str {
        self.namespace.as_deref().unwrap_or(DEFAULT_NAMESPACE)
    }

    /// `kind/name` (or `kind` alone) for messages.
    pub fn display_name(&self) -> String {
        match &self.name {
            Some(name) => format!("{} {}", self.kind, name),
            None => self.kind.clone(),
        }
    }

    /// The object's identity for baselines and fingerprints: `Deployment shop/orders`, or
    /// `ClusterRoleBinding admins` when it names no namespace.
    pub fn identity(&self) -> String {
        match (&self.namespace, &self.name) {
            (Some(namespace), Some(name)) => format!("{} {namespace}/{name}", self.kind),
            (None, Some(name)) => format!("{} {name}", self.kind),
            _ => self.kind.clone(),
        }
    }

    /// The span best used to point at the whole object: its `kind` value, else the object.
    pub fn anchor_span(&self, tree: &Tree) -> Span {
        tree.get(self.node, "kind")
            .map_or_else(|| tree.span(self.node), |kind| tree.span(kind))
    }

    /// The value of an annotation.
    pub fn annotation<'t>(&self, tree: &'t Tree, key: &str) -> Option<&'t str> {
        self.annotations
            .and_then(|a| tree.get(a, key))
            .and_then(|v| tree.str(v))
    }
}

impl PodTemplate {
    /// Where to point when something is missing from the template's labels: the `labels` key,
    /// else the template's `metadata` key, else its `template` key, else `fallback`.
    pub fn labels_anchor(&self, tree: &Tree, fallback: Span) -> Span {
        let key_span = |map: Option<NodeId>, key: &str| {
            map.and_then(|m| tree.entry(m, key))
                .map(|e| tree.span(e.key))
        };
        key_span(self.metadata, "labels")
            .or_else(|| key_span(Some(self.node), "metadata"))
            .or_else(|| self.key.map(|k| tree.span(k)))
            .unwrap_or(fallback)
    }

    /// The containers of every list, in order, with the list each is in.
    pub fn containers<'t>(
        &self,
        tree: &'t Tree,
    ) -> impl Iterator<Item = (ContainerList, NodeId)> + 't {
        let spec = self.spec;
        ContainerList::ALL.into_iter().flat_map(move |list| {
            let items = spec
                .and_then(|s| tree.get(s, list.key()))
                .map_or(&[][..], |seq| tree.items(seq));
            items.iter().map(move |&c| (list, c))
        })
    }

    /// The ServiceAccount the pod runs as (`serviceAccountName`, else the deprecated
    /// `serviceAccount`, else `default`) and the span of the value when it is written.
    pub fn service_account<'t>(&self, tree: &'t Tree) -> (&'t str, Option<Span>) {
        let written = self.spec.and_then(|spec| {
            ["serviceAccountName", "serviceAccount"]
                .into_iter()
                .find_map(|key| tree.get(spec, key).filter(|&v| tree.str(v).is_some()))
        });
        match written {
            Some(value) => (
                tree.str(value).unwrap_or(DEFAULT_SERVICE_ACCOUNT),
                Some(tree.span(value)),
            ),
            None => (DEFAULT_SERVICE_ACCOUNT, None),
        }
    }
}

/// The Kubernetes objects of a document: its root if that is an object, or each item of a
/// `kind: List` (or `…List`) root.
pub fn objects(document: &Document) -> Vec<K8sObject> {
    let tree = &document.tree;
    let Some(root) = document.root else {
        return Vec::new();
    };
    let Some(object) = object_at(tree, root) else {
        return Vec::new();
    };
    if object.kind.ends_with("List")
        && let Some(items) = tree.get(root, "items")
        && tree.is_sequence(items)
    {
        return tree
            .items(items)
            .iter()
            .filter_map(|&item| object_at(tree, item))
            .collect();
    }
    vec![object]
}

/// The object at `node`, if it is a mapping with string `apiVersion` and `kind`.
pub fn object_at(tree: &Tree, node: NodeId) -> Option<K8sObject> {
    let api_version = tree.get(node, "apiVersion").and_then(|v| tree.str(v))?;
    let kind = tree.get(node, "kind").and_then(|v| tree.str(v))?;
    let metadata = tree.get(node, "metadata").filter(|&m| tree.is_mapping(m));
    let meta_str = |key: &str| {
        metadata
            .and_then(|m| tree.get(m, key))
            .and_then(|v| tree.str(v))
            .map(str::to_owned)
    };
    let meta_map = |key: &str| {
        metadata
            .and_then(|m| tree.get(m, key))
            .filter(|&v| tree.is_mapping(v))
    };
    let mut object = K8sObject {
        node,
        api_version: api_version.to_owned(),
        kind: kind.to_owned(),
        name: meta_str("name"),
        namespace: meta_str("namespace"),
        metadata,
        labels: meta_map("labels"),
        annotations: meta_map("annotations"),
        pod_template: None,
    };
    object.pod_template = pod_template(tree, &object);
    Some(object)
}

fn pod_template(tree: &Tree, object: &K8sObject) -> Option<PodTemplate> {
    let group = object.group();
    let parent_path: &[&str] = match object.kind.as_str() {
        "Pod" if group.is_empty() => {
            return Some(template_at(tree, object.node, None));
        }
        "PodTemplate" if group.is_empty() => &[],
        "ReplicationController" if group.is_empty() => &["spec"],
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet"
            if group == "apps" || group == "extensions" =>
        {
            &["spec"]
        }
        "Job" if group == "batch" => &["spec"],
        "CronJob" if group == "batch" => &["spec", "jobTemplate", "spec"],
        "Rollout" if group == "argoproj.io" => &["spec"],
        _ => return None,
    };
    let entry = tree.entry(tree.path(object.node, parent_path)?, "template")?;
    tree.is_mapping(entry.value)
        .then(|| template_at(tree, entry.value, Some(entry.key)))
}

fn template_at(tree: &Tree, template: NodeId, key: Option<NodeId>) -> PodTemplate {
    let metadata = tree
        .get(template, "metadata")
        .filter(|&m| tree.is_mapping(m));
    let meta_map = |key: &str| {
        metadata
            .and_then(|m| tree.get(m, key))
            .filter(|&v| tree.is_mapping(v))
    };
    PodTemplate {
        node: template,
        key,
        metadata,
        labels: meta_map("labels"),
        annotations: meta_map("annotations"),
        spec: tree.get(template, "spec").filter(|&s| tree.is_mapping(s)),
    }
}
