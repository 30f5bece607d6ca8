//! `configurations`: files that extend Kustomize's transformer configuration. Their
//! `nameReference` entries add references the build follows to renamed objects (a custom
//! kind's field naming a generated ConfigMap); the configurations of every kustomization in
//! the build (bases, components, the top) apply together, as Kustomize merges them.

use crate::build::Build;
use crate::kustomization::Kustomization;
use crate::names::Reference;
use crate::node::Node;

/// The sections of a configurations file other than `nameReference`, which akslint does not
/// apply yet.
const SECTIONS_LEFT_OUT: [&str; 10] = [
    "namePrefix",
    "nameSuffix",
    "namespace",
    "commonLabels",
    "labels",
    "commonAnnotations",
    "templateLabels",
    "varReference",
    "images",
    "replicas",
];

/// Reads the `configurations` files of a kustomization and records their name references
/// in the build.
pub fn read(kustomization: &Kustomization, build: &mut Build) {
    for (entry, origin) in kustomization.strings("configurations") {
        let Some((source, file)) = build.read_named(kustomization, &entry, origin) else {
            continue;
        };
        let mut left_out: Vec<&str> = Vec::new();
        for document in build.parse_yaml(source, &file) {
            if !document.is_map() {
                build.error(document.origin, "a configurations file must be a mapping");
                continue;
            }
            for section in SECTIONS_LEFT_OUT {
                if document.get(section).is_some() && !left_out.contains(&section) {
                    left_out.push(section);
                }
            }
            for back_reference in document
                .get("nameReference")
                .and_then(Node::items)
                .unwrap_or_default()
            {
                add_name_reference(back_reference, build);
            }
        }
        if !left_out.is_empty() {
            build.note(
                origin,
                format!(
                    "`{entry}`: only `nameReference` is applied; `{}` left out",
                    left_out.join("`, `")
                ),
            );
        }
    }
}

/// Records the references of one `nameReference` entry: objects of its kind (group,
/// version) named by each of its `fieldSpecs`.
fn add_name_reference(entry: &Node, build: &mut Build) {
    let text = |node: &Node, key: &str| node.str_at(&[key]).unwrap_or_default().to_owned();
    let Some(kind) = entry.str_at(&["kind"]) else {
        build.error(entry.origin, "a `nameReference` entry needs a `kind`");
        return;
    };
    for spec in entry
        .get("fieldSpecs")
        .and_then(Node::items)
        .unwrap_or_default()
    {
        let Some(path) = spec.str_at(&["path"]) else {
            build.error(spec.origin, "a field spec needs a `path`");
            continue;
        };
        let reference = Reference {
            kind: kind.to_owned(),
            group: text(entry, "group"),
            version: text(entry, "version"),
            referrer_kind: text(spec, "kind"),
            referrer_group: text(spec, "group"),
            referrer_version: text(spec, "version"),
            path: path.to_owned(),
        };
        if !build.name_references.contains(&reference) {
            build.name_references.push(reference);
        }
    }
}
