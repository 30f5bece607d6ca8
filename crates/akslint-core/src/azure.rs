//! Azure resources as the Bicep evaluator produces them, for rules to check.
//!
//! A front end that understands Bicep implements [`ProjectEvaluator`]: given every Bicep and
//! `.bicepparam` file of a run, it decides the entry points (a `.bicepparam` file with the
//! template it uses, a template that no parameter file or module call of the run covers) and
//! evaluates each into [`AzureResource`]s. A resource's body is a [`Tree`] of known values and
//! [`NodeKind::Unknown`](crate::NodeKind::Unknown) nodes; nothing is guessed.

use std::path::Path;

use crate::{NodeId, NodeKind, SharedSource, Span, Subject, Tree};

/// A place in a file.
#[derive(Clone, Debug)]
pub struct Location {
    /// The file.
    pub file: SharedSource,
    /// The bytes.
    pub span: Span,
}

/// Where an evaluated value was written, when that is not the expression in the resource body:
/// a parameter default, a variable, a `.bicepparam` assignment or a module argument.
#[derive(Clone, Debug)]
pub struct Origin {
    /// The node of the resource body whose value came from elsewhere.
    pub node: NodeId,
    /// Where the value (the literal) is written.
    pub location: Location,
    /// What it is, for messages: "parameter default of `disableLocal`", "value of `enableRbac` in
    /// main.bicepparam", "argument `aadProfile` of module `aks`".
    pub what: String,
}

/// One deployed (or referenced) Azure resource, evaluated.
#[derive(Clone, Debug)]
pub struct AzureResource {
    /// The file the resource is declared in.
    pub file: SharedSource,
    /// Its symbolic name.
    pub symbolic_name: String,
    /// The resource type as written, e.g. `Microsoft.ContainerService/managedClusters`.
    pub resource_type: String,
    /// The API version, e.g. `2024-05-01` (empty when not written).
    pub api_version: String,
    /// The declaration's head: from `resource` to the type string. Findings about a setting
    /// that is missing point here.
    pub declaration_span: Span,
    /// Whether this is an `existing` reference rather than a deployment.
    pub existing: bool,
    /// The span of the `if (…)` condition, when the declaration has one.
    pub condition: Option<Span>,
    /// The span of the `[for …]` loop, when the declaration has one (the body is evaluated once,
    /// with the loop variables unknown).
    pub loop_span: Option<Span>,
    /// The symbolic name of the parent (nested declaration or `parent:`).
    pub parent: Option<String>,
    /// The evaluated body (`name`, `location`, `properties`, `identity`, …) in the declaration's
    /// own file: a node's span is the expression that produced it.
    pub body: Tree,
    /// The body's root mapping.
    pub root: NodeId,
    /// Values that came from elsewhere.
    pub origins: Vec<Origin>,
    /// The module calls that instantiated this resource, outermost first: the `module`
    /// declaration's head in the calling file.
    pub via: Vec<Location>,
}

impl AzureResource {
    /// Whether the resource is of this type (compared case-insensitively, as Azure does).
    pub fn is_type(&self, resource_type: &str) -> bool {
        self.resource_type.eq_ignore_ascii_case(resource_type)
    }

    /// The node at a key path of the body, e.g. `["properties", "aadProfile", "managed"]`.
    pub fn get(&self, path: &[&str]) -> Option<NodeId> {
        self.body.path(self.root, path)
    }

    /// The node at a key path under `properties`.
    pub fn property(&self, path: &[&str]) -> Option<NodeId> {
        self.get(&["properties"])
            .and_then(|p| self.body.path(p, path))
    }

    /// A boolean value at a key path under `properties`: `Some(Known(b))`, `Some(Unknown)`
    /// when it cannot be known statically, `None` when it is not set.
    pub fn bool_property(&self, path: &[&str]) -> Option<Value<bool>> {
        let node = self.property(path)?;
        Some(match self.body.bool(node) {
            Some(value) => Value::Known(value),
            None => Value::Unknown,
        })
    }

    /// Where a node's value was written, when not in the body itself.
    pub fn origin(&self, node: NodeId) -> Option<&Origin> {
        self.origins.iter().find(|o| o.node == node)
    }

    /// Whether the node's value cannot be known statically.
    pub fn is_unknown(&self, node: NodeId) -> bool {
        matches!(
            self.body.node(self.body.resolve(node)).kind,
            NodeKind::Unknown
        )
    }

    /// Where to report a finding about the value at `node`, and a secondary location.
    ///
    /// A value written in another file (a `.bicepparam` assignment, a module argument) is
    /// reported there, with the property as the secondary location; a value written in the
    /// resource's own file is reported on the property, with the literal (a parameter default,
    /// a variable) as the secondary location when it is elsewhere in the file.
    pub fn locate(&self, node: NodeId) -> (Location, Option<(Location, String)>) {
        let here = Location {
            file: self.file.clone(),
            span: self.body.span(node),
        };
        match self.origin(node) {
            Some(origin) if origin.location.file.path() != self.file.path() => (
                origin.location.clone(),
                Some((here, format!("used by `{}` here", self.symbolic_name))),
            ),
            Some(origin) if origin.location.span != here.span => {
                (here, Some((origin.location.clone(), format!("set by {}", origin.what))))
            }
            _ => (here, None),
        }
    }

    /// Where to report a finding about the whole resource: its declaration.
    pub fn declaration(&self) -> Location {
        Location {
            file: self.file.clone(),
            span: self.declaration_span,
        }
    }

    /// The resource's identity for baselines and fingerprints.
    pub fn subject(&self, span: Span) -> Subject {
        Subject {
            object: format!("{} {}", self.resource_type, self.symbolic_name),
            path: self.body.path_to(self.root, span),
        }
    }
}

/// A statically known value, or not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value<T> {
    /// Known.
    Known(T),
    /// Depends on deployment-time data.
    Unknown,
}

/// Reads files that a run refers to but does not lint itself (module files, a `.bicepparam`
/// file's template), from disk or from an editor's buffers.
pub trait SourceLoader: Sync {
    /// The file at `path` (absolute, or relative to the current folder), if it can be read.
    fn load(&self, path: &Path) -> Option<SharedSource>;
}

/// Evaluates the Bicep files of a run into resources.
pub trait ProjectEvaluator: Send + Sync {
    /// Evaluates every entry point among `files` (the run's `.bicep` and `.bicepparam` files),
    /// loading referenced files that are not among them through `loader`.
    fn evaluate(&self, files: &[SharedSource], loader: &dyn SourceLoader) -> Vec<AzureResource>;
}

/// Reads referenced files from disk, relative to the current folder, up to a size limit.
#[derive(Clone, Debug)]
pub struct DiskLoader {
    /// Largest file read.
    pub max_file_size: u64,
}

impl Default for DiskLoader {
    fn default() -> DiskLoader {
        DiskLoader {
            max_file_size: crate::Limits::default().max_file_size,
        }
    }
}

impl SourceLoader for DiskLoader {
    fn load(&self, path: &Path) -> Option<SharedSource> {
        let metadata = std::fs::metadata(path).ok()?;
        if !metadata.is_file() || metadata.len() > self.max_file_size {
            return None;
        }
        let text = crate::SourceFile::decode(std::fs::read(path).ok()?).ok()?;
        let kind = crate::SourceKind::from_path(path)?;
        Some(std::sync::Arc::new(crate::SourceFile::new(
            path, kind, text,
        )))
    }
}
