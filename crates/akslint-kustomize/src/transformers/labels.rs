//! `labels`, `commonLabels` and `commonAnnotations`: entries written into objects' metadata,
//! and (as Kustomize's field specs say) into selectors and pod templates.

use super::field_specs::{self, Create, FieldSpec};
use crate::build::Build;
use crate::kustomization::Kustomization;
use crate::node::{Entry, Node, Origin, Value};
use crate::resource::Resource;

/// The pod template labels of the workloads (and `metadata.labels` of every object).
const TEMPLATE_LABELS: [FieldSpec; 9] = [
    FieldSpec::new("", "metadata/labels", true),
    FieldSpec::new(
        "ReplicationController",
        "spec/template/metadata/labels",
        true,
    )
    .in_version("v1"),
    FieldSpec::new("Deployment", "spec/template/metadata/labels", true),
    FieldSpec::new("ReplicaSet", "spec/template/metadata/labels", true),
    FieldSpec::new("DaemonSet", "spec/template/metadata/labels", true),
    FieldSpec::new("StatefulSet", "spec/template/metadata/labels", true).in_group("apps"),
    FieldSpec::new("Job", "spec/template/metadata/labels", true).in_group("batch"),
    FieldSpec::new("CronJob", "spec/jobTemplate/metadata/labels", true).in_group("batch"),
    FieldSpec::new(
        "CronJob",
        "spec/jobTemplate/spec/template/metadata/labels",
        true,
    )
    .in_group("batch"),
];

/// The labels of a StatefulSet's volume claim templates.
const CLAIM_TEMPLATE_LABELS: FieldSpec = FieldSpec::new(
    "StatefulSet",
    "spec/volumeClaimTemplates[]/metadata/labels",
    true,
)
.in_group("apps");

/// The pod affinity and spread selectors of a pod template, under `spec/template/spec`.
const POD_SELECTORS: [&str; 5] = [
    "spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
    "spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
    "spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
    "spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
    "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels",
];

/// The selectors `commonLabels` (and `labels` with `includeSelectors`) write into.
fn selector_specs() -> Vec<FieldSpec<'static>> {
    let mut specs = vec![
        FieldSpec::new("Service", "spec/selector", true).in_version("v1"),
        FieldSpec::new("ReplicationController", "spec/selector", true).in_version("v1"),
        FieldSpec::new("Deployment", "spec/selector/matchLabels", true),
    ];
    specs.extend(
        POD_SELECTORS.map(|path| FieldSpec::new("Deployment", path, false).in_group("apps")),
    );
    specs.push(FieldSpec::new(
        "ReplicaSet",
        "spec/selector/matchLabels",
        true,
    ));
    specs.push(FieldSpec::new(
        "DaemonSet",
        "spec/selector/matchLabels",
        true,
    ));
    specs.push(FieldSpec::new("StatefulSet", "spec/selector/matchLabels", true).in_group("apps"));
    specs.extend(
        POD_SELECTORS.map(|path| FieldSpec::new("StatefulSet", path, false).in_group("apps")),
    );
    specs.extend([
        FieldSpec::new("Job", "spec/selector/matchLabels", false).in_group("batch"),
        FieldSpec::new(
            "CronJob",
            "spec/jobTemplate/spec/selector/matchLabels",
            false,
        )
        .in_group("batch"),
        FieldSpec::new("PodDisruptionBudget", "spec/selector/matchLabels", false)
            .in_group("policy"),
        FieldSpec::new("NetworkPolicy", "spec/podSelector/matchLabels", false)
            .in_group("networking.k8s.io"),
        FieldSpec::new(
            "NetworkPolicy",
            "spec/ingress/from/podSelector/matchLabels",
            false,
        )
        .in_group("networking.k8s.io"),
        FieldSpec::new(
            "NetworkPolicy",
            "spec/egress/to/podSelector/matchLabels",
            false,
        )
        .in_group("networking.k8s.io"),
    ]);
    specs.extend(TEMPLATE_LABELS);
    specs.push(CLAIM_TEMPLATE_LABELS);
    specs
}

/// `labels` (each entry with its own reach) then `commonLabels` (metadata, selectors and
/// templates).
pub fn labels(kustomization: &Kustomization, resources: &mut [Resource], build: &mut Build) {
    for entry in kustomization.list("labels") {
        let flag = |key: &str| entry.get(key).is_some_and(|v| v.value == Value::Bool(true));
        let custom: Vec<(String, String, String, String, bool)> = entry
            .get("fields")
            .and_then(Node::items)
            .unwrap_or_default()
            .iter()
            .map(|field| {
                let text = |key: &str| {
                    field
                        .get(key)
                        .and_then(Node::scalar_text)
                        .unwrap_or_default()
                };
                let create = field
                    .get("create")
                    .is_some_and(|v| v.value == Value::Bool(true));
                (
                    text("group"),
                    text("version"),
                    text("kind"),
                    text("path"),
                    create,
                )
            })
            .collect();
        let mut specs: Vec<FieldSpec> = custom
            .iter()
            .map(|(group, version, kind, path, create)| FieldSpec {
                group,
                version,
                kind,
                path,
                create: *create,
            })
            .collect();
        if flag("includeSelectors") {
            specs.extend(selector_specs());
        } else {
            // Kustomize v5.8's template labels include the volume claim templates'.
            if flag("includeTemplates") {
                specs.extend(TEMPLATE_LABELS);
                specs.push(CLAIM_TEMPLATE_LABELS);
            }
            specs.push(TEMPLATE_LABELS[0]);
        }
        let pairs = entry
            .get("pairs")
            .and_then(Node::entries)
            .unwrap_or_default();
        write_entries(pairs, &specs, resources, entry.origin, build);
    }
    if let Some(common) = kustomization.field("commonLabels") {
        let pairs = common.entries().unwrap_or_default();
        write_entries(pairs, &selector_specs(), resources, common.origin, build);
    }
}

/// The annotations `commonAnnotations` writes: every object's and the pod templates'.
const ANNOTATION_SPECS: [FieldSpec; 9] = [
    FieldSpec::new("", "metadata/annotations", true),
    FieldSpec::new(
        "ReplicationController",
        "spec/template/metadata/annotations",
        true,
    )
    .in_version("v1"),
    FieldSpec::new("Deployment", "spec/template/metadata/annotations", true),
    FieldSpec::new("ReplicaSet", "spec/template/metadata/annotations", true),
    FieldSpec::new("DaemonSet", "spec/template/metadata/annotations", true),
    FieldSpec::new("StatefulSet", "spec/template/metadata/annotations", true),
    FieldSpec::new("Job", "spec/template/metadata/annotations", true).in_group("batch"),
    FieldSpec::new("CronJob", "spec/jobTemplate/metadata/annotations", true).in_group("batch"),
    FieldSpec::new(
        "CronJob",
        "spec/jobTemplate/spec/template/metadata/annotations",
        true,
    )
    .in_group("batch"),
];

/// `commonAnnotations`: written into every object's metadata and its pod templates.
pub fn annotations(kustomization: &Kustomization, resources: &mut [Resource], build: &mut Build) {
    if let Some(common) = kustomization.field("commonAnnotations") {
        let pairs = common.entries().unwrap_or_default();
        write_entries(pairs, &ANNOTATION_SPECS, resources, common.origin, build);
    }
}

/// Writes each entry (in key order, a string valued where it was written) into the mappings
/// `specs` reach in every object; a field that is not a mapping is an error at `origin`.
fn write_entries(
    pairs: &[Entry],
    specs: &[FieldSpec],
    resources: &mut [Resource],
    origin: Origin,
    build: &mut Build,
) {
    let mut sorted: Vec<&Entry> = pairs.iter().collect();
    sorted.sort_by(|a, b| a.key.cmp(&b.key));
    for resource in resources.iter_mut() {
        for pair in &sorted {
            let value = Node::str(
                pair.value.scalar_text().unwrap_or_default(),
                pair.value.origin,
            );
            for spec in specs {
                let mut set = field_specs::set_entry(&pair.key, &value, pair.key_origin);
                if let Err(message) =
                    field_specs::apply(resource, spec, Create::Map, pair.key_origin, &mut set)
                {
                    build.error(
                        origin,
                        format!("{} `{}`: {message}", resource.kind(), resource.name()),
                    );
                    return;
                }
            }
        }
    }
}
