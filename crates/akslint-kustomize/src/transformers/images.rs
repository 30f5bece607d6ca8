//! `images`: container images renamed, retagged or pinned to a digest, matched by name as
//! Kustomize matches them (the name, then an optional tag and digest).

use super::field_specs::{self, Create, FieldSpec};
use crate::build::Build;
use crate::kustomization::Kustomization;
use crate::node::{Node, Origin, Value};
use crate::resource::Resource;

/// The image fields Kustomize's `images` field specs name.
const IMAGE_FIELDS: [FieldSpec; 6] = [
    FieldSpec::new("", "spec/containers[]/image", true),
    FieldSpec::new("", "spec/initContainers[]/image", true),
    FieldSpec::new("", "spec/volumes[]/image/reference", true),
    FieldSpec::new("", "spec/template/spec/containers[]/image", true),
    FieldSpec::new("", "spec/template/spec/initContainers[]/image", true),
    FieldSpec::new("", "spec/template/spec/volumes[]/image/reference", true),
];

/// One `images` entry.
struct ImageChange {
    matcher: regex::Regex,
    new_name: Option<String>,
    new_tag: Option<String>,
    digest: Option<String>,
    tag_suffix: Option<String>,
    /// Where the change was written (its `newTag`, else `digest`, `tagSuffix`, `newName`,
    /// else the entry).
    origin: Origin,
}

impl ImageChange {
    /// The entry read; `None` when its name is not a valid pattern (Kustomize then matches
    /// nothing).
    fn read(entry: &Node) -> Option<ImageChange> {
        let field = |key: &str| {
            entry
                .get(key)
                .and_then(|n| Some((n.scalar_text().filter(|t| !t.is_empty())?, n.origin)))
        };
        let name = field("name").map(|(name, _)| name).unwrap_or_default();
        // Kustomize matches the name as a regular expression, as written.
        let pattern = format!(
            "^{name}(:[a-zA-Z0-9_.{{}}-]*)?(@[a-zA-Z0-9]+([.+_-][a-zA-Z0-9]+)*:[a-zA-Z0-9_.{{}}-]*)?$"
        );
        let matcher = regex::Regex::new(&pattern).ok()?;
        let origin = ["newTag", "digest", "tagSuffix", "newName"]
            .into_iter()
            .find_map(|key| field(key).map(|(_, origin)| origin))
            .unwrap_or(entry.origin);
        Some(ImageChange {
            matcher,
            new_name: field("newName").map(|f| f.0),
            new_tag: field("newTag").map(|f| f.0),
            digest: field("digest").map(|f| f.0),
            tag_suffix: field("tagSuffix").map(|f| f.0),
            origin,
        })
    }

    /// The image after the change, if it names the image.
    fn apply(&self, image: &str) -> Option<String> {
        if !self.matcher.is_match(image) {
            return None;
        }
        let (name, tag, digest) = split_image(image);
        let mut name = self.new_name.clone().unwrap_or_else(|| name.to_owned());
        let (tag, digest) = match (&self.new_tag, &self.digest, &self.tag_suffix) {
            (Some(tag), Some(digest), _) => (tag.clone(), digest.clone()),
            (Some(tag), None, _) => (tag.clone(), String::new()),
            (None, Some(digest), _) => (String::new(), digest.clone()),
            (None, None, Some(suffix)) => (format!("{tag}{suffix}"), String::new()),
            (None, None, None) => (tag.to_owned(), digest.to_owned()),
        };
        if !tag.is_empty() {
            name = format!("{name}:{tag}");
        }
        if !digest.is_empty() {
            name = format!("{name}@{digest}");
        }
        Some(name)
    }

    /// Changes an image field (a string) when it names the image.
    fn set(&self, field: &mut Node) {
        if let Some(image) = field.as_str().and_then(|image| self.apply(image)) {
            *field = Node::str(image, self.origin);
        }
    }
}

/// An image split as Kustomize splits it: name, tag, digest (the first `:` or `@` after the
/// first `/` ends the name).
fn split_image(image: &str) -> (&str, &str, &str) {
    let from = image.find('/').filter(|&at| at > 0).unwrap_or(0);
    let search = &image[from..];
    let at = search.find('@').map(|i| i + from);
    let colon = search.find(':').map(|i| i + from);
    match (at, colon) {
        (None, None) => (image, "", ""),
        (Some(at), Some(colon)) if colon < at => {
            (&image[..colon], &image[colon + 1..at], &image[at + 1..])
        }
        (Some(at), _) => (&image[..at], "", &image[at + 1..]),
        (None, Some(colon)) => (&image[..colon], &image[colon + 1..], ""),
    }
}

/// `images`: each entry changes the images it names, in `containers` and `initContainers`
/// anywhere in an object, then in the fields of Kustomize's field specs (CRDs are left
/// alone).
pub fn images(kustomization: &Kustomization, resources: &mut [Resource], build: &mut Build) {
    for entry in kustomization.list("images") {
        let Some(change) = ImageChange::read(entry) else {
            continue;
        };
        for resource in resources
            .iter_mut()
            .filter(|r| r.kind() != "CustomResourceDefinition")
        {
            change_containers(&mut resource.node, &change);
            for spec in &IMAGE_FIELDS {
                let mut set = |field: &mut Node| {
                    if !matches!(field.value, Value::Str(_) | Value::Null) {
                        return Err("an image must be a string".to_owned());
                    }
                    change.set(field);
                    Ok(())
                };
                if let Err(message) =
                    field_specs::apply(resource, spec, Create::Never, change.origin, &mut set)
                {
                    build.error(change.origin, message);
                }
            }
        }
    }
}

/// Changes the `image` of the items of every `containers` and `initContainers` sequence
/// under `node`.
fn change_containers(node: &mut Node, change: &ImageChange) {
    match &mut node.value {
        Value::Map(entries) => {
            for entry in entries {
                change_containers(&mut entry.value, change);
                if matches!(entry.key.as_str(), "containers" | "initContainers") {
                    for container in entry.value.items_mut().into_iter().flatten() {
                        if let Some(image) = container.get_mut("image") {
                            change.set(image);
                        }
                    }
                }
            }
        }
        Value::Seq(items) => items
            .iter_mut()
            .for_each(|item| change_containers(item, change)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_split_like_kustomize() {
        assert_eq!(split_image("nginx"), ("nginx", "", ""));
        assert_eq!(split_image("nginx:1.25"), ("nginx", "1.25", ""));
        assert_eq!(
            split_image("localhost:5000/app:v1@sha256:ab"),
            ("localhost:5000/app", "v1", "sha256:ab")
        );
        assert_eq!(split_image("app@sha256:ab"), ("app", "", "sha256:ab"));
    }
}
