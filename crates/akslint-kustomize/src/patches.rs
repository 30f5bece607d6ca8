//! Patches: `patchesStrategicMerge`, `patches` (strategic merge or JSON 6902, by path or inline,
//! with `target` selectors) and `patchesJson6902`, applied as Kustomize applies them, each
//! value a patch writes keeping the place it was written (the patch file, or the
//! kustomization for an inline patch).

pub mod inline;
pub mod json_patch;
pub mod merge;
pub mod schema;
pub mod selectors;

use crate::build::Build;
use crate::kustomization::Kustomization;
use crate::node::{Node, Origin, Value};
use crate::resource::Resource;
use schema::Schemas;
use selectors::Target;

/// A patch as read: its documents (with their places) and where the kustomization names it.
struct Loaded {
    documents: Vec<Node>,
    /// The kustomization's entry (problems of the patch as a whole are reported there).
    entry: Origin,
}

impl Loaded {
    /// Whether it is a JSON patch (a list of operations) rather than a strategic merge one.
    fn is_json_patch(&self) -> bool {
        self.documents.first().is_some_and(|d| d.items().is_some())
    }
}

/// Reads a patch written in `entry` at `path` (a file beside the kustomization) or inline in
/// `inline` (the kustomization's scalar). `None` after an error.
fn load(
    kustomization: &Kustomization,
    entry: Origin,
    path: Option<&Node>,
    inline: Option<&Node>,
    build: &mut Build,
) -> Option<Loaded> {
    let inline_text = inline
        .and_then(Node::scalar_text)
        .filter(|t| !t.trim().is_empty());
    let path_text = path.and_then(Node::scalar_text).filter(|t| !t.is_empty());
    let documents = match (path_text, inline_text) {
        (None, None) => {
            build.error(entry, "must specify one of patch and path");
            return None;
        }
        (Some(_), Some(_)) => {
            build.error(entry, "patch and path can't be set at the same time");
            return None;
        }
        (Some(relative), None) => {
            let named_at = path.map_or(entry, |p| p.origin);
            let (source, file) = build.read_named(kustomization, &relative, named_at)?;
            let parsed = akslint_yaml::parse(&file, &akslint_core::Limits::default());
            if !parsed.problems.is_empty() {
                build.parse_yaml(source, &file);
                return None;
            }
            build.parse_yaml(source, &file)
        }
        (None, Some(text)) => {
            let node = inline.expect("inline text comes from a node");
            let source = build.file(kustomization.source).clone();
            match inline::parse(&source, kustomization.source, node, &text) {
                Ok(documents) => documents,
                Err(message) => {
                    build.error(node.origin, message);
                    return None;
                }
            }
        }
    };
    Some(Loaded { documents, entry })
}

/// The OpenAPI definitions the kustomization's patches merge lists by: its `openapi: {path}`
/// file, else Kustomize's built-in ones.
fn schemas(kustomization: &Kustomization, build: &mut Build) -> Option<Schemas> {
    let path = kustomization.field("openapi")?.get("path")?;
    let relative = path.scalar_text()?;
    let (source, file) = build.read_named(kustomization, &relative, path.origin)?;
    let document = build.parse_yaml(source, &file).into_iter().next()?;
    Some(Schemas::new(document.to_json()))
}

/// The options of a `patches` entry.
#[derive(Clone, Copy, Default)]
struct Options {
    allow_name_change: bool,
    allow_kind_change: bool,
}

impl Options {
    fn of(entry: &Node) -> Options {
        let flag = |key: &str| {
            entry
                .path(&["options", key])
                .is_some_and(|v| v.value == Value::Bool(true))
        };
        Options {
            allow_name_change: flag("allowNameChange"),
            allow_kind_change: flag("allowKindChange"),
        }
    }
}

/// Applies a strategic merge patch to `resources[at]` (Kustomize's `ApplySmPatch`): the
/// object keeps its apiVersion and namespace, and its kind and name unless the options allow
/// a change; an object the patch deletes is removed. An error is reported at `entry`.
fn apply_merge(
    resources: &mut Vec<Resource>,
    at: usize,
    patch: &Node,
    options: Options,
    schemas: &Schemas,
    entry: Origin,
    build: &mut Build,
) {
    let mut patch = patch.clone();
    patch.remove("apiVersion");
    if !options.allow_kind_change {
        patch.remove("kind");
    }
    if let Some(metadata) = patch.get_mut("metadata") {
        metadata.remove("namespace");
        if !options.allow_name_change {
            metadata.remove("name");
        }
    }
    let resource = &mut resources[at];
    if options.allow_name_change || options.allow_kind_change {
        resource.remember_name();
    }
    let schema = schemas.for_kind(resource.api_version(), resource.kind());
    match merge::merge(&resource.node, &patch, schema) {
        Ok(Some(merged)) => resource.node = merged,
        Ok(None) => {
            resources.remove(at);
        }
        Err(message) => build.error(entry, message),
    }
}

/// The one object a strategic merge patch without a target names; an error at `entry`
/// (with Kustomize's words, after `prefix`) when none or several do.
fn patch_target(
    resources: &[Resource],
    patch: &Node,
    entry: Origin,
    prefix: &str,
    build: &mut Build,
) -> Option<usize> {
    let matching: Vec<usize> = (0..resources.len())
        .filter(|&at| selectors::is_patch_target(&resources[at], patch))
        .collect();
    let id = selectors::patch_id(patch);
    match matching.as_slice() {
        [at] => Some(*at),
        [] => {
            build.error(
                entry,
                format!(
                    "{prefix}no matches for Id {id}; failed to find unique target for patch {id}"
                ),
            );
            None
        }
        _ => {
            build.error(entry, format!("{prefix}multiple matches for Id {id}"));
            None
        }
    }
}

/// Applies the kustomization's `patchesStrategicMerge` (files, or inline YAML) to the
/// accumulated resources.
pub fn strategic_merge(
    kustomization: &Kustomization,
    resources: &mut Vec<Resource>,
    build: &mut Build,
) {
    let items = kustomization.list("patchesStrategicMerge").to_vec();
    if items.is_empty() {
        return;
    }
    let schemas = schemas(kustomization, build);
    let schemas = schemas.as_ref().unwrap_or_else(|| schema::builtin());
    for item in &items {
        let Some(text) = item.scalar_text() else {
            build.error(
                item.origin,
                "a patchesStrategicMerge entry is a file path or a YAML patch",
            );
            continue;
        };
        // As Kustomize does, an entry that reads as an object is the patch itself.
        let source = build.file(kustomization.source).clone();
        let inline_patch = inline::parse(&source, kustomization.source, item, &text)
            .ok()
            .filter(|docs| !docs.is_empty() && docs.iter().all(Node::is_map));
        let loaded = match inline_patch {
            Some(documents) => Loaded {
                documents,
                entry: item.origin,
            },
            None => match load(kustomization, item.origin, Some(item), None, build) {
                Some(loaded) => loaded,
                None => continue,
            },
        };
        for patch in &loaded.documents {
            if !patch.is_map() {
                build.error(loaded.entry, "a strategic merge patch must be a mapping");
                continue;
            }
            if let Some(at) = patch_target(resources, patch, loaded.entry, "", build) {
                apply_merge(
                    resources,
                    at,
                    patch,
                    Options::default(),
                    schemas,
                    loaded.entry,
                    build,
                );
            }
        }
    }
}

/// Applies the kustomization's `patches` to the accumulated resources.
pub fn patches(kustomization: &Kustomization, resources: &mut Vec<Resource>, build: &mut Build) {
    let entries = kustomization.list("patches").to_vec();
    if entries.is_empty() {
        return;
    }
    let schemas = schemas(kustomization, build);
    let schemas = schemas.as_ref().unwrap_or_else(|| schema::builtin());
    for entry in &entries {
        let Some(loaded) = load(
            kustomization,
            entry.origin,
            entry.get("path"),
            entry.get("patch"),
            build,
        ) else {
            continue;
        };
        let target = match entry.get("target").map(Target::parse) {
            None => None,
            Some(Ok(target)) => Some(target),
            Some(Err(message)) => {
                build.error(
                    entry.get("target").map_or(entry.origin, |t| t.origin),
                    message,
                );
                continue;
            }
        };
        if loaded.is_json_patch() {
            let Some(target) = target else {
                build.error(entry.origin, "must specify a target for JSON patch");
                continue;
            };
            apply_json_patch(resources, &target, &loaded, true, build);
            continue;
        }
        if let Some(bad) = loaded.documents.iter().find(|d| !d.is_map()) {
            build.error(bad.origin, "unable to parse SM or JSON patch");
            continue;
        }
        let options = Options::of(entry);
        match target {
            Some(target) => {
                if loaded.documents.len() > 1 {
                    build.error(
                        entry.origin,
                        "Multiple Strategic-Merge Patches in one `patches` entry is not allowed to set `patches.target` field",
                    );
                    continue;
                }
                let Some(patch) = loaded.documents.first() else {
                    continue;
                };
                let mut at = 0;
                while at < resources.len() {
                    if target.selects(&resources[at]) {
                        let before = resources.len();
                        apply_merge(resources, at, patch, options, schemas, entry.origin, build);
                        if resources.len() < before {
                            continue;
                        }
                    }
                    at += 1;
                }
            }
            None => {
                for patch in &loaded.documents {
                    let prefix = format!(
                        "no resource matches strategic merge patch \"{}\": ",
                        selectors::patch_id(patch)
                    );
                    if let Some(at) = patch_target(resources, patch, entry.origin, &prefix, build) {
                        apply_merge(resources, at, patch, options, schemas, entry.origin, build);
                    }
                }
            }
        }
    }
}

/// Applies a JSON patch to every object `target` selects (remembering their names first when
/// `renames` is set, as `patches` does); an operation that fails is an error at its place.
fn apply_json_patch(
    resources: &mut [Resource],
    target: &Target,
    loaded: &Loaded,
    renames: bool,
    build: &mut Build,
) {
    let operations = loaded
        .documents
        .first()
        .and_then(Node::items)
        .unwrap_or_default();
    if let Some(bad) = operations.iter().find(|op| !op.is_map()) {
        build.error(bad.origin, "a JSON patch operation must be a mapping");
        return;
    }
    for resource in resources.iter_mut().filter(|r| target.selects(r)) {
        if renames {
            resource.remember_name();
        }
        if let Err(failure) = json_patch::apply(&mut resource.node, operations) {
            build.error(failure.origin, failure.message);
            return;
        }
    }
}

/// Applies the kustomization's `patchesJson6902` to the accumulated resources.
pub fn json6902(kustomization: &Kustomization, resources: &mut [Resource], build: &mut Build) {
    for entry in kustomization.list("patchesJson6902").to_vec() {
        let target_node = entry.get("target");
        let has_name = target_node
            .and_then(|t| t.get("name"))
            .and_then(Node::scalar_text)
            .is_some_and(|n| !n.is_empty());
        if !has_name {
            build.error(
                target_node.map_or(entry.origin, |t| t.origin),
                "must specify the target name",
            );
            continue;
        }
        let target = match target_node.map(Target::parse) {
            Some(Ok(target)) => target,
            Some(Err(message)) => {
                build.error(entry.origin, message);
                continue;
            }
            None => continue,
        };
        let Some(loaded) = load(
            kustomization,
            entry.origin,
            entry.get("path"),
            entry.get("patch"),
            build,
        ) else {
            continue;
        };
        if !loaded.is_json_patch() {
            build.error(
                entry.origin,
                "a patchesJson6902 patch must be a list of operations",
            );
            continue;
        }
        apply_json_patch(resources, &target, &loaded, false, build);
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::{Built, DiskFiles, Origin, build};

    /// Builds the overlay `prod` of a base Deployment with `files` written beside it.
    fn built(files: &[(&str, &str)]) -> (tempfile::TempDir, Built) {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let base = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    metadata:\n      labels:\n        app: api\n        azure.workload.identity/use: \"true\"\n    spec:\n      containers:\n      - name: api\n        image: api:1\n";
        std::fs::create_dir_all(dir.path().join("base")).expect("base");
        std::fs::create_dir_all(dir.path().join("prod")).expect("prod");
        std::fs::write(dir.path().join("base/deploy.yaml"), base).expect("write");
        std::fs::write(
            dir.path().join("base/kustomization.yaml"),
            "resources: [deploy.yaml]\n",
        )
        .expect("write");
        for (name, text) in files {
            std::fs::write(dir.path().join("prod").join(name), text).expect("write");
        }
        let built = build(&dir.path().join("prod"), &DiskFiles);
        assert!(built.errors.is_empty(), "{:?}", built.errors);
        (dir, built)
    }

    fn text_at(built: &Built, origin: Origin) -> (String, &str) {
        let file = built.file(origin);
        let name = Path::new(file.path())
            .file_name()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        (name, file.slice(origin.span))
    }

    #[test]
    fn a_label_a_patch_removes_is_missing_at_the_patch() {
        let patch = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    metadata:\n      labels:\n        azure.workload.identity/use: null\n";
        let (_dir, built) = built(&[
            (
                "kustomization.yaml",
                "resources: [../base]\npatches:\n- path: patch.yaml\n",
            ),
            ("patch.yaml", patch),
        ]);
        let labels = built.resources[0]
            .node
            .path(&["spec", "template", "metadata", "labels"])
            .expect("labels");
        assert!(labels.get("azure.workload.identity/use").is_none());
        assert_eq!(
            text_at(&built, labels.origin),
            ("patch.yaml".to_owned(), "null")
        );
        let app = labels.get("app").expect("kept");
        assert_eq!(text_at(&built, app.origin).0, "deploy.yaml");
    }

    #[test]
    fn an_inline_patch_writes_at_the_kustomization() {
        let kustomization = "resources: [../base]\npatches:\n- patch: |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: api\n    spec:\n      template:\n        spec:\n          containers:\n          - name: api\n            image: api:2\n";
        let (_dir, built) = built(&[("kustomization.yaml", kustomization)]);
        let image = built.resources[0]
            .node
            .path(&["spec", "template", "spec", "containers"])
            .and_then(|c| c.items())
            .and_then(|c| c[0].get("image"))
            .expect("image");
        assert_eq!(image.as_str(), Some("api:2"));
        assert_eq!(
            text_at(&built, image.origin),
            ("kustomization.yaml".to_owned(), "api:2")
        );
        let name = built.resources[0]
            .node
            .path(&["metadata", "name"])
            .expect("name");
        assert_eq!(text_at(&built, name.origin).0, "deploy.yaml");
    }

    #[test]
    fn a_json_patch_removal_is_placed_at_its_operation() {
        let kustomization =
            "resources: [../base]\npatches:\n- target: {kind: Deployment}\n  path: ops.yaml\n";
        let ops =
            "- op: remove\n  path: /spec/template/metadata/labels/azure.workload.identity~1use\n";
        let (_dir, built) = built(&[("kustomization.yaml", kustomization), ("ops.yaml", ops)]);
        let labels = built.resources[0]
            .node
            .path(&["spec", "template", "metadata", "labels"])
            .expect("labels");
        assert!(labels.get("azure.workload.identity/use").is_none());
        let (file, text) = text_at(&built, labels.origin);
        assert_eq!(file, "ops.yaml");
        assert!(text.starts_with("op: remove"), "{text}");
    }
}
