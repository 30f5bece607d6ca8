//! Generated objects' names suffixed with the hash of their content, and references between
//! objects updated when the objects they name were renamed (a prefix, a suffix, a namespace,
//! a hash): a Deployment's `configMapRef` follows its ConfigMap. A reference keeps the place
//! it was written; only its text changes.

use crate::build::Build;
use crate::generators::name_hash;
use crate::node::{Node, Value};
use crate::resource::{Resource, effective_namespace};
use crate::transformers::field_specs::{self, Create, FieldSpec};

/// Appends `-<hash>` to the name of every generated object that asks for one.
pub fn add_hash_suffixes(resources: &mut [Resource]) {
    for resource in resources.iter_mut() {
        if !resource.generated.as_ref().is_some_and(|g| g.hash_suffix) {
            continue;
        }
        let hash = name_hash(&resource.node);
        resource.remember_name();
        if let Some(name) = resource.node.path_mut(&["metadata", "name"]) {
            let renamed = format!("{}-{hash}", name.scalar_text().unwrap_or_default());
            name.value = Value::Str(renamed);
        }
    }
}

/// A kind of reference: a field (`path`) of referrers (`referrer_kind`, of a group and
/// version when given) that names objects of `kind`.
struct Reference {
    kind: &'static str,
    group: &'static str,
    version: &'static str,
    referrer_kind: &'static str,
    referrer_group: &'static str,
    referrer_version: &'static str,
    path: String,
}

impl Reference {
    /// The referring field as a field spec.
    fn referrer(&self) -> FieldSpec<'_> {
        FieldSpec::new(self.referrer_kind, &self.path, false)
            .in_group(self.referrer_group)
            .in_version(self.referrer_version)
    }
}

/// Where pods are specified, by kind: the kind, the version it must have (any when empty)
/// and the path of its pod spec.
const POD_SPECS: [(&str, &str, &str); 9] = [
    ("Pod", "v1", "spec"),
    ("PodTemplate", "", "template/spec"),
    ("Deployment", "", "spec/template/spec"),
    ("ReplicaSet", "", "spec/template/spec"),
    ("DaemonSet", "", "spec/template/spec"),
    ("StatefulSet", "", "spec/template/spec"),
    ("Job", "", "spec/template/spec"),
    ("CronJob", "", "spec/jobTemplate/spec/template/spec"),
    ("ReplicationController", "", "spec/template/spec"),
];

/// The pod spec fields that name a ConfigMap.
const CONFIG_MAP_FIELDS: [&str; 6] = [
    "volumes/configMap/name",
    "containers/env/valueFrom/configMapKeyRef/name",
    "initContainers/env/valueFrom/configMapKeyRef/name",
    "containers/envFrom/configMapRef/name",
    "initContainers/envFrom/configMapRef/name",
    "volumes/projected/sources/configMap/name",
];

/// The pod spec fields that name a Secret.
const SECRET_FIELDS: [&str; 7] = [
    "volumes/secret/secretName",
    "containers/env/valueFrom/secretKeyRef/name",
    "initContainers/env/valueFrom/secretKeyRef/name",
    "containers/envFrom/secretRef/name",
    "initContainers/envFrom/secretRef/name",
    "imagePullSecrets/name",
    "volumes/projected/sources/secret/name",
];

/// Fields outside pod specs that name objects: (kind named, its group, referrer kind,
/// referrer group, path).
const OTHER_FIELDS: [(&str, &str, &str, &str, &str); 37] = [
    ("ConfigMap", "", "Node", "", "spec/configSource/configMap"),
    ("ConfigMap", "", "Role", "", "rules/resourceNames"),
    ("ConfigMap", "", "ClusterRole", "", "rules/resourceNames"),
    (
        "ConfigMap",
        "",
        "Ingress",
        "",
        "metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap",
    ),
    ("Secret", "", "Ingress", "", "spec/tls/secretName"),
    (
        "Secret",
        "",
        "Ingress",
        "",
        "metadata/annotations/ingress.kubernetes.io\\/auth-secret",
    ),
    (
        "Secret",
        "",
        "Ingress",
        "",
        "metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret",
    ),
    (
        "Secret",
        "",
        "Ingress",
        "",
        "metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret",
    ),
    ("Secret", "", "ServiceAccount", "", "imagePullSecrets/name"),
    ("Secret", "", "StorageClass", "", "parameters/secretName"),
    (
        "Secret",
        "",
        "StorageClass",
        "",
        "parameters/adminSecretName",
    ),
    (
        "Secret",
        "",
        "StorageClass",
        "",
        "parameters/userSecretName",
    ),
    ("Secret", "", "StorageClass", "", "parameters/secretRef"),
    ("Secret", "", "Role", "", "rules/resourceNames"),
    ("Secret", "", "ClusterRole", "", "rules/resourceNames"),
    (
        "Secret",
        "",
        "Service",
        "serving.knative.dev",
        "spec/template/spec/containers/env/valueFrom/secretKeyRef/name",
    ),
    (
        "Secret",
        "",
        "PersistentVolume",
        "",
        "spec/azureFile/secretName",
    ),
    ("Service", "", "StatefulSet", "apps", "spec/serviceName"),
    (
        "Service",
        "",
        "Ingress",
        "",
        "spec/rules/http/paths/backend/serviceName",
    ),
    ("Service", "", "Ingress", "", "spec/backend/serviceName"),
    (
        "Service",
        "",
        "Ingress",
        "",
        "spec/rules/http/paths/backend/service/name",
    ),
    (
        "Service",
        "",
        "Ingress",
        "",
        "spec/defaultBackend/service/name",
    ),
    (
        "Service",
        "",
        "APIService",
        "apiregistration.k8s.io",
        "spec/service/name",
    ),
    (
        "Service",
        "",
        "ValidatingWebhookConfiguration",
        "admissionregistration.k8s.io",
        "webhooks/clientConfig/service",
    ),
    (
        "Service",
        "",
        "MutatingWebhookConfiguration",
        "admissionregistration.k8s.io",
        "webhooks/clientConfig/service",
    ),
    (
        "Role",
        "rbac.authorization.k8s.io",
        "RoleBinding",
        "rbac.authorization.k8s.io",
        "roleRef/name",
    ),
    (
        "ClusterRole",
        "rbac.authorization.k8s.io",
        "RoleBinding",
        "rbac.authorization.k8s.io",
        "roleRef/name",
    ),
    (
        "ClusterRole",
        "rbac.authorization.k8s.io",
        "ClusterRoleBinding",
        "rbac.authorization.k8s.io",
        "roleRef/name",
    ),
    (
        "ServiceAccount",
        "",
        "RoleBinding",
        "rbac.authorization.k8s.io",
        "subjects",
    ),
    (
        "ServiceAccount",
        "",
        "ClusterRoleBinding",
        "rbac.authorization.k8s.io",
        "subjects",
    ),
    (
        "PersistentVolume",
        "",
        "PersistentVolumeClaim",
        "",
        "spec/volumeName",
    ),
    (
        "PersistentVolume",
        "",
        "ClusterRole",
        "",
        "rules/resourceNames",
    ),
    (
        "StorageClass",
        "storage.k8s.io",
        "PersistentVolume",
        "",
        "spec/storageClassName",
    ),
    (
        "StorageClass",
        "storage.k8s.io",
        "PersistentVolumeClaim",
        "",
        "spec/storageClassName",
    ),
    (
        "StorageClass",
        "storage.k8s.io",
        "StatefulSet",
        "",
        "spec/volumeClaimTemplates/spec/storageClassName",
    ),
    (
        "ValidatingAdmissionPolicy",
        "admissionregistration.k8s.io",
        "ValidatingAdmissionPolicyBinding",
        "admissionregistration.k8s.io",
        "spec/policyName",
    ),
    (
        "Deployment",
        "",
        "HorizontalPodAutoscaler",
        "",
        "spec/scaleTargetRef/name",
    ),
];

/// The workload kinds an HPA's `scaleTargetRef` follows besides Deployments.
const SCALED_KINDS: [&str; 3] = ["ReplicationController", "ReplicaSet", "StatefulSet"];

/// The pod spec fields that name objects of other kinds, with the kinds whose pod specs
/// Kustomize follows for them (not PodTemplate nor ReplicaSet).
const POD_FIELDS_BEYOND_CONFIG: [(&str, &str, &str); 3] = [
    ("ServiceAccount", "", "serviceAccountName"),
    (
        "PersistentVolumeClaim",
        "",
        "volumes/persistentVolumeClaim/claimName",
    ),
    ("PriorityClass", "scheduling.k8s.io", "priorityClassName"),
];

/// The version a referenced kind must have (Kustomize names `v1` for the core kinds and
/// the storage and scheduling ones).
fn version_of(kind: &str) -> &'static str {
    match kind {
        "ConfigMap"
        | "Secret"
        | "Service"
        | "ServiceAccount"
        | "PersistentVolumeClaim"
        | "PersistentVolume"
        | "StorageClass"
        | "PriorityClass" => "v1",
        _ => "",
    }
}

/// Every kind of reference Kustomize follows.
fn references() -> Vec<Reference> {
    let mut references = Vec::new();
    let mut add = |(kind, group): (&'static str, &'static str),
                   (referrer_kind, referrer_group, referrer_version): (
        &'static str,
        &'static str,
        &'static str,
    ),
                   path: String| {
        references.push(Reference {
            kind,
            group,
            version: version_of(kind),
            referrer_kind,
            referrer_group,
            referrer_version,
            path,
        });
    };
    for (holder, version, prefix) in POD_SPECS {
        let referrer = (holder, "", version);
        if holder != "ReplicationController" {
            for field in CONFIG_MAP_FIELDS {
                add(("ConfigMap", ""), referrer, format!("{prefix}/{field}"));
            }
            for field in SECRET_FIELDS {
                add(("Secret", ""), referrer, format!("{prefix}/{field}"));
            }
        }
        if !matches!(holder, "PodTemplate" | "ReplicaSet") {
            for (kind, group, field) in POD_FIELDS_BEYOND_CONFIG {
                add((kind, group), referrer, format!("{prefix}/{field}"));
            }
        }
    }
    for (kind, group, referrer, referrer_group, path) in OTHER_FIELDS {
        add(
            (kind, group),
            (referrer, referrer_group, ""),
            path.to_owned(),
        );
    }
    for kind in SCALED_KINDS {
        let referrer = ("HorizontalPodAutoscaler", "", "");
        add((kind, ""), referrer, "spec/scaleTargetRef/name".to_owned());
    }
    references
}

/// What a reference is matched against: an object's identity now and the names it had.
struct Candidate {
    kind: String,
    group: String,
    version: String,
    name: String,
    namespace: Option<String>,
    cluster_scoped: bool,
    previous_names: Vec<(Option<String>, String)>,
    prefixes: Vec<String>,
    suffixes: Vec<String>,
    /// Its `metadata.namespace` as written (a reference that gets the namespace gets it
    /// from there).
    namespace_node: Option<Node>,
}

impl Candidate {
    fn of(resource: &Resource) -> Candidate {
        Candidate {
            kind: resource.kind().to_owned(),
            group: resource.group().to_owned(),
            version: resource.version().to_owned(),
            name: resource.name().to_owned(),
            namespace: resource.namespace().map(str::to_owned),
            cluster_scoped: resource.is_cluster_scoped(),
            previous_names: resource.previous_names.clone(),
            prefixes: resource.prefixes.clone(),
            suffixes: resource.suffixes.clone(),
            namespace_node: resource.node.path(&["metadata", "namespace"]).cloned(),
        }
    }

    fn effective_namespace(&self) -> &str {
        effective_namespace(self.namespace.as_deref(), self.cluster_scoped)
    }

    /// The namespace it was first written with, as Kustomize compares it.
    fn original_namespace(&self) -> &str {
        match self.previous_names.first() {
            Some((namespace, _)) => effective_namespace(namespace.as_deref(), self.cluster_scoped),
            None => self.effective_namespace(),
        }
    }

    /// Whether it is of `kind` (and `group`, `version` when given).
    fn is_kind(&self, kind: &str, group: &str, version: &str) -> bool {
        self.kind == kind
            && (group.is_empty() || self.group == group)
            && (version.is_empty() || self.version == version)
    }
}

/// The referrer a reference is resolved for.
struct Referrer<'a> {
    candidate: &'a Candidate,
    /// `roleRef`'s group and kind, for a role binding's `roleRef/name`.
    role_ref: Option<(String, String)>,
    /// The namespaces of the ServiceAccounts a RoleBinding's subjects name.
    subject_namespaces: Vec<String>,
}

/// Updates every reference written with an old name of an object to the object's name now
/// (and namespace, for references that name one); an ambiguous reference is an error at its
/// place.
pub fn fix_references(resources: &mut [Resource], build: &mut Build) {
    let candidates: Vec<Candidate> = resources.iter().map(Candidate::of).collect();
    let references = references();
    for (at, resource) in resources.iter_mut().enumerate() {
        let subject_namespaces = if resource.kind() == "RoleBinding" {
            subject_namespaces(&resource.node)
        } else {
            Vec::new()
        };
        for reference in &references {
            let spec = reference.referrer();
            if !spec.selects(resource) {
                continue;
            }
            let role_ref = reference.path.ends_with("roleRef/name").then(|| {
                let text = |key: &str| resource.node.str_at(&["roleRef", key]).map(str::to_owned);
                text("apiGroup").zip(text("kind"))
            });
            let referrer = Referrer {
                candidate: &candidates[at],
                role_ref: role_ref.flatten(),
                subject_namespaces: subject_namespaces.clone(),
            };
            let mut problem = None;
            let mut set = |field: &mut Node| {
                if let Err(message) = resolve(field, reference, &referrer, &candidates) {
                    problem.get_or_insert((field.origin, message));
                }
                Ok(())
            };
            let origin = resource.node.origin;
            // The walk itself only fails on a scalar in the middle of a path, which is no
            // reference.
            let _ = field_specs::apply(resource, &spec, Create::Never, origin, &mut set);
            if let Some((origin, message)) = problem {
                build.error(origin, message);
            }
        }
    }
}

/// The namespaces of the ServiceAccount subjects of a RoleBinding.
fn subject_namespaces(binding: &Node) -> Vec<String> {
    binding
        .get("subjects")
        .and_then(Node::items)
        .unwrap_or_default()
        .iter()
        .filter(|s| s.str_at(&["kind"]) == Some("ServiceAccount"))
        .filter_map(|s| s.str_at(&["namespace"]).map(str::to_owned))
        .collect()
}

/// Resolves the reference(s) at a reached field: a name, a mapping with a `name` (and
/// `namespace`), or a sequence of either.
fn resolve(
    field: &mut Node,
    reference: &Reference,
    referrer: &Referrer,
    candidates: &[Candidate],
) -> Result<(), String> {
    match &mut field.value {
        Value::Seq(items) => items
            .iter_mut()
            .try_for_each(|item| resolve(item, reference, referrer, candidates)),
        Value::Map(_) => resolve_mapping(field, reference, referrer, candidates),
        Value::Str(old) => {
            let pool = reachable(referrer, candidates);
            let chosen = select(old, pool, reference, referrer, |c| c.name.clone())?;
            if let Some(chosen) = chosen {
                *old = chosen.name.clone();
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// A reference written as a mapping: its `name` follows the object, and its `namespace` is
/// set to the object's when the object has one.
fn resolve_mapping(
    field: &mut Node,
    reference: &Reference,
    referrer: &Referrer,
    candidates: &[Candidate],
) -> Result<(), String> {
    let Some(old) = field.str_at(&["name"]).map(str::to_owned) else {
        return Ok(());
    };
    let pool = reachable(referrer, candidates);
    let pool: Vec<&Candidate> = match field.str_at(&["namespace"]) {
        None => pool,
        Some(namespace) => {
            let original: Vec<&Candidate> = pool
                .iter()
                .copied()
                .filter(|c| !c.cluster_scoped && c.original_namespace() == namespace)
                .collect();
            if original.is_empty() {
                pool.into_iter()
                    .filter(|c| !c.cluster_scoped && c.effective_namespace() == namespace)
                    .collect()
            } else {
                original
            }
        }
    };
    let identity = |c: &Candidate| format!("{}/{:?}", c.name, c.namespace);
    let Some(chosen) = select(&old, pool, reference, referrer, identity)? else {
        return Ok(());
    };
    if chosen.name == old && chosen.namespace.is_none() {
        return Ok(());
    }
    if let Some(name) = field.get_mut("name") {
        name.value = Value::Str(chosen.name.clone());
    }
    if let (Some(namespace), Some(written)) = (&chosen.namespace, &chosen.namespace_node) {
        let origin = written.origin;
        match field.get_mut("namespace") {
            Some(existing) => existing.value = Value::Str(namespace.clone()),
            None => field.set("namespace", Node::str(namespace.clone(), origin), origin),
        }
    }
    Ok(())
}

/// The objects a referrer may name: any for a cluster-scoped referrer; else the
/// cluster-scoped ones, those of its namespace and (for a RoleBinding) those of its
/// subjects' namespaces.
fn reachable<'a>(referrer: &Referrer, candidates: &'a [Candidate]) -> Vec<&'a Candidate> {
    let me = referrer.candidate;
    candidates
        .iter()
        .filter(|c| {
            me.cluster_scoped
                || c.cluster_scoped
                || c.effective_namespace() == me.effective_namespace()
                || c.namespace
                    .as_ref()
                    .is_some_and(|ns| referrer.subject_namespaces.contains(ns))
        })
        .collect()
}

/// The object a reference written as `old` names, as Kustomize chooses it among `pool`:
/// objects renamed from `old`, of the kind referred to, in the referrer's namespace; when
/// several remain, those renamed with the referrer's prefixes and suffixes; several that
/// are the same `identity` are one.
fn select<'a>(
    old: &str,
    pool: Vec<&'a Candidate>,
    reference: &Reference,
    referrer: &Referrer,
    identity: impl Fn(&Candidate) -> String,
) -> Result<Option<&'a Candidate>, String> {
    let me = referrer.candidate;
    let mut found: Vec<&Candidate> = pool
        .into_iter()
        .filter(|c| c.previous_names.iter().any(|(_, name)| name == old))
        .filter(|c| c.is_kind(reference.kind, reference.group, reference.version))
        .filter(|c| {
            referrer
                .role_ref
                .as_ref()
                .is_none_or(|(group, kind)| c.is_kind(kind, group, ""))
        })
        .filter(|c| {
            me.cluster_scoped
                || c.cluster_scoped
                || c.kind == "ServiceAccount"
                || c.effective_namespace() == me.effective_namespace()
        })
        .collect();
    if found.len() == 1 {
        return Ok(found.pop());
    }
    found.retain(|c| same_affixes(c, me, true));
    if found.len() > 1 {
        found.retain(|c| same_affixes(c, me, false));
    }
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one)),
        [first, rest @ ..] if rest.iter().all(|c| identity(c) == identity(first)) => {
            Ok(Some(first))
        }
        _ => Err(format!(
            "found multiple possible referrals for `{old}`: {}",
            found
                .iter()
                .map(|c| format!("{} `{}`", c.kind, c.name))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Whether two objects were renamed with the same prefixes and suffixes (the shorter list
/// ending the longer); with `allow_empty`, an object without any matches.
fn same_affixes(a: &Candidate, b: &Candidate, allow_empty: bool) -> bool {
    let ends_alike = |x: &[String], y: &[String]| {
        let (short, long) = if x.len() <= y.len() { (x, y) } else { (y, x) };
        if short.is_empty() {
            return long.is_empty();
        }
        long.ends_with(short)
    };
    let fits = |x: &[String], y: &[String]| {
        (allow_empty && (x.is_empty() || y.is_empty())) || ends_alike(x, y)
    };
    fits(&a.prefixes, &b.prefixes) && fits(&a.suffixes, &b.suffixes)
}
