//! The build: a kustomization's resources accumulated (files, folders, other kustomizations,
//! components), then its generators and transformers applied in Kustomize's order, and the
//! references to renamed objects updated.

use std::path::{Path, PathBuf};

use akslint_core::{SharedSource, Span};

use crate::files::Files;
use crate::kustomization::{self, Kustomization, is_remote, kustomization_in};
use crate::node::{Node, Origin, Value};
use crate::resource::Resource;
use crate::{
    configurations, generators, helm_charts, names, order, patches, replacements, transformers,
};

/// Most kustomizations one build reads (nested bases and components).
const MAX_KUSTOMIZATIONS: usize = 200;

/// Something that stopped part of a build, where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError {
    /// The place (the kustomization entry or patch that failed).
    pub origin: Origin,
    /// What went wrong.
    pub message: String,
    /// For a problem met in another file than the built kustomization (a base's kustomization,
    /// a patch file), the top kustomization's entry that led there.
    pub via: Option<Origin>,
}

/// What a build produced.
#[derive(Debug, Default)]
pub struct Built {
    /// The built objects, in Kustomize's output order.
    pub resources: Vec<Resource>,
    /// The files the build read (the [`Origin::source`] of every value indexes this).
    pub sources: Vec<SharedSource>,
    /// What stopped (part of) the build: missing files, conflicts, cycles.
    pub errors: Vec<BuildError>,
    /// What the build left out on purpose (remote resources it does not fetch).
    pub notes: Vec<BuildError>,
}

impl Built {
    /// The file of a value's origin.
    pub fn file(&self, origin: Origin) -> &SharedSource {
        &self.sources[origin.source as usize]
    }

    /// The files the build read as a base's resource, a patch, a generator's input or a
    /// kustomization: every file whose content reaches the built objects.
    pub fn consumed(&self) -> impl Iterator<Item = &Path> {
        self.sources.iter().map(|file| file.path())
    }
}

/// A build in progress: the files read so far and the problems met.
pub struct Build<'a> {
    files: &'a dyn Files,
    sources: Vec<SharedSource>,
    errors: Vec<BuildError>,
    notes: Vec<BuildError>,
    /// The kustomization folders being built, outermost first (to find cycles).
    stack: Vec<PathBuf>,
    kustomizations_read: usize,
    /// The entry of the top kustomization being followed.
    via: Option<Origin>,
    /// The `vars` of the kustomizations built so far (bases, components, the top), resolved at
    /// the top.
    pub(crate) vars: Vec<replacements::DeclaredVar>,
    /// The name references the `configurations` of the kustomizations built so far declared,
    /// followed at the top with Kustomize's own.
    pub(crate) name_references: Vec<names::Reference>,
}

/// Builds the kustomization in `dir` (the folder, or its kustomization file).
pub fn build(dir: &Path, files: &dyn Files) -> Built {
    let dir = if kustomization::is_kustomization_file(dir) {
        dir.parent().unwrap_or(Path::new(".")).to_path_buf()
    } else {
        dir.to_path_buf()
    };
    // The top kustomization is the build's first source: every problem has a place in it.
    let Some(path) = kustomization_in(&dir, |p| files.read(p).is_some()) else {
        return Built::default();
    };
    let mut build = Build {
        files,
        sources: Vec::new(),
        errors: Vec::new(),
        notes: Vec::new(),
        stack: Vec::new(),
        kustomizations_read: 0,
        via: None,
        vars: Vec::new(),
        name_references: Vec::new(),
    };
    let top = Origin::new(0, Span::empty(0));
    build.read(&path, top);
    // A Component deploys nothing on its own: it is built into the kustomizations that list
    // it under `components` (built alone, its patches would match nothing).
    let is_component = build
        .load_kustomization(&dir, top)
        .is_some_and(|k| k.is_component());
    let mut resources = if is_component {
        Vec::new()
    } else {
        build.build_dir(&dir, top).unwrap_or_default()
    };
    order::sort(&mut resources);
    Built {
        resources,
        sources: build.sources,
        errors: build.errors,
        notes: build.notes,
    }
}

impl Build<'_> {
    /// The file of a source index.
    pub fn file(&self, source: u32) -> &SharedSource {
        &self.sources[source as usize]
    }

    /// Reports a problem at `origin`.
    pub fn error(&mut self, origin: Origin, message: impl Into<String>) {
        let via = self.via.filter(|_| origin.source != 0);
        self.errors.push(BuildError {
            origin,
            message: message.into(),
            via,
        });
    }

    /// Reports something left out on purpose at `origin`.
    pub fn note(&mut self, origin: Origin, message: impl Into<String>) {
        let via = self.via.filter(|_| origin.source != 0);
        self.notes.push(BuildError {
            origin,
            message: message.into(),
            via,
        });
    }

    /// Reads a file the build uses (a resource, a patch, a generator's input), adding it to
    /// the sources once: its index and text. A file that cannot be read is an error at
    /// `named_at`.
    pub fn read(&mut self, path: &Path, named_at: Origin) -> Option<(u32, SharedSource)> {
        if let Some(at) = self.sources.iter().position(|f| f.path() == path) {
            return Some((at as u32, self.sources[at].clone()));
        }
        match self.files.read(path) {
            Some(file) => {
                self.sources.push(file.clone());
                Some((self.sources.len() as u32 - 1, file))
            }
            None => {
                let message = if self.files.is_dir(path) {
                    format!("`{}` is a folder without a kustomization", path.display())
                } else {
                    format!("`{}` does not exist or cannot be read", path.display())
                };
                self.error(named_at, message);
                None
            }
        }
    }

    /// Whether `path` is a folder.
    pub fn is_dir(&self, path: &Path) -> bool {
        self.files.is_dir(path)
    }

    /// Reads a file that `kustomization` names (a resource file, a patch, a generator's
    /// input): as Kustomize does by default, a file outside the kustomization's folder is an
    /// error (folders of other kustomizations may be anywhere).
    pub fn read_named(
        &mut self,
        kustomization: &Kustomization,
        relative: &str,
        named_at: Origin,
    ) -> Option<(u32, SharedSource)> {
        let path = kustomization.path(relative);
        let inside = if kustomization.dir.as_os_str().is_empty() {
            !path.starts_with("..")
        } else {
            path.starts_with(&kustomization.dir)
        };
        if !inside && self.files.read(&path).is_none() {
            self.error(named_at, format!("`{relative}` does not exist"));
            return None;
        }
        if !inside {
            self.error(
                named_at,
                format!(
                    "security; file `{}` is not in or below `{}` (Kustomize loads files from the kustomization's folder only)",
                    path.display(),
                    kustomization.dir.display()
                ),
            );
            return None;
        }
        self.read(&path, named_at)
    }

    /// The YAML documents of a file the build uses, as nodes (empty documents left out); a
    /// syntax error is an error at its place.
    pub fn read_yaml(&mut self, path: &Path, named_at: Origin) -> Vec<Node> {
        let Some((source, file)) = self.read(path, named_at) else {
            return Vec::new();
        };
        self.parse_yaml(source, &file)
    }

    /// The YAML documents of a source already read.
    pub fn parse_yaml(&mut self, source: u32, file: &SharedSource) -> Vec<Node> {
        let parsed = self.files.parse(file);
        for problem in &parsed.problems {
            self.error(Origin::new(source, problem.span), problem.message.clone());
        }
        parsed
            .documents
            .iter()
            .filter_map(|document| {
                let root = document.root?;
                let node = Node::from_tree(&document.tree, root, source);
                (!matches!(node.value, Value::Null)).then_some(node)
            })
            .collect()
    }

    /// The objects of a resource file (the items of a `List` each on its own).
    pub fn read_objects(
        &mut self,
        kustomization: &Kustomization,
        relative: &str,
        named_at: Origin,
    ) -> Vec<Resource> {
        let Some((source, file)) = self.read_named(kustomization, relative, named_at) else {
            return Vec::new();
        };
        let mut objects = Vec::new();
        for node in self.parse_yaml(source, &file) {
            if !node.is_map() {
                self.error(
                    node.origin,
                    "a resource must be a mapping (a Kubernetes object)",
                );
                continue;
            }
            let is_list = node.str_at(&["kind"]).is_some_and(|kind| {
                kind == "List" || kind.ends_with("List") && node.get("items").is_some()
            });
            if is_list && let Some(items) = node.get("items").and_then(Node::items) {
                objects.extend(
                    items
                        .iter()
                        .filter(|i| i.is_map())
                        .cloned()
                        .map(Resource::new),
                );
                continue;
            }
            objects.push(Resource::new(node));
        }
        objects
    }

    /// Reads the kustomization of a folder.
    fn load_kustomization(&mut self, dir: &Path, named_at: Origin) -> Option<Kustomization> {
        let files = self.files;
        let Some(path) = kustomization_in(dir, |p| files.read(p).is_some()) else {
            let message = if self.files.is_dir(dir) {
                format!(
                    "`{}` has no kustomization.yaml, kustomization.yml or Kustomization",
                    dir.display()
                )
            } else {
                format!("`{}` does not exist", dir.display())
            };
            self.error(named_at, message);
            return None;
        };
        self.kustomizations_read += 1;
        let (source, file) = self.read(&path, named_at)?;
        let root = self
            .parse_yaml(source, &file)
            .into_iter()
            .next()
            .unwrap_or_else(|| Node::map(Origin::new(source, Span::empty(0))));
        if !root.is_map() {
            self.error(root.origin, "a kustomization must be a mapping");
            return None;
        }
        Some(Kustomization {
            dir: kustomization::normalize(dir),
            source,
            root,
        })
    }

    /// Builds the kustomization of a folder: its resources with its generators and
    /// transformers applied. `None` when it cannot be read (an error is reported).
    fn build_dir(&mut self, dir: &Path, named_at: Origin) -> Option<Vec<Resource>> {
        if let Some(at) = self.stack.iter().position(|d| d == dir) {
            let cycle: Vec<String> = self.stack[at..]
                .iter()
                .chain(std::iter::once(&dir.to_path_buf()))
                .map(|d| d.display().to_string())
                .collect();
            self.error(
                named_at,
                format!("cycle of kustomizations: {}", cycle.join(" -> ")),
            );
            return None;
        }
        if self.kustomizations_read >= MAX_KUSTOMIZATIONS {
            self.error(
                named_at,
                format!("more than {MAX_KUSTOMIZATIONS} kustomizations in one build; stopped"),
            );
            return None;
        }
        let kustomization = self.load_kustomization(dir, named_at)?;
        if kustomization.is_component() && !self.stack.is_empty() {
            self.error(
                named_at,
                "a Component is listed under `components`, not `resources`",
            );
        }
        self.stack.push(dir.to_path_buf());
        let mut resources = Vec::new();
        self.accumulate(&kustomization, &mut resources);
        self.stack.pop();
        Some(resources)
    }

    /// Applies a kustomization (or component) to `resources`: adds its resources, applies its
    /// components, runs its generators and transformers.
    fn accumulate(&mut self, kustomization: &Kustomization, resources: &mut Vec<Resource>) {
        let mut entries = kustomization.strings("resources");
        entries.extend(kustomization.strings("bases"));
        for (entry, origin) in entries {
            if is_remote(&entry) {
                self.note(
                    origin,
                    format!("remote resource `{entry}` is not fetched (akslint builds offline)"),
                );
                continue;
            }
            let path = kustomization.path(&entry);
            self.follow(origin);
            let added = if self.is_dir(&path) {
                self.build_dir(&path, origin).unwrap_or_default()
            } else {
                self.read_objects(kustomization, &entry, origin)
            };
            self.add(resources, added, origin);
        }
        for (entry, origin) in kustomization.strings("components") {
            if is_remote(&entry) {
                self.note(
                    origin,
                    format!("remote component `{entry}` is not fetched (akslint builds offline)"),
                );
                continue;
            }
            let dir = kustomization.path(&entry);
            self.follow(origin);
            if self.stack.contains(&dir) {
                self.error(
                    origin,
                    format!("cycle: component `{entry}` includes itself"),
                );
                continue;
            }
            let Some(component) = self.load_kustomization(&dir, origin) else {
                continue;
            };
            if !component.is_component() {
                self.error(
                    origin,
                    format!("`{entry}` is a Kustomization, not a Component (`kind: Component`)"),
                );
                continue;
            }
            self.stack.push(dir);
            self.accumulate(&component, resources);
            self.stack.pop();
        }
        if self.stack.len() <= 1 {
            self.via = None;
        }
        configurations::read(kustomization, self);
        generators::config_maps_and_secrets(kustomization, resources, self);
        helm_charts::inflate(kustomization, resources, self);
        patches::strategic_merge(kustomization, resources, self);
        patches::patches(kustomization, resources, self);
        transformers::namespace(kustomization, resources, self);
        transformers::name_prefix_and_suffix(kustomization, resources, self);
        transformers::labels(kustomization, resources, self);
        transformers::annotations(kustomization, resources, self);
        patches::json6902(kustomization, resources, self);
        transformers::replicas(kustomization, resources, self);
        transformers::images(kustomization, resources, self);
        replacements::replacements(kustomization, resources, self);
        // As Kustomize does once the whole build is accumulated: hashes, then references
        // to renamed objects, then vars.
        if self.stack.len() <= 1 {
            names::add_hash_suffixes(resources);
            names::fix_references(resources, self);
            replacements::vars(kustomization, resources, self);
        }
    }

    /// Starts following an entry: at the top kustomization, it becomes the entry problems in
    /// other files are reported through.
    fn follow(&mut self, entry: Origin) {
        if self.stack.len() <= 1 {
            self.via = Some(entry);
        }
    }

    /// Adds objects to the accumulated ones; one with the identity of an object already there
    /// (group, kind, namespace, name) is an error at `origin`, as in Kustomize.
    pub fn add(&mut self, resources: &mut Vec<Resource>, added: Vec<Resource>, origin: Origin) {
        for resource in added {
            let clash = resources.iter().any(|r| {
                r.group() == resource.group()
                    && r.kind() == resource.kind()
                    && r.name() == resource.name()
                    && r.namespace() == resource.namespace()
            });
            if clash {
                self.error(
                    origin,
                    format!(
                        "may not add resource with an already registered id: {} `{}`",
                        resource.kind(),
                        resource.name()
                    ),
                );
                continue;
            }
            resources.push(resource);
        }
    }

    /// Adds a file the build did not read through its [`Files`] (a chart's template or values
    /// file, as the Helm renderer read it) to the sources, once: its index.
    pub fn add_source(&mut self, file: SharedSource) -> u32 {
        if let Some(at) = self.sources.iter().position(|f| f.path() == file.path()) {
            return at as u32;
        }
        self.sources.push(file);
        self.sources.len() as u32 - 1
    }
}
