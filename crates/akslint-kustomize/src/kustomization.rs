//! A `kustomization.yaml` as read: its folder, its file among the build's sources, and its
//! content with the place of every value.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use crate::node::{Node, Origin};

/// The names Kustomize looks for in a folder, in its order.
pub const FILE_NAMES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// Whether a file is named as a kustomization.
pub fn is_kustomization_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .is_some_and(|name| FILE_NAMES.contains(&name))
}

/// The kustomization file of a folder, if it has one.
pub fn kustomization_in(dir: &Path, is_file: impl Fn(&Path) -> bool) -> Option<PathBuf> {
    FILE_NAMES
        .iter()
        .map(|name| dir.join(name))
        .find(|path| is_file(path))
}

/// A kustomization (or component) read from its file.
#[derive(Clone, Debug)]
pub struct Kustomization {
    /// The folder it is in: the paths it names are relative to it.
    pub dir: PathBuf,
    /// Its file, an index into the build's sources.
    pub source: u32,
    /// Its content (an empty mapping when the file holds none).
    pub root: Node,
}

impl Kustomization {
    /// Whether it is a `Component` (applied to the resources of the kustomization that names
    /// it) rather than a `Kustomization`.
    pub fn is_component(&self) -> bool {
        self.root.str_at(&["kind"]) == Some("Component")
    }

    /// The field `key`, if written.
    pub fn field(&self, key: &str) -> Option<&Node> {
        self.root
            .get(key)
            .filter(|node| !matches!(node.value, crate::Value::Null))
    }

    /// The place of the field `key` (its key), else of the file's start.
    pub fn field_origin(&self, key: &str) -> Origin {
        self.root.entry(key).map_or(
            Origin::new(self.source, akslint_core::Span::empty(0)),
            |e| e.key_origin,
        )
    }

    /// The items of a list field, each with its place.
    pub fn list(&self, key: &str) -> &[Node] {
        self.field(key).and_then(Node::items).unwrap_or_default()
    }

    /// The strings of a list field, each with its place (items that are not strings are left
    /// out).
    pub fn strings(&self, key: &str) -> Vec<(String, Origin)> {
        self.list(key)
            .iter()
            .filter_map(|item| Some((item.scalar_text()?, item.origin)))
            .collect()
    }

    /// A path the kustomization names, relative to its folder.
    pub fn path(&self, relative: &str) -> PathBuf {
        normalize(&self.dir.join(relative))
    }
}

/// `path` itself when it is normal already (no `.` or `..` parts), else [`normalize`]d: paths
/// compare by their parts, so the two are equal either way.
pub fn normalized(path: &Path) -> Cow<'_, Path> {
    let normal = path.components().all(|part| {
        !matches!(
            part,
            std::path::Component::CurDir | std::path::Component::ParentDir
        )
    });
    if normal {
        Cow::Borrowed(path)
    } else {
        Cow::Owned(normalize(path))
    }
}

/// A path with `.` and `..` folded (without reading the disk), as Kustomize resolves paths.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                let at_parent = matches!(
                    out.components().next_back(),
                    None | Some(std::path::Component::ParentDir)
                );
                if at_parent {
                    out.push("..");
                } else {
                    out.pop();
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Whether a resource entry names something remote (a git repository or a URL), which a build
/// offline does not fetch.
pub fn is_remote(entry: &str) -> bool {
    entry.contains("://")
        || entry.starts_with("github.com/")
        || entry.starts_with("gitlab.com/")
        || entry.starts_with("bitbucket.org/")
        || entry.starts_with("git@")
        || entry.contains("?ref=")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_normal_path_is_borrowed_and_equals_its_normal_form() {
        for path in ["base/app.yaml", "/work/a/b.yaml", "a//b.yaml", "a/./b.yaml"] {
            let path = Path::new(path);
            let found = normalized(path);
            assert!(matches!(found, Cow::Borrowed(_)), "{path:?}");
            assert_eq!(found, normalize(path), "{path:?}");
        }
        for (path, normal) in [("./a.yaml", "a.yaml"), ("a/../b/c.yaml", "b/c.yaml")] {
            let found = normalized(Path::new(path));
            assert!(matches!(found, Cow::Owned(_)), "{path}");
            assert_eq!(found, Path::new(normal));
        }
    }
}
