//! ARM JSON deployment templates, evaluated by the same machinery as Bicep: the same values
//! ([`V`]), budgets, origins, per-element loops and function library ([`Ev::call_builtin_values`]).
//! `akslint_arm` reads the JSON (with spans) and parses the expressions; this module gives them
//! values.
//!
//! - Entry points: every parameter file of the run (`X.parameters.json`, `X.parameters.*.json`)
//!   with the template `X.json` beside it, then every template of the run that no parameter file
//!   of the run pairs with, with its parameter defaults.
//! - Values: JSON values are known, each with its node's span; a string that is an expression
//!   (`"[...]"`) is evaluated, and its value is placed at the expression inside the string when the
//!   string holds it byte for byte (no escapes), else at the whole string.
//! - Resources: `resources` as an array or (languageVersion 2.0) an object of symbolic names,
//!   `condition`, `copy` (one resource per element when the count is known), nested child
//!   `resources`, and `Microsoft.Resources/deployments` with an inline `template`, evaluated as a
//!   module call.
//!
//! `docs/bicep-evaluator.md` ("ARM JSON templates") describes the rules.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use akslint_arm::expression::{self, Expr, ExprKind, StringValue};
use akslint_arm::json::JsonDocument;
use akslint_core::{
    AzureResource, Entry, Iteration, NodeId, NodeKind, Scalar, ScalarType, SharedSource,
    SourceLoader, Tree,
};

use super::project::{FileInfo, Loaded, MAX_LOADED_FILES, Target, key_of, normalise, resolve};
use super::resources::{MAX_LOOP_ELEMENTS, shorten};
use super::value::{Ent, FileId, Kind, Loc, ObjectBuilder, V, Val, restamp};
use super::{
    Cx, Ev, Evaluation, Limit, MAX_MODULE_DEPTH, MAX_RESOURCE_NESTING, Memo, Provided, core_span,
};
use crate::Span;
use crate::ast::BinaryOp;

/// Deepest nesting of user-defined function calls followed (a call deeper is unknown).
const MAX_FUNCTION_NESTING: usize = 16;

/// Properties of a resource object that are not part of its body.
pub(super) const NOT_BODY: [&str; 8] = [
    "type",
    "apiVersion",
    "condition",
    "copy",
    "resources",
    "dependsOn",
    "comments",
    "existing",
];

/// What a JSON file of the run is, by its `$schema`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Schema {
    /// A deployment template (`…/deploymentTemplate.json#`).
    Template,
    /// A parameter file (`…/deploymentParameters.json#`).
    Parameters,
}

/// What `$schema` says a JSON document is, if it is an ARM template or parameter file.
pub(super) fn schema(document: &JsonDocument) -> Option<Schema> {
    let root = document.root?;
    let schema = object_get(&document.tree, root, "$schema")?;
    let text = document.tree.str(schema.value)?.to_ascii_lowercase();
    if text.contains("deploymenttemplate") {
        Some(Schema::Template)
    } else if text.contains("deploymentparameters") {
        Some(Schema::Parameters)
    } else {
        None
    }
}

/// The template object of a JSON file a module names: the root, or for a template spec version
/// (the form the Bicep CLI caches template specs in) its `properties.mainTemplate`.
pub(super) fn template_object(document: &JsonDocument) -> Option<NodeId> {
    let root = document.root?;
    let tree = &document.tree;
    if object_get(tree, root, "resources").is_some() || object_get(tree, root, "$schema").is_some()
    {
        return Some(root);
    }
    let properties = object_get(tree, root, "properties")?;
    object_get(tree, properties.value, "mainTemplate")
        .map(|entry| entry.value)
        .or(Some(root))
}

/// The entry of a JSON object with this key: an exact match first, else one differing in ASCII
/// case (ARM compares property names ignoring case). No YAML merge keys.
pub(super) fn object_get(tree: &Tree, object: NodeId, key: &str) -> Option<Entry> {
    let entries = match &tree.node(object).kind {
        NodeKind::Mapping(entries) => entries,
        _ => return None,
    };
    let exact = entries.iter().find(|e| tree.str(e.key) == Some(key));
    exact
        .or_else(|| {
            entries
                .iter()
                .find(|e| tree.str(e.key).is_some_and(|k| k.eq_ignore_ascii_case(key)))
        })
        .copied()
}

/// The template a parameter file goes with: `X.json` beside `X.parameters.json` or
/// `X.parameters.<anything>.json`.
fn paired_template(parameters: &Path) -> Option<PathBuf> {
    let name = parameters.file_name()?.to_str()?;
    let lower = name.to_ascii_lowercase();
    let stem_end = lower.find(".parameters.")?;
    if !lower.ends_with(".json") || stem_end == 0 {
        return None;
    }
    Some(parameters.with_file_name(format!("{}.json", &name[..stem_end])))
}

/// A parameter file of the run and its template, when it was found.
type Pairing = (FileId, Option<FileId>);

/// An entry point: a template with a parameter file, or on its own.
struct ArmEntry {
    /// The file that starts the deployment (the parameter file, or the template).
    file: FileId,
    /// The template, when it was found.
    template: Option<FileId>,
}

/// Reads the run's ARM files (other files are left out) and the templates their parameter files
/// name (through `loader` when not in the run), returning the files and, for each parameter
/// file, its template when it was found.
fn load(
    files: &[SharedSource],
    templates: &HashMap<PathBuf, PathBuf>,
    loader: &dyn SourceLoader,
    cwd: Option<&Path>,
) -> (Vec<Loaded>, Vec<Pairing>, Vec<Link>) {
    let mut run: Vec<(PathBuf, &SharedSource)> =
        files.iter().map(|f| (key_of(f.path(), cwd), f)).collect();
    run.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.path().cmp(b.1.path())));
    run.dedup_by(|a, b| a.0 == b.0);
    let mut loaded: Vec<Loaded> = Vec::new();
    let mut by_key: HashMap<PathBuf, FileId> = HashMap::new();
    for (key, source) in run {
        let document = akslint_arm::json::parse(source.text());
        if schema(&document).is_none() {
            continue;
        }
        by_key.insert(key, loaded.len() as FileId);
        loaded.push(Loaded::json(source.clone(), document, true));
    }
    let mut pairs = Vec::new();
    for index in 0..loaded.len() {
        let is_parameters = loaded[index]
            .json
            .as_ref()
            .and_then(schema)
            .is_some_and(|s| s == Schema::Parameters);
        if !is_parameters {
            continue;
        }
        let own_key = key_of(loaded[index].source.path(), cwd);
        let Some(template) = templates
            .get(&own_key)
            .cloned()
            .or_else(|| paired_template(loaded[index].source.path()))
            .map(|p| normalise(&p))
        else {
            pairs.push((index as FileId, None));
            continue;
        };
        let key = key_of(&template, cwd);
        if !by_key.contains_key(&key)
            && let Some(source) = loader.load(&template)
        {
            let document = akslint_arm::json::parse(source.text());
            if schema(&document) == Some(Schema::Template) {
                by_key.insert(key.clone(), loaded.len() as FileId);
                loaded.push(Loaded::json(source, document, false));
            }
        }
        pairs.push((index as FileId, by_key.get(&key).copied()));
    }
    let links = follow_links(&mut loaded, &mut by_key, loader, cwd);
    (loaded, pairs, links)
}

/// A deployment's `templateLink` that names a file beside the template: where it is written (the
/// start of the `templateLink` value), and the file, or the path that could not be read.
struct Link {
    file: FileId,
    at: u32,
    target: Result<FileId, String>,
}

/// Reads the templates that the loaded templates link to by a path (`templateLink.relativePath`,
/// or `uri(deployment().properties.templateLink.uri, 'path')`), transitively, at most
/// [`MAX_LOADED_FILES`] of them.
fn follow_links(
    loaded: &mut Vec<Loaded>,
    by_key: &mut HashMap<PathBuf, FileId>,
    loader: &dyn SourceLoader,
    cwd: Option<&Path>,
) -> Vec<Link> {
    let mut links = Vec::new();
    let mut read = 0;
    let mut next = 0;
    while next < loaded.len() {
        let file = next as FileId;
        next += 1;
        let Some(document) = loaded[file as usize].json.as_ref() else {
            continue;
        };
        let from = loaded[file as usize].source.path().to_owned();
        for (at, relative) in template_links(document) {
            let path = normalise(&resolve(&from, &relative));
            let key = key_of(&path, cwd);
            let target = match by_key.get(&key) {
                Some(&id) => Ok(id),
                None if read >= MAX_LOADED_FILES => Err(path.display().to_string()),
                None => match loader.load_text(&path) {
                    Some(text) => {
                        read += 1;
                        let id = loaded.len() as FileId;
                        by_key.insert(key, id);
                        let source = std::sync::Arc::new(akslint_core::SourceFile::new(
                            &path,
                            akslint_core::SourceKind::ArmTemplate,
                            text,
                        ));
                        let document = akslint_arm::json::parse(source.text());
                        loaded.push(Loaded::json(source, document, false));
                        Ok(id)
                    }
                    None => Err(path.display().to_string()),
                },
            };
            links.push(Link { file, at, target });
        }
    }
    links
}

/// The `templateLink`s of a document that name a file by a path known without deploying: the
/// start of each `templateLink` value, and the path relative to the document.
fn template_links(document: &JsonDocument) -> Vec<(u32, String)> {
    let tree = &document.tree;
    let mut out = Vec::new();
    for (_, node) in tree.iter() {
        let NodeKind::Mapping(entries) = &node.kind else {
            continue;
        };
        let Some(link) = entries.iter().find(|e| {
            tree.str(e.key)
                .is_some_and(|k| k.eq_ignore_ascii_case("templateLink"))
        }) else {
            continue;
        };
        let relative = object_get(tree, link.value, "relativePath")
            .and_then(|e| tree.str(e.value))
            .filter(|path| !expression::is_expression(path))
            .map(str::to_owned)
            .or_else(|| {
                let uri = tree.str(object_get(tree, link.value, "uri")?.value)?;
                relative_to_own_link(uri)
            });
        if let Some(relative) = relative.filter(|r| !r.is_empty()) {
            out.push((tree.span(link.value).start, relative));
        }
    }
    out
}

/// The path of `[uri(deployment().properties.templateLink.uri, 'path')]`: a template linked
/// beside the one being deployed.
fn relative_to_own_link(uri: &str) -> Option<String> {
    let StringValue::Expression(expr) = expression::classify(uri).ok()? else {
        return None;
    };
    let ExprKind::Call {
        namespace: None,
        name,
        arguments,
    } = &expr.kind
    else {
        return None;
    };
    let [base, relative] = arguments.as_slice() else {
        return None;
    };
    let own_link = matches!(&base.kind, ExprKind::Property { base, name } if name.eq_ignore_ascii_case("uri")
        && matches!(&base.kind, ExprKind::Property { name, .. } if name.eq_ignore_ascii_case("templateLink")));
    match &relative.kind {
        ExprKind::String(path) if name.eq_ignore_ascii_case("uri") && own_link => {
            Some(path.clone())
        }
        _ => None,
    }
}

/// Evaluates the ARM JSON templates and parameter files among `files` (other files are ignored,
/// whatever their [`akslint_core::SourceKind`]): the resources, with notes on what was not
/// evaluated. Templates named by a parameter file of the run are read through `loader` when they
/// are not run files.
pub fn evaluate_arm(files: &[SharedSource], loader: &dyn SourceLoader) -> Evaluation {
    evaluate_arm_with(files, &HashMap::new(), loader)
}

/// [`evaluate_arm`], with the templates the configuration names for parameter files that are
/// not named after their template (by the parameter file's path as [`key_of`] gives it).
pub fn evaluate_arm_with(
    files: &[SharedSource],
    templates: &HashMap<PathBuf, PathBuf>,
    loader: &dyn SourceLoader,
) -> Evaluation {
    let cwd = std::env::current_dir().ok();
    let (loaded, pairs, links) = load(files, templates, loader, cwd.as_deref());
    let no_references = HashMap::new();
    let mut infos: Vec<FileInfo<'_>> = loaded
        .iter()
        .map(|l| FileInfo::new(l, &no_references, cwd.as_deref()))
        .collect();
    let mut linked = vec![false; loaded.len()];
    for link in links {
        let target = match link.target {
            Ok(id) => {
                linked[id as usize] = true;
                Target::File(id)
            }
            Err(path) => Target::Unresolved(path),
        };
        infos[link.file as usize].targets.insert(link.at, target);
    }
    let mut entries: Vec<ArmEntry> = pairs
        .into_iter()
        .map(|(file, template)| ArmEntry { file, template })
        .collect();
    let paired: Vec<FileId> = entries.iter().filter_map(|e| e.template).collect();
    for (index, l) in loaded.iter().enumerate() {
        let id = index as FileId;
        let is_template = l.json.as_ref().and_then(schema) == Some(Schema::Template);
        // A template that a run template links to is evaluated through that link.
        if l.in_run && is_template && !paired.contains(&id) && !linked[index] {
            entries.push(ArmEntry {
                file: id,
                template: Some(id),
            });
        }
    }
    let mut ev = Ev::new(&infos);
    for entry in entries {
        ev.deployment(entry.file, |ev| ev.arm_entry(&entry));
    }
    ev.finish()
}

/// How the spans of an expression (in a JSON string's decoded text) map into the file.
#[derive(Clone, Copy, Debug)]
struct Text {
    /// The whole string, quotes included.
    whole: Span,
    /// Where the decoded text starts in the file, when the file holds it byte for byte.
    verbatim: Option<u32>,
}

impl Text {
    /// The place of `span` (in the decoded text) in the file.
    fn loc(self, file: FileId, span: akslint_core::Span) -> Loc {
        let span = match self.verbatim {
            Some(start) => Span::new(start + span.start, start + span.end),
            None => self.whole,
        };
        Loc { file, span }
    }
}

/// One evaluation of a resource for its `copy` loop: the loop's name bound to the index (or to an
/// unknown), and the element.
type CopyPass<'a> = (Vec<(&'a str, V)>, Option<Iteration>);

/// The resource a nested child resource is declared in.
struct ArmParent {
    name: String,
    resource_type: String,
    iteration: Option<Iteration>,
    loop_span: Option<Span>,
}

/// A span of the core model as the evaluator's.
fn span_of(span: akslint_core::Span) -> Span {
    Span::new(span.start, span.end)
}

impl<'a> Ev<'a> {
    /// The JSON tree of a file (every ARM file has one).
    fn json(&self, file: FileId) -> &'a JsonDocument {
        static EMPTY: std::sync::OnceLock<JsonDocument> = std::sync::OnceLock::new();
        self.file(file)
            .json
            .unwrap_or_else(|| EMPTY.get_or_init(JsonDocument::default))
    }

    /// Evaluates one entry point.
    fn arm_entry(&mut self, entry: &ArmEntry) {
        let Some(template) = entry.template else {
            let name = self.file(entry.file).name.clone();
            let message = match paired_template(self.file(entry.file).source.path()) {
                Some(path) => format!(
                    "the template {} of {name} could not be read: not evaluated",
                    path.display()
                ),
                None => format!(
                    "{name} is not named `<template>.parameters.json` or `<template>.parameters.<name>.json`: its template is not known, so it is not evaluated"
                ),
            };
            self.note(None, message);
            return;
        };
        let Some(root) = self.json(template).root else {
            return;
        };
        let (provided, via) = if entry.file == template {
            (Provided::default(), Vec::new())
        } else {
            let provided = self.parameter_file_values(entry.file);
            self.bind_arm(&provided, template, root, None);
            (provided, vec![(entry.file, Span::new(0, 0))])
        };
        let inst = self.new_instance(template, provided, via, vec![template]);
        self.instances[inst].template = Some(root);
        self.reached[template as usize] = true;
        self.arm_template(inst, root);
    }

    /// The values a parameter file gives (`parameters: {x: {value: …}}`), as written (parameter
    /// files hold no expressions); a `reference` (a Key Vault secret) is unknown.
    fn parameter_file_values(&mut self, file: FileId) -> Provided {
        let mut provided = Provided {
            complete: true,
            ..Provided::default()
        };
        let document = self.json(file);
        let tree = &document.tree;
        let Some(parameters) = document
            .root
            .and_then(|root| object_get(tree, root, "parameters"))
        else {
            return provided;
        };
        for entry in tree.entries(parameters.value) {
            let Some(name) = tree.str(entry.key) else {
                continue;
            };
            let what = self.what(format!("the value of `{name}` in {}", self.file(file).name));
            let cx = Cx {
                inst: 0,
                file,
                what,
            };
            let value = match object_get(tree, entry.value, "value") {
                Some(value) => self.json_value(cx, value.value, false),
                None => Val::unknown(
                    Loc {
                        file,
                        span: span_of(tree.span(entry.value)),
                    },
                    what,
                ),
            };
            provided.values.insert(name.to_owned(), value);
        }
        provided
    }

    /// Evaluates the resources of the template object `template` in an instance whose
    /// parameters and variables are those of `inst`'s template.
    pub(super) fn arm_template(&mut self, inst: usize, template: NodeId) {
        let file = self.instances[inst].file;
        let floor = std::mem::replace(&mut self.floor, self.locals.len());
        if let Some(resources) = object_get(&self.json(file).tree, template, "resources") {
            self.arm_resources(inst, resources.value, None, 0);
        }
        self.locals.truncate(self.floor);
        self.floor = floor;
    }

    /// Evaluates a `resources` array, or object of symbolic names.
    fn arm_resources(
        &mut self,
        inst: usize,
        resources: NodeId,
        parent: Option<&ArmParent>,
        nesting: u32,
    ) {
        let file = self.instances[inst].file;
        let tree = &self.json(file).tree;
        let list: Vec<(Option<&'a str>, NodeId)> = match &tree.node(resources).kind {
            NodeKind::Sequence(items) => items.iter().map(|&i| (None, i)).collect(),
            NodeKind::Mapping(entries) => {
                entries.iter().map(|e| (tree.str(e.key), e.value)).collect()
            }
            _ => Vec::new(),
        };
        if nesting > MAX_RESOURCE_NESTING && !list.is_empty() {
            self.note(
                Some(Loc {
                    file,
                    span: span_of(tree.span(resources)),
                }),
                format!(
                    "resources nested deeper than {MAX_RESOURCE_NESTING} levels are not evaluated"
                ),
            );
            return;
        }
        for (symbolic, resource) in list {
            if tree.is_mapping(resource) {
                self.arm_resource(inst, resource, symbolic, parent, nesting);
            }
        }
    }

    /// The span of a property from its key through its value.
    fn property_span(&self, file: FileId, entry: Entry) -> Span {
        let tree = &self.json(file).tree;
        Span::new(tree.span(entry.key).start, tree.span(entry.value).end)
    }

    /// Evaluates one resource object (once per element of its `copy` loop when the count is
    /// known), and the resources nested in it.
    fn arm_resource(
        &mut self,
        inst: usize,
        resource: NodeId,
        symbolic: Option<&'a str>,
        parent: Option<&ArmParent>,
        nesting: u32,
    ) {
        let file = self.instances[inst].file;
        let tree = &self.json(file).tree;
        let get = |key: &str| object_get(tree, resource, key);
        let type_entry = get("type");
        let written_type = type_entry.and_then(|e| tree.str(e.value)).unwrap_or("");
        let resource_type = match parent {
            Some(p) if !written_type.contains('/') => {
                format!("{}/{written_type}", p.resource_type)
            }
            _ => written_type.to_owned(),
        };
        let declaration_span = match type_entry {
            Some(entry) => self.property_span(file, entry),
            None => span_of(tree.span(resource)),
        };
        let written_name = get("name")
            .and_then(|e| tree.str(e.value))
            .map(shorten)
            .unwrap_or_default();
        // A registry module's symbolic names are the module author's: its resources are named
        // by their evaluated names, as resources of a JSON template without symbolic names are.
        let symbolic = symbolic.filter(|_| !self.file(file).cached);
        let name = symbolic.map_or(written_name, str::to_owned);
        let what = self.what(format!("resource `{name}`"));
        let cx = Cx { inst, file, what };
        let existing = get("existing").and_then(|e| tree.bool(e.value)) == Some(true);
        let condition = get("condition");
        let copy = get("copy");
        let loop_span = copy.map(|c| self.property_span(file, c));
        let mark = self.locals.len();
        for (binding, own_iteration) in self.copy_passes(cx, copy) {
            self.locals.truncate(mark);
            self.locals.extend(binding);
            if let Some(condition) = condition
                && self.json_value(cx, condition.value, true).as_bool() == Some(false)
            {
                continue;
            }
            let (iteration, loop_span) = match (own_iteration, loop_span, parent) {
                (None, None, Some(p)) => (p.iteration.clone(), p.loop_span),
                (None, None, None) => (self.instances[inst].iteration.clone(), None),
                (iteration, loop_span, _) => (iteration, loop_span),
            };
            // A `name` written as an expression is named by its value in this pass when known
            // (`aks-northeurope` rather than `[format('aks-{0}', …)]`).
            let name = match (symbolic, get("name")) {
                (None, Some(entry))
                    if tree.str(entry.value).is_some_and(expression::is_expression) =>
                {
                    self.json_value(cx, entry.value, true)
                        .as_str()
                        .map_or_else(|| name.clone(), str::to_owned)
                }
                _ => name.clone(),
            };
            let api_version = match get("apiVersion") {
                Some(entry) => self
                    .json_value(cx, entry.value, true)
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                None => String::new(),
            };
            let head = Loc {
                file,
                span: declaration_span,
            };
            if resource_type.eq_ignore_ascii_case("Microsoft.Resources/deployments")
                && let Some(template) = self.deployed_template(cx, resource, &name, head)
            {
                self.nested_deployment(cx, resource, template, &name, head, iteration);
                continue;
            }
            let body = self.resource_body(cx, resource);
            let (body_tree, root, origins) = self.body_tree(file, &body);
            let via = self.via_locations(inst);
            self.emit(
                AzureResource {
                    file: self.file(file).source.clone(),
                    symbolic_name: name.clone(),
                    resource_type: resource_type.clone(),
                    api_version,
                    declaration_span: core_span(declaration_span),
                    existing,
                    condition: condition.map(|c| core_span(self.property_span(file, c))),
                    loop_span: loop_span.map(core_span),
                    iteration: iteration.clone(),
                    parent: parent.map(|p| p.name.clone()),
                    body: body_tree,
                    root,
                    origins,
                    via,
                },
                inst,
            );
            if let Some(children) = get("resources") {
                let me = ArmParent {
                    name: name.clone(),
                    resource_type: resource_type.clone(),
                    iteration,
                    loop_span,
                };
                self.arm_resources(inst, children.value, Some(&me), nesting + 1);
            }
        }
        self.locals.truncate(mark);
    }

    /// A resource's body: its properties but the ones that say how it is deployed
    /// ([`NOT_BODY`]), evaluated.
    fn resource_body(&mut self, cx: Cx, resource: NodeId) -> V {
        let tree = &self.json(cx.file).tree;
        let at = Loc {
            file: cx.file,
            span: span_of(tree.span(resource)),
        };
        let mut builder = ObjectBuilder::default();
        for entry in tree.entries(resource) {
            let Some(key) = tree.str(entry.key) else {
                continue;
            };
            if NOT_BODY.iter().any(|k| k.eq_ignore_ascii_case(key)) {
                continue;
            }
            let value = self.json_value(cx, entry.value, true);
            builder.set(Ent {
                key: Some(key.into()),
                key_src: Loc {
                    file: cx.file,
                    span: span_of(tree.span(entry.key)),
                },
                key_what: cx.what,
                value,
            });
        }
        self.object(builder.entries, at, cx.what)
    }

    /// The passes of a `copy` loop: one per index when the count is known (none for 0), else
    /// one with `copyIndex()` unknown; one without a loop.
    fn copy_passes(&mut self, cx: Cx, copy: Option<Entry>) -> Vec<CopyPass<'a>> {
        let Some(copy) = copy else {
            return vec![(Vec::new(), None)];
        };
        let tree = &self.json(cx.file).tree;
        let loop_name = object_get(tree, copy.value, "name")
            .and_then(|e| tree.str(e.value))
            .unwrap_or("");
        let head = Loc {
            file: cx.file,
            span: self.property_span(cx.file, copy),
        };
        let count = object_get(tree, copy.value, "count")
            .map(|e| self.json_value(cx, e.value, true))
            .and_then(|v| v.as_int());
        match count.and_then(|n| usize::try_from(n).ok()) {
            Some(count) if count <= MAX_LOOP_ELEMENTS => (0..count)
                .map(|index| {
                    let value = Val::leaf(Kind::Int(index as i64), head, cx.what);
                    let iteration = Iteration {
                        source: shorten(loop_name),
                        indices: vec![index],
                        count,
                        name: None,
                    };
                    (vec![(loop_name, value)], Some(iteration))
                })
                .collect(),
            known => {
                if let Some(count) = known {
                    self.note(
                        Some(head),
                        format!(
                            "this copy loop runs {count} times, more than the {MAX_LOOP_ELEMENTS} ARM deploys; it is evaluated once, with its index unknown"
                        ),
                    );
                }
                let what = self.what(format!("the index of copy loop `{loop_name}`"));
                vec![(vec![(loop_name, Val::unknown(head, what))], None)]
            }
        }
    }

    /// Evaluates a `Microsoft.Resources/deployments` resource with an inline template as a
    /// module call: its resources, with the values of its `parameters` (scope `inner`), or with
    /// the calling template's parameters and variables (scope `outer`, ARM's default).
    fn nested_deployment(
        &mut self,
        cx: Cx,
        resource: NodeId,
        (template_file, template): (FileId, NodeId),
        name: &str,
        head: Loc,
        iteration: Option<Iteration>,
    ) {
        let inst = cx.inst;
        let tree = &self.json(cx.file).tree;
        let properties = object_get(tree, resource, "properties").map(|p| p.value);
        // A linked template sees only its own parameters, as an inline one in the inner scope.
        let inner = template_file != cx.file
            || properties
                .and_then(|p| object_get(tree, p, "expressionEvaluationOptions"))
                .and_then(|o| object_get(tree, o.value, "scope"))
                .and_then(|s| tree.str(s.value))
                .is_some_and(|s| s.eq_ignore_ascii_case("inner"));
        if self.instances[inst].via.len() >= MAX_MODULE_DEPTH {
            self.note(
                Some(head),
                format!(
                    "deployment `{name}` is nested deeper than {MAX_MODULE_DEPTH} deployments; its resources are not evaluated"
                ),
            );
            return;
        }
        if self.budget.instances == 0 {
            self.budget.exhaust(head, Limit::Instances);
            return;
        }
        let (provided, scope) = if inner {
            let mut provided = Provided {
                complete: true,
                ..Provided::default()
            };
            let caller = self.file(cx.file).name.clone();
            if let Some(parameters) = properties.and_then(|p| object_get(tree, p, "parameters")) {
                for entry in tree.entries(parameters.value) {
                    let Some(key) = tree.str(entry.key) else {
                        continue;
                    };
                    let what = self.what(format!(
                        "argument `{key}` of deployment `{name}` in {caller}"
                    ));
                    let value = match object_get(tree, entry.value, "value") {
                        Some(value) => self.json_value(Cx { what, ..cx }, value.value, true),
                        None => Val::unknown(
                            Loc {
                                file: cx.file,
                                span: span_of(tree.span(entry.value)),
                            },
                            what,
                        ),
                    };
                    provided.values.insert(key.to_owned(), value);
                }
            }
            self.bind_arm(&provided, cx.file, template, Some(name));
            (provided, template)
        } else {
            let outer = &self.instances[inst];
            let provided = outer.provided.clone();
            (provided, outer.template.unwrap_or(template))
        };
        let mut via = self.instances[inst].via.clone();
        via.push((head.file, head.span));
        let mut chain = self.instances[inst].chain.clone();
        chain.push(template_file);
        let callee = self.new_instance(template_file, provided, via, chain);
        self.instances[callee].template = Some(scope);
        self.instances[callee].iteration = iteration;
        let floor = std::mem::replace(&mut self.floor, self.locals.len());
        if let Some(resources) = object_get(&self.json(template_file).tree, template, "resources") {
            self.arm_resources(callee, resources.value, None, 0);
        }
        self.locals.truncate(self.floor);
        self.floor = floor;
    }

    /// The template a `Microsoft.Resources/deployments` resource deploys, with its file: the
    /// inline `properties.template`, or the template its `templateLink` names by a path (read when
    /// the run was loaded). A link that cannot be followed is a note, and the deployment stays a
    /// plain resource.
    fn deployed_template(
        &mut self,
        cx: Cx,
        resource: NodeId,
        name: &str,
        head: Loc,
    ) -> Option<(FileId, NodeId)> {
        let tree = &self.json(cx.file).tree;
        let properties = object_get(tree, resource, "properties")?.value;
        if let Some(template) =
            object_get(tree, properties, "template").filter(|t| tree.is_mapping(t.value))
        {
            return Some((cx.file, template.value));
        }
        let link = object_get(tree, properties, "templateLink")?;
        let why = match self.file(cx.file).targets.get(&tree.span(link.value).start) {
            Some(Target::File(target)) => {
                let found = self.file(*target).json.and_then(template_object);
                match found {
                    Some(root) => return Some((*target, root)),
                    None => format!("{} is not a template", self.file(*target).name),
                }
            }
            Some(Target::Unresolved(path)) => format!("{path} could not be read"),
            _ => "its template is named by a URI known only at deployment".to_owned(),
        };
        self.note(
            Some(head),
            format!(
                "deployment `{name}` links to a template: {why}; its resources are not evaluated"
            ),
        );
        None
    }

    /// The value of a JSON node: known as written, strings that are expressions evaluated (when
    /// `expressions`), objects' property `copy` loops expanded.
    fn json_value(&mut self, cx: Cx, node: NodeId, expressions: bool) -> V {
        let tree = &self.json(cx.file).tree;
        let at = Loc {
            file: cx.file,
            span: span_of(tree.span(node)),
        };
        self.step(cx, at, |ev| match &tree.node(node).kind {
            NodeKind::Scalar(scalar) if expressions && scalar.ty == ScalarType::String => {
                ev.json_string(cx, node, at)
            }
            NodeKind::Scalar(scalar) => ev.scalar_value(cx, scalar, at),
            NodeKind::Sequence(items) => {
                let mut values = Vec::with_capacity(items.len());
                for &item in items {
                    values.push(ev.json_value(cx, item, expressions));
                }
                ev.array(values, at, cx.what)
            }
            NodeKind::Mapping(entries) => ev.json_object(cx, entries, at, expressions),
            NodeKind::Alias(_) | NodeKind::Unknown => ev.unknown(cx, at),
        })
    }

    /// A JSON object's value; a `copy` property holding loops (`[{name, count, input}]`) gives
    /// one array property per loop, when `expressions`.
    fn json_object(&mut self, cx: Cx, entries: &'a [Entry], at: Loc, expressions: bool) -> V {
        let tree = &self.json(cx.file).tree;
        let mut builder = ObjectBuilder::default();
        for entry in entries {
            let Some(key) = tree.str(entry.key) else {
                continue;
            };
            let key_src = Loc {
                file: cx.file,
                span: span_of(tree.span(entry.key)),
            };
            if expressions && key.eq_ignore_ascii_case("copy") && tree.is_sequence(entry.value) {
                for &copy in tree.items(entry.value) {
                    let Some(name) = object_get(tree, copy, "name").and_then(|n| tree.str(n.value))
                    else {
                        continue;
                    };
                    let value = self.copy_array(cx, copy, name);
                    builder.set(Ent {
                        key: Some(name.into()),
                        key_src,
                        key_what: cx.what,
                        value,
                    });
                }
                continue;
            }
            let value = self.json_value(cx, entry.value, expressions);
            builder.set(Ent {
                key: Some(key.into()),
                key_src,
                key_what: cx.what,
                value,
            });
        }
        self.object(builder.entries, at, cx.what)
    }

    /// The array a copy loop `{name, count, input}` builds: `input` evaluated once per index,
    /// with `copyIndex('name')` bound; unknown when the count is not known or too large.
    fn copy_array(&mut self, cx: Cx, copy: NodeId, name: &'a str) -> V {
        let tree = &self.json(cx.file).tree;
        let at = Loc {
            file: cx.file,
            span: span_of(tree.span(copy)),
        };
        let count = object_get(tree, copy, "count")
            .map(|e| self.json_value(cx, e.value, true))
            .and_then(|v| v.as_int());
        let input = object_get(tree, copy, "input");
        let (Some(count), Some(input)) = (count, input) else {
            return self.unknown(cx, at);
        };
        let Some(count) = usize::try_from(count)
            .ok()
            .filter(|&n| n <= MAX_LOOP_ELEMENTS)
        else {
            return self.unknown(cx, at);
        };
        let mut items = Vec::with_capacity(count);
        for index in 0..count {
            if self.budget.fuel == 0 {
                return self.unknown(cx, at);
            }
            self.locals
                .push((name, Val::leaf(Kind::Int(index as i64), at, cx.what)));
            let item = self.json_value(cx, input.value, true);
            self.locals.pop();
            items.push(item);
        }
        self.array(items, at, cx.what)
    }

    /// A JSON string's value: a literal, or the value of the expression it holds.
    fn json_string(&mut self, cx: Cx, node: NodeId, at: Loc) -> V {
        let source = self.file(cx.file).source;
        let tree = &self.json(cx.file).tree;
        let text = tree.str(node).unwrap_or_default();
        match expression::classify(text) {
            Ok(StringValue::Literal(literal)) => self.string(literal, at, cx.what),
            Ok(StringValue::Expression(expr)) => {
                let whole = at.span;
                let inside = Span::new(
                    whole.start + 1,
                    whole.end.saturating_sub(1).max(whole.start + 1),
                );
                let raw = source
                    .text()
                    .get(inside.start as usize..inside.end as usize);
                let verbatim = (raw == Some(text)).then_some(inside.start);
                self.arm_expr(cx, Text { whole, verbatim }, &expr)
            }
            Err(error) => {
                self.note(
                    Some(at),
                    format!(
                        "this expression does not parse ({}): its value is unknown",
                        error.message
                    ),
                );
                self.unknown(cx, at)
            }
        }
    }

    /// Evaluates an ARM expression.
    fn arm_expr(&mut self, cx: Cx, text: Text, expr: &Expr) -> V {
        let at = text.loc(cx.file, expr.span);
        let value = self.step(cx, at, |ev| match &expr.kind {
            ExprKind::String(s) => ev.string(s.clone(), at, cx.what),
            ExprKind::Int(n) => ev.scalar(cx, at, Kind::Int(*n)),
            ExprKind::Property { base, name } => {
                let base = ev.arm_expr(cx, text, base);
                ev.member(cx, &base, name, false, at)
            }
            ExprKind::Index { base, index } => {
                let base = ev.arm_expr(cx, text, base);
                let index = ev.arm_expr(cx, text, index);
                ev.index(cx, &base, &index, false, false, at)
            }
            ExprKind::Call {
                namespace: Some(namespace),
                name,
                arguments,
            } => ev.arm_user_function(cx, text, namespace, name, arguments, at),
            ExprKind::Call {
                namespace: None,
                name,
                arguments,
            } => ev.arm_call(cx, text, name, arguments, at),
        });
        restamp(value, at)
    }

    /// Calls a user-defined function (`namespace.name(…)`) of the instance's template
    /// (`functions: [{namespace, members: {name: {parameters, output}}}]`, names compared ignoring
    /// case): its `output.value` with `parameters()` bound to the arguments.
    fn arm_user_function(
        &mut self,
        cx: Cx,
        text: Text,
        namespace: &str,
        name: &str,
        arguments: &[Expr],
        at: Loc,
    ) -> V {
        let Some((parameters, output)) = self.arm_function(cx.inst, namespace, name) else {
            return self.unknown(cx, at);
        };
        if parameters.len() != arguments.len() || self.arm_arguments.len() >= MAX_FUNCTION_NESTING {
            return self.unknown(cx, at);
        }
        let frame: Vec<(&'a str, V)> = parameters
            .into_iter()
            .zip(arguments)
            .map(|(parameter, argument)| (parameter, self.arm_expr(cx, text, argument)))
            .collect();
        let what = self.what(format!("function `{namespace}.{name}`"));
        let inner = Cx { what, ..cx };
        self.arm_arguments.push(frame);
        let value = self.json_value(inner, output, true);
        self.arm_arguments.pop();
        value
    }

    /// The parameter names and the output value node of the user-defined function
    /// `namespace.name` of the instance's template.
    fn arm_function(
        &self,
        inst: usize,
        namespace: &str,
        name: &str,
    ) -> Option<(Vec<&'a str>, NodeId)> {
        let file = self.instances[inst].file;
        let tree = &self.json(file).tree;
        let template = self.instances[inst].template?;
        let functions = object_get(tree, template, "functions")?;
        let members = tree.items(functions.value).iter().find_map(|&group| {
            let declared = object_get(tree, group, "namespace")?;
            tree.str(declared.value)?
                .eq_ignore_ascii_case(namespace)
                .then(|| object_get(tree, group, "members"))
                .flatten()
        })?;
        let function = object_get(tree, members.value, name)?;
        let output = object_get(tree, function.value, "output")?;
        let value = object_get(tree, output.value, "value")?;
        let parameters = match object_get(tree, function.value, "parameters") {
            Some(list) => tree
                .items(list.value)
                .iter()
                .map(|&p| object_get(tree, p, "name").and_then(|n| tree.str(n.value)))
                .collect::<Option<Vec<&'a str>>>()?,
            None => Vec::new(),
        };
        Some((parameters, value.value))
    }

    /// Calls an ARM function: the template's own (`parameters`, `variables`, `copyIndex`, `if`,
    /// `json`, `createObject`, the operators' functions, ...) here, the others through the
    /// evaluator's library; deployment-time functions are unknown.
    fn arm_call(&mut self, cx: Cx, text: Text, name: &str, arguments: &[Expr], at: Loc) -> V {
        let lower = name.to_ascii_lowercase();
        if lower == "if" {
            let [condition, then_expr, else_expr] = arguments else {
                return self.unknown(cx, at);
            };
            return match self.arm_expr(cx, text, condition).kind {
                Kind::Bool(true) => self.arm_expr(cx, text, then_expr),
                Kind::Bool(false) => self.arm_expr(cx, text, else_expr),
                Kind::Unknown => {
                    let then_value = self.arm_expr(cx, text, then_expr);
                    let else_value = self.arm_expr(cx, text, else_expr);
                    self.either(cx, &then_value, &else_value, at)
                }
                _ => self.unknown(cx, at),
            };
        }
        let values: Vec<V> = arguments
            .iter()
            .map(|a| self.arm_expr(cx, text, a))
            .collect();
        let operator = match lower.as_str() {
            "equals" => Some(BinaryOp::Equals),
            "less" => Some(BinaryOp::Less),
            "lessorequals" => Some(BinaryOp::LessOrEqual),
            "greater" => Some(BinaryOp::Greater),
            "greaterorequals" => Some(BinaryOp::GreaterOrEqual),
            "add" => Some(BinaryOp::Add),
            "sub" => Some(BinaryOp::Subtract),
            "mul" => Some(BinaryOp::Multiply),
            "div" => Some(BinaryOp::Divide),
            "mod" => Some(BinaryOp::Modulo),
            _ => None,
        };
        if let Some(op) = operator {
            return match values.as_slice() {
                [left, right] => self.operate(cx, op, left, right, at),
                _ => self.unknown(cx, at),
            };
        }
        match (lower.as_str(), values.as_slice()) {
            // In a user-defined function, `parameters()` are the function's (and only them).
            ("parameters", [name]) if !self.arm_arguments.is_empty() => {
                let frame = self.arm_arguments.last().into_iter().flatten();
                let given = name.as_str().and_then(|name| {
                    frame
                        .clone()
                        .find(|(declared, _)| declared.eq_ignore_ascii_case(name))
                });
                match given {
                    Some((_, value)) => value.clone(),
                    None => self.unknown(cx, at),
                }
            }
            ("parameters", [name]) => match name.as_str() {
                Some(name) => self.arm_parameter(cx, name, at),
                None => self.unknown(cx, at),
            },
            ("variables", [name]) => match name.as_str() {
                Some(name) => self.arm_variable(cx, name, at),
                None => self.unknown(cx, at),
            },
            ("copyindex", _) => self.copy_index(cx, &values, at),
            ("true", []) => self.scalar(cx, at, Kind::Bool(true)),
            ("false", []) => self.scalar(cx, at, Kind::Bool(false)),
            ("null", []) => self.scalar(cx, at, Kind::Null),
            ("not", [operand]) => match operand.as_bool() {
                Some(b) => self.scalar(cx, at, Kind::Bool(!b)),
                None => self.unknown(cx, at),
            },
            ("and" | "or", [first, rest @ ..]) if !rest.is_empty() => {
                let short = lower == "or";
                let mut result = first.clone();
                for value in rest {
                    result = self.logical(cx, short, &result, value, at);
                }
                result
            }
            ("createarray", _) => self.array(values.clone(), at, cx.what),
            ("createobject", _) => self.create_object(cx, &values, at),
            ("json", [literal]) => match literal.as_str() {
                Some(literal) => self.json_literal(cx, literal, at),
                None => self.unknown(cx, at),
            },
            _ => self
                .call_builtin_values(cx, name, &values, at)
                .unwrap_or_else(|| self.unknown(cx, at)),
        }
    }

    /// `createObject(key, value, ...)`: keys must be known strings.
    fn create_object(&mut self, cx: Cx, values: &[V], at: Loc) -> V {
        if !values.len().is_multiple_of(2) {
            return self.unknown(cx, at);
        }
        let mut builder = ObjectBuilder::default();
        for pair in values.chunks(2) {
            let Some(key) = pair[0].as_str() else {
                return self.unknown(cx, at);
            };
            builder.set(Ent {
                key: Some(key.into()),
                key_src: pair[0].src,
                key_what: pair[0].what,
                value: pair[1].clone(),
            });
        }
        self.object(builder.entries, at, cx.what)
    }

    /// `json('…')` of a known string: the JSON value it holds, written at the call.
    fn json_literal(&mut self, cx: Cx, literal: &str, at: Loc) -> V {
        let document = akslint_arm::json::parse(literal);
        match document.root {
            Some(root) if document.problems.is_empty() => {
                self.tree_value(cx, &document.tree, root, at, 0)
            }
            _ => self.unknown(cx, at),
        }
    }

    /// A JSON scalar's value, as written (a number with a fraction or exponent is unknown).
    fn scalar_value(&mut self, cx: Cx, scalar: &Scalar, at: Loc) -> V {
        match scalar.ty {
            ScalarType::String => self.string(scalar.text.to_string(), at, cx.what),
            ScalarType::Int => match scalar.text.parse::<i64>() {
                Ok(n) => self.scalar(cx, at, Kind::Int(n)),
                Err(_) => self.unknown(cx, at),
            },
            ScalarType::Bool => match scalar.as_bool() {
                Some(b) => self.scalar(cx, at, Kind::Bool(b)),
                None => self.unknown(cx, at),
            },
            ScalarType::Null => self.scalar(cx, at, Kind::Null),
            ScalarType::Float => self.unknown(cx, at),
        }
    }

    /// A JSON tree's value (no expressions), every node written at `at`.
    fn tree_value(&mut self, cx: Cx, tree: &Tree, node: NodeId, at: Loc, depth: u16) -> V {
        if depth > super::value::MAX_VALUE_DEPTH || self.budget.fuel == 0 {
            return self.unknown(cx, at);
        }
        self.budget.fuel -= 1;
        match &tree.node(node).kind {
            NodeKind::Scalar(scalar) => self.scalar_value(cx, scalar, at),
            NodeKind::Sequence(items) => {
                let values = items
                    .iter()
                    .map(|&item| self.tree_value(cx, tree, item, at, depth + 1))
                    .collect();
                self.array(values, at, cx.what)
            }
            NodeKind::Mapping(entries) => {
                let mut builder = ObjectBuilder::default();
                for entry in entries {
                    let Some(key) = tree.str(entry.key) else {
                        continue;
                    };
                    let value = self.tree_value(cx, tree, entry.value, at, depth + 1);
                    builder.set(Ent {
                        key: Some(key.into()),
                        key_src: at,
                        key_what: cx.what,
                        value,
                    });
                }
                self.object(builder.entries, at, cx.what)
            }
            NodeKind::Alias(_) | NodeKind::Unknown => self.unknown(cx, at),
        }
    }

    /// `copyIndex()`, `copyIndex(offset)`, `copyIndex('loop')`, `copyIndex('loop', offset)`:
    /// the index of the resource's copy loop (or of the named loop) plus the offset.
    fn copy_index(&mut self, cx: Cx, values: &[V], at: Loc) -> V {
        let visible = &self.locals[self.floor.min(self.locals.len())..];
        let (loop_name, offset) = match values {
            [] => (None, Some(0)),
            [single] => match &single.kind {
                Kind::Str(name, _) => (Some(name.to_string()), Some(0)),
                Kind::Int(n) => (None, Some(*n)),
                _ => (None, None),
            },
            [name, offset] => (name.as_str().map(str::to_owned), offset.as_int()),
            _ => (None, None),
        };
        // Without a name, the resource's own copy loop, bound before any property loop.
        let index = match &loop_name {
            Some(name) => visible
                .iter()
                .rev()
                .find(|(n, _)| n.eq_ignore_ascii_case(name)),
            None => visible.first(),
        };
        let Some(offset) = offset.filter(|_| values.len() < 2 || loop_name.is_some()) else {
            return self.unknown(cx, at);
        };
        match index.map(|(_, v)| v.kind.clone()) {
            Some(Kind::Int(n)) => match n.checked_add(offset) {
                Some(n) => self.scalar(cx, at, Kind::Int(n)),
                None => self.unknown(cx, at),
            },
            Some(_) => {
                let source = index.map(|(_, v)| v.clone());
                source.unwrap_or_else(|| self.unknown(cx, at))
            }
            None => self.unknown(cx, at),
        }
    }

    /// The declared entry `name` of the instance template's `parameters` or `variables` object
    /// (`section`), with its declared name.
    fn declared(&self, inst: usize, section: &str, name: &str) -> Option<(&'a str, Entry)> {
        let file = self.instances[inst].file;
        let tree = &self.json(file).tree;
        let template = self.instances[inst].template?;
        let declarations = object_get(tree, template, section)?;
        let entry = object_get(tree, declarations.value, name)?;
        Some((tree.str(entry.key)?, entry))
    }

    /// `parameters('name')`: the value given, else the default.
    fn arm_parameter(&mut self, cx: Cx, name: &str, at: Loc) -> V {
        let inst = cx.inst;
        let Some((declared, entry)) = self.declared(inst, "parameters", name) else {
            return self.unknown(cx, at);
        };
        if let Some(value) = self.given_value(inst, declared) {
            return value;
        }
        let file = self.instances[inst].file;
        let tree = &self.json(file).tree;
        let name_at = Loc {
            file,
            span: span_of(tree.span(entry.key)),
        };
        if let Some(value) = self.memoised_default(inst, declared, name_at) {
            return value;
        }
        let Some(default) = object_get(tree, entry.value, "defaultValue") else {
            let what = self.what(format!("parameter `{declared}`, which has no value here"));
            return Val::unknown(name_at, what);
        };
        let what = self.what(format!("the default of parameter `{declared}`"));
        self.instances[inst].params.insert(declared, Memo::Busy);
        let value = self
            .enter(|ev| ev.json_value(Cx { inst, file, what }, default.value, true))
            .unwrap_or_else(|| Val::unknown(name_at, what));
        self.instances[inst]
            .params
            .insert(declared, Memo::Done(value.clone()));
        value
    }

    /// `variables('name')`: the variable's value (evaluated once per instance), or the array of
    /// a variable copy loop (`variables.copy: [{name, count, input}]`).
    fn arm_variable(&mut self, cx: Cx, name: &str, at: Loc) -> V {
        let inst = cx.inst;
        let file = self.instances[inst].file;
        let plain = self.declared(inst, "variables", name);
        let is_copy = plain.is_none();
        let found = plain.or_else(|| {
            let tree = &self.json(file).tree;
            let (_, copy) = self.declared(inst, "variables", "copy")?;
            tree.items(copy.value).iter().find_map(|&loop_node| {
                let loop_name = object_get(tree, loop_node, "name")?;
                let text = tree.str(loop_name.value)?;
                text.eq_ignore_ascii_case(name).then_some((
                    text,
                    Entry {
                        key: loop_name.value,
                        value: loop_node,
                    },
                ))
            })
        });
        let Some((declared, entry)) = found else {
            return self.unknown(cx, at);
        };
        let tree = &self.json(file).tree;
        let name_at = Loc {
            file,
            span: span_of(tree.span(entry.key)),
        };
        match self.instances[inst].vars.get(declared) {
            Some(Memo::Done(value)) => return value.clone(),
            Some(Memo::Busy) => {
                let what = self.what(format!("variable `{declared}`, which refers to itself"));
                return Val::unknown(name_at, what);
            }
            None => {}
        }
        let what = self.what(format!("the value of variable `{declared}`"));
        self.instances[inst].vars.insert(declared, Memo::Busy);
        let vcx = Cx { inst, file, what };
        let value = self
            .enter(|ev| {
                if is_copy {
                    ev.copy_array(vcx, entry.value, declared)
                } else {
                    ev.json_value(vcx, entry.value, true)
                }
            })
            .unwrap_or_else(|| Val::unknown(name_at, what));
        self.instances[inst]
            .vars
            .insert(declared, Memo::Done(value.clone()));
        value
    }
}
