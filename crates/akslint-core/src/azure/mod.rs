//! The Azure model: resources as a template evaluator produces them, and the templates'
//! declarations ([`declarations`]), for rules to check.
//!
//! A front end that reads templates implements [`crate::FrontEnd::evaluate_groups`]: given every file
//! of a project that it reads, it decides the entry points (a `.bicepparam` file with the
//! template it uses, a template that no parameter file or module call of the run covers) and
//! evaluates each into [`AzureResource`]s. A resource's body is a [`Tree`] of known values and
//! [`NodeKind::Unknown`](crate::NodeKind::Unknown) nodes; nothing is guessed.

mod declarations;

use std::path::Path;

pub use declarations::{
    BicepFile, BoundString, Leak, LeakKind, Output, ParamBinding, Parameter, Site, StringLiteral,
};

use crate::{Diagnostic, NodeId, NodeKind, RuleMeta, SharedSource, Span, Subject, Tree};

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
    /// main.bicepparam", "argument `aadProfile` of module `aks`"; shared by the origins with the
    /// same description.
    pub what: std::sync::Arc<str>,
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
    /// The span of the `[for …]` loop's head, when the declaration (or a module call that
    /// instantiated it) has one.
    pub loop_span: Option<Span>,
    /// The loop elements this instance was evaluated for, when the loop's array is known at lint
    /// time (one instance per element); `None` for a declaration without a loop, or a loop over
    /// an array only known at deployment (evaluated once, with the loop variables unknown).
    pub iteration: Option<Iteration>,
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

/// The loop elements a resource instance stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Iteration {
    /// The loop's array as written (`clusters`, `range(0, 3)`), shortened for messages.
    pub source: String,
    /// The elements' indices: one, or several whose evaluations came out identical (the same
    /// values from the same places), which are then one instance.
    pub indices: Vec<usize>,
    /// How many elements the array has.
    pub count: usize,
    /// The element's `name`, when it is an object with a known string `name` (one element).
    pub name: Option<String>,
}

impl Iteration {
    /// The elements in words: `` `clusters[2]` (`aks-west`) ``, `` `clusters[0]`, `clusters[2]` ``,
    /// or `every element of `clusters``.
    pub fn describe(&self) -> String {
        if self.indices.len() == self.count && self.count > 1 {
            return format!("every element of `{}`", self.source);
        }
        let elements: Vec<String> = self
            .indices
            .iter()
            .map(|i| format!("`{}[{i}]`", self.source))
            .collect();
        match &self.name {
            Some(name) if self.indices.len() == 1 => format!("{} (`{name}`)", elements[0]),
            _ => elements.join(", "),
        }
    }
}

impl AzureResource {
    /// The resource for messages: `` `aks` ``, or `` `fleet` for `clusters[2]` (`aks-west`) ``
    /// when it is one element of a loop.
    pub fn label(&self) -> String {
        match &self.iteration {
            Some(iteration) => format!("`{}` for {}", self.symbolic_name, iteration.describe()),
            None => format!("`{}`", self.symbolic_name),
        }
    }

    /// Whether the resource is of this type (compared case-insensitively, as Azure does).
    pub fn is_type(&self, resource_type: &str) -> bool {
        self.resource_type.eq_ignore_ascii_case(resource_type)
    }

    /// The setting at a key path of the body, e.g. `["properties", "aadProfile", "managed"]`,
    /// with keys compared case-insensitively as Azure does. A path that runs through an unknown
    /// value (or an object with an entry whose key is unknown, from a spread) is `Unknown`, not
    /// missing; a known `null` is not set.
    pub fn setting(&self, path: &[&str]) -> Setting {
        let tree = &self.body;
        let mut node = self.root;
        for key in path {
            match &tree.node(tree.resolve(node)).kind {
                NodeKind::Unknown => return Setting::Unknown,
                NodeKind::Mapping(entries) => {
                    let found = entries
                        .iter()
                        .find(|e| tree.str(e.key).is_some_and(|k| k.eq_ignore_ascii_case(key)));
                    match found {
                        Some(entry) => node = entry.value,
                        None if entries.iter().any(|e| tree.is_unknown(e.key)) => {
                            return Setting::Unknown;
                        }
                        None => return Setting::NotSet,
                    }
                }
                _ => return Setting::NotSet,
            }
        }
        if tree.is_null(node) {
            Setting::NotSet
        } else if self.is_unknown(node) {
            Setting::Unknown
        } else {
            Setting::Value(node)
        }
    }

    /// The node at a key path of the body as evaluated, whatever it holds (a known value, `null`
    /// or an unknown value); keys compared case-insensitively.
    pub fn get(&self, path: &[&str]) -> Option<NodeId> {
        let tree = &self.body;
        path.iter().try_fold(self.root, |node, key| {
            tree.entries(node)
                .iter()
                .find(|e| tree.str(e.key).is_some_and(|k| k.eq_ignore_ascii_case(key)))
                .map(|e| e.value)
        })
    }

    /// The node at a key path under `properties`, whatever it holds.
    pub fn property_node(&self, path: &[&str]) -> Option<NodeId> {
        self.get(&["properties"]).and_then(|p| {
            let tree = &self.body;
            path.iter().try_fold(p, |node, key| {
                tree.entries(node)
                    .iter()
                    .find(|e| tree.str(e.key).is_some_and(|k| k.eq_ignore_ascii_case(key)))
                    .map(|e| e.value)
            })
        })
    }

    /// The setting at a key path under `properties`.
    pub fn property(&self, path: &[&str]) -> Setting {
        let full: Vec<&str> = std::iter::once("properties")
            .chain(path.iter().copied())
            .collect();
        self.setting(&full)
    }

    /// A boolean setting under `properties`: not set, unknown, or its value (a value that is not
    /// a boolean is unknown).
    pub fn bool_property(&self, path: &[&str]) -> Option<Value<bool>> {
        match self.flag(path) {
            Flag::NotSet => None,
            Flag::Unknown => Some(Value::Unknown),
            Flag::True(_) => Some(Value::Known(true)),
            Flag::False(_) => Some(Value::Known(false)),
        }
    }

    /// A boolean setting under `properties`, with the node that holds a known value (a value
    /// that is not a boolean, such as the string `'true'`, is unknown).
    pub fn flag(&self, path: &[&str]) -> Flag {
        match self.property(path) {
            Setting::NotSet => Flag::NotSet,
            Setting::Unknown => Flag::Unknown,
            Setting::Value(node) => match self.body.bool(node) {
                Some(true) => Flag::True(node),
                Some(false) => Flag::False(node),
                None => Flag::Unknown,
            },
        }
    }

    /// Where a node's value was written, when not in the body itself.
    pub fn origin(&self, node: NodeId) -> Option<&Origin> {
        match self.origins.binary_search_by_key(&node, |o| o.node) {
            Ok(at) => Some(&self.origins[at]),
            Err(_) => self.origins.iter().find(|o| o.node == node),
        }
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
            Some(origin) if origin.location.span != here.span => (
                here,
                Some((origin.location.clone(), format!("set by {}", origin.what))),
            ),
            _ => (here, None),
        }
    }

    /// Where to report a finding about the setting at `path` under `properties`: where its value
    /// is written (see [`locate`](Self::locate)); when it is not set, where the deepest object on
    /// the path is written if that is another file (a module argument or a `.bicepparam`
    /// assignment that passes the whole object, which is where the setting is missing), else the
    /// declaration.
    pub fn locate_property(&self, path: &[&str]) -> (Location, Option<(Location, String)>) {
        if let Setting::Value(node) = self.property(path) {
            return self.locate(node);
        }
        let full: Vec<&str> = std::iter::once("properties")
            .chain(path.iter().copied())
            .collect();
        for depth in (1..full.len()).rev() {
            let Some(object) = self.get(&full[..depth]) else {
                continue;
            };
            let elsewhere = self
                .origin(object)
                .is_some_and(|o| o.location.file.path() != self.file.path());
            if elsewhere {
                return self.locate(object);
            }
        }
        (self.declaration(), None)
    }

    /// A finding of `rule` about the setting at `path` under `properties`, reported where
    /// [`locate_property`](Self::locate_property) says, with its secondary location and with the
    /// setting as its subject.
    pub fn property_finding(
        &self,
        rule: &'static RuleMeta,
        path: &[&str],
        message: impl Into<String>,
    ) -> Diagnostic {
        located_finding(
            rule,
            self.locate_property(path),
            self.subject(self.property(path).node()),
            message.into(),
        )
    }

    /// A finding of `rule` about the value at `node`, reported where [`AzureResource::locate`]
    /// says (with its secondary location as a label), or about the whole resource at its
    /// declaration when there is no node. Its subject is the resource at that node.
    pub fn finding(
        &self,
        rule: &'static RuleMeta,
        node: Option<NodeId>,
        message: String,
    ) -> Diagnostic {
        let place = match node {
            Some(node) => self.locate(node),
            None => (self.declaration(), None),
        };
        located_finding(rule, place, self.subject(node), message)
    }

    /// Where to report a finding about the whole resource: its declaration.
    pub fn declaration(&self) -> Location {
        Location {
            file: self.file.clone(),
            span: self.declaration_span,
        }
    }

    /// The resource's identity for baselines and fingerprints, at a node of the body (or the
    /// resource itself).
    pub fn subject(&self, node: Option<NodeId>) -> Subject {
        let element = self.iteration.as_ref().map_or(String::new(), |iteration| {
            let indices: Vec<String> = iteration.indices.iter().map(usize::to_string).collect();
            format!("[{}]", indices.join(","))
        });
        Subject {
            object: format!("{} {}{element}", self.resource_type, self.symbolic_name),
            path: node
                .map(|n| self.body.path_to_node(self.root, n))
                .unwrap_or_default(),
        }
    }
}

/// A finding at a location, with its secondary location as a label.
fn located_finding(
    rule: &'static RuleMeta,
    (location, secondary): (Location, Option<(Location, String)>),
    subject: Subject,
    message: String,
) -> Diagnostic {
    let diagnostic =
        Diagnostic::new(rule, &location.file, location.span, message).with_subject(subject);
    match secondary {
        Some((place, label)) => diagnostic.with_label(&place.file, place.span, label),
        None => diagnostic,
    }
}

/// A setting of a resource body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting {
    /// Not written (or a known `null`).
    NotSet,
    /// Written, but depends on deployment-time data, or lies under such a value.
    Unknown,
    /// Written with a known value.
    Value(NodeId),
}

impl Setting {
    /// The node, when the setting has a known value.
    pub fn node(self) -> Option<NodeId> {
        match self {
            Setting::Value(node) => Some(node),
            Setting::NotSet | Setting::Unknown => None,
        }
    }
}

/// A boolean setting of a resource body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flag {
    /// Not written (or a known `null`).
    NotSet,
    /// Written, but not a statically known boolean.
    Unknown,
    /// Known to be `true`, at this node.
    True(NodeId),
    /// Known to be `false`, at this node.
    False(NodeId),
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
pub trait SourceLoader: Send + Sync {
    /// The file at `path` (absolute, or relative to the current folder), if it can be read.
    fn load(&self, path: &Path) -> Option<SharedSource>;

    /// The text of a file that is not a source of the run's languages (a `bicepconfig.json`, a
    /// template in the Bicep module cache), paths as for [`load`](Self::load); `None` when it
    /// cannot be read (the default: no such files).
    fn load_text(&self, path: &Path) -> Option<String> {
        let _ = path;
        None
    }

    /// The text an editor has of a file, unsaved or not, when it has the file open; `None`
    /// otherwise (the default). Front ends that read a folder from disk (a Helm chart's values
    /// files) read such a file as the editor has it.
    fn edited_text(&self, path: &Path) -> Option<String> {
        let _ = path;
        None
    }

    /// Where a path of the run is on disk, for front ends that read a folder around a file (a
    /// Helm chart around its template); `None` when the files are not on disk (the default).
    fn on_disk(&self, path: &Path) -> Option<std::path::PathBuf> {
        let _ = path;
        None
    }
}

/// What an evaluation produced: the resources, the declarations of the run's files, the values
/// given to template parameters, and notes on what it could not follow.
#[derive(Clone, Debug, Default)]
pub struct Evaluation {
    /// The resources, in a deterministic order.
    pub resources: Vec<AzureResource>,
    /// The declarations of each Bicep and `.bicepparam` file of the run, by path.
    pub files: Vec<BicepFile>,
    /// The values `.bicepparam` files and module calls give to template parameters, by the
    /// value's location.
    pub bindings: Vec<ParamBinding>,
    /// What was not evaluated and why (registry modules, missing files, cycles, limits).
    pub notes: Vec<EvaluationNote>,
}

/// Something an evaluator could not follow.
#[derive(Clone, Debug)]
pub struct EvaluationNote {
    /// Where (the declaration concerned), if anywhere.
    pub location: Option<Location>,
    /// What happened, in words.
    pub message: String,
    /// Whether it is a design limit of the evaluator or a budget reached.
    pub kind: EvaluationNoteKind,
}

/// What an [`EvaluationNote`] says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EvaluationNoteKind {
    /// Something the evaluator does not follow (a registry module, a file it cannot read, a
    /// cycle): the values it would give are unknown.
    NotFollowed,
    /// The evaluation of a deployment reached its budget (time, module instances, memory) here:
    /// what it did not reach is not checked. A rule reports it as a finding.
    LimitReached,
}

/// Reads referenced files from disk, relative paths from a base folder (the process's current
/// folder when empty), up to a size limit.
#[derive(Clone, Debug)]
pub struct DiskLoader {
    /// The folder relative paths start from.
    pub base: std::path::PathBuf,
    /// Largest file read.
    pub max_file_size: u64,
}

impl Default for DiskLoader {
    fn default() -> DiskLoader {
        DiskLoader {
            base: std::path::PathBuf::new(),
            max_file_size: crate::Limits::default().max_file_size,
        }
    }
}

impl SourceLoader for DiskLoader {
    fn load(&self, path: &Path) -> Option<SharedSource> {
        let kind = crate::SourceKind::from_path(path)?;
        let text = self.load_text(path)?;
        Some(std::sync::Arc::new(crate::SourceFile::new(
            path, kind, text,
        )))
    }

    fn on_disk(&self, path: &Path) -> Option<std::path::PathBuf> {
        Some(self.base.join(path))
    }

    fn load_text(&self, path: &Path) -> Option<String> {
        let on_disk = self.base.join(path);
        let metadata = std::fs::metadata(&on_disk).ok()?;
        if !metadata.is_file() || metadata.len() > self.max_file_size {
            return None;
        }
        crate::SourceFile::decode(std::fs::read(&on_disk).ok()?).ok()
    }
}
