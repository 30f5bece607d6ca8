//! The Bicep evaluator: turns the Bicep and `.bicepparam` files of a run into [`AzureResource`]s whose bodies
//! hold the values that can be known statically and [`NodeKind::Unknown`](akslint_core::NodeKind::Unknown)
//! everywhere else.
//!
//! - Entry points: every `.bicepparam` file (with the template its `using` names), then every `.bicep` file
//!   that no `.bicepparam` file of the run uses and no other `.bicep` file of the run calls as a module, then
//!   every `.bicep` file of the run that no evaluation reached (module cycles, calls under a false condition).
//! - Values: literals, objects (with spreads), arrays, interpolation, `param`/`var` references, property and
//!   index access, operators, ternaries and a set of pure functions, when their inputs are known.
//! - Origins: a value that comes from a parameter, a variable, a `.bicepparam` assignment or a module argument
//!   is placed at the expression that refers to it, with an [`Origin`](akslint_core::Origin) pointing at the
//!   literal that produced it.
//!
//! `docs/bicep-evaluator.md` describes the rules and what is not resolved.

mod arm;
mod arm_declarations;
mod budget;
mod declarations;
mod expr;
mod functions;
mod groups;
mod lambdas;
mod project;
mod registry;
mod resources;
mod value;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use akslint_core::{
    AzureResource, BoundString, Location, ParamBinding, ProjectSource, SharedSource, SourceKind,
    SourceLoader,
};

use crate::ast::{Declaration, ParamAssignment};
use budget::{Budget, Limit};
use project::{FileInfo, Sym, Target};
use value::{FileId, Loc, V, Val};

/// Deepest chain of module calls followed (a call deeper than this is not evaluated; a note says so).
pub(crate) const MAX_MODULE_DEPTH: usize = 16;
/// Deepest nesting of expression evaluation (expressions inside expressions, through references); deeper
/// expressions are unknown. Keeps the evaluator within a 2 MiB stack.
pub(crate) const MAX_EVAL_DEPTH: u32 = 200;
/// Longest chain of references (a variable whose value refers to a variable, ...) followed; past it the
/// value is unknown.
pub(crate) const MAX_INDIRECTIONS: u32 = 64;
/// Deepest chain of `.bicepparam` files followed through `extends`.
const MAX_EXTENDS: usize = 8;
/// Deepest nesting of resources inside resources followed.
pub(crate) const MAX_RESOURCE_NESTING: u32 = 32;

pub use akslint_core::{Evaluation, EvaluationNote as Note, EvaluationNoteKind as NoteKind};
pub use arm::{evaluate_arm, evaluate_arm_with};
pub use groups::{evaluate_each_group, evaluate_in_groups};
pub(crate) use project::{References, json_templates_named, key_of, references};

/// Evaluates the project's Bicep and `.bicepparam` files (with the front end's parse where the caller kept
/// it), returning the resources, the declarations, the parameter values and notes on what was not
/// evaluated.
pub fn evaluate(files: &[ProjectSource], loader: &dyn SourceLoader) -> Evaluation {
    let cwd = std::env::current_dir().ok();
    let (loaded, by_key) = project::load(files, loader, cwd.as_deref());
    let infos: Vec<FileInfo<'_>> = loaded
        .iter()
        .map(|l| FileInfo::new(l, &by_key, cwd.as_deref()))
        .collect();
    let mut ev = Ev::new(&infos);
    ev.run_entries();
    ev.finish()
}

/// Evaluates files given by their text alone (each parsed here): [`evaluate`] without kept parses.
pub fn evaluate_texts(files: &[SharedSource], loader: &dyn SourceLoader) -> Evaluation {
    let sources: Vec<ProjectSource> = files
        .iter()
        .map(|file| ProjectSource {
            file: file.clone(),
            syntax: None,
            template: None,
        })
        .collect();
    evaluate(&sources, loader)
}

/// The evaluation context of an expression: the instance, and what the declaration it is written in is.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cx {
    /// The instance.
    pub inst: usize,
    /// The instance's file.
    pub file: FileId,
    /// What the expression's declaration is, in words (an index into the descriptions).
    pub what: u32,
}

/// A variable or parameter being evaluated, or its value.
pub(crate) enum Memo {
    /// Being evaluated: a reference now is a cycle.
    Busy,
    /// Its value.
    Done(V),
}

/// The parameter values given to a template instance.
#[derive(Clone, Default)]
pub(crate) struct Provided {
    /// Values by parameter name.
    pub values: BTreeMap<String, V>,
    /// When the arguments are not all known: the value of every parameter not in `values`.
    pub open: Option<V>,
    /// Whether the values are all there is (a module call, a `.bicepparam` file): an omitted nullable
    /// parameter is then `null`.
    pub complete: bool,
}

/// One evaluation of a file: a template with its parameter values, a `.bicepparam` file, or a file read for
/// its exported variables.
pub(crate) struct Instance<'a> {
    /// The file.
    pub file: FileId,
    /// The parameter values (templates).
    pub provided: Provided,
    /// The instance of the base `.bicepparam` file (`extends`).
    pub base: Option<usize>,
    /// Variables evaluated so far.
    pub vars: HashMap<&'a str, Memo>,
    /// Parameters (defaults, `.bicepparam` assignments) evaluated so far.
    pub params: HashMap<&'a str, Memo>,
    /// The module calls that led here, outermost first.
    pub via: Vec<(FileId, crate::Span)>,
    /// The files of the module calls that led here, this one last (to find cycles).
    pub chain: Vec<FileId>,
    /// The loop element of the module call (or an enclosing one) that made this instance.
    pub iteration: Option<akslint_core::Iteration>,
    /// The template object of an ARM JSON instance (in its file's JSON tree).
    pub template: Option<akslint_core::NodeId>,
}

/// The sort key of a resource: file, declaration, module calls, entry point, order of evaluation.
type SortKey = (PathBuf, u32, u32, Vec<(PathBuf, u32, u32)>, usize, usize);

/// The evaluator's state for one run.
pub(crate) struct Ev<'a> {
    /// The files.
    pub files: &'a [FileInfo<'a>],
    /// The instances.
    pub instances: Vec<Instance<'a>>,
    /// Loop variables in scope, innermost last.
    pub locals: Vec<(&'a str, V)>,
    /// Locals below this index belong to an enclosing context and are not visible.
    pub floor: usize,
    /// Current nesting of expression evaluation.
    pub depth: u32,
    /// Current chain of references followed.
    pub indirections: u32,
    /// What the deployment being evaluated may still spend.
    pub budget: Budget,
    /// Descriptions of declarations, for origins (each shared by the origins it describes).
    whats: Vec<Arc<str>>,
    what_ids: HashMap<String, u32>,
    /// Notes, with where and what kind.
    notes: Vec<(Option<Loc>, String, NoteKind)>,
    /// The instance for each file read for its exported variables.
    libraries: HashMap<FileId, usize>,
    /// The resources so far.
    out: Vec<(SortKey, AzureResource)>,
    /// The values given to template parameters so far.
    bindings: Vec<ParamBinding>,
    /// Which files a template instance was made of.
    reached: Vec<bool>,
    /// The ordinal of the entry point being evaluated.
    entry: usize,
    /// The arguments of the ARM user-defined function calls being evaluated, innermost last:
    /// what `parameters()` means inside a function.
    pub arm_arguments: Vec<Vec<(&'a str, V)>>,
}

impl<'a> Ev<'a> {
    fn new(files: &'a [FileInfo<'a>]) -> Ev<'a> {
        Ev {
            files,
            instances: Vec::new(),
            locals: Vec::new(),
            floor: 0,
            depth: 0,
            indirections: 0,
            budget: Budget::per_deployment(),
            whats: Vec::new(),
            what_ids: HashMap::new(),
            notes: Vec::new(),
            libraries: HashMap::new(),
            out: Vec::new(),
            bindings: Vec::new(),
            reached: vec![false; files.len()],
            entry: 0,
            arm_arguments: Vec::new(),
        }
    }

    /// The id of a description.
    pub fn what(&mut self, text: String) -> u32 {
        if let Some(&id) = self.what_ids.get(&text) {
            return id;
        }
        let id = self.whats.len() as u32;
        self.whats.push(Arc::from(text.as_str()));
        self.what_ids.insert(text, id);
        id
    }

    /// A description, shared.
    pub fn what_shared(&self, id: u32) -> Arc<str> {
        self.whats.get(id as usize).cloned().unwrap_or_default()
    }

    /// Records a note on something not followed.
    pub fn note(&mut self, at: Option<Loc>, message: String) {
        self.notes.push((at, message, NoteKind::NotFollowed));
    }

    /// An array built in the deployment's budget (unknown past it, or past the size of a value).
    pub fn array(&mut self, items: Vec<V>, at: Loc, what: u32) -> V {
        if !self.budget.take_slots(items.len(), at) {
            return Val::unknown(at, what);
        }
        self.sized(Val::array(items, at, what), at)
    }

    /// An object built in the deployment's budget (unknown past it, or past the size of a value).
    pub fn object(&mut self, entries: Vec<value::Ent>, at: Loc, what: u32) -> V {
        if !self.budget.take_slots(entries.len() * 2, at) {
            return Val::unknown(at, what);
        }
        self.sized(Val::object(entries, at, what), at)
    }

    /// A string built in the deployment's budget (unknown past it, or past the size of a value).
    pub fn string(&mut self, text: String, at: Loc, what: u32) -> V {
        if !self.budget.take_slots(text.len() / 8 + 1, at) {
            return Val::unknown(at, what);
        }
        if text.len() > value::MAX_STRING {
            self.budget.exhaust(at, Limit::ValueSize);
        }
        Val::string(text, at, what)
    }

    /// A value just built, recording [`Limit::ValueSize`] when building it gave an unknown.
    fn sized(&mut self, value: V, at: Loc) -> V {
        if value.is_unknown() {
            self.budget.exhaust(at, Limit::ValueSize);
        }
        value
    }

    /// The file of an id.
    pub fn file(&self, id: FileId) -> &'a FileInfo<'a> {
        &self.files[id as usize]
    }

    /// A location of the core model.
    pub fn location(&self, loc: Loc) -> Location {
        Location {
            file: self.file(loc.file).source.clone(),
            span: core_span(loc.span),
        }
    }

    /// Adds an instance.
    pub fn new_instance(
        &mut self,
        file: FileId,
        provided: Provided,
        via: Vec<(FileId, crate::Span)>,
        chain: Vec<FileId>,
    ) -> usize {
        self.budget.instances = self.budget.instances.saturating_sub(1);
        self.instances.push(Instance {
            file,
            provided,
            base: None,
            vars: HashMap::new(),
            params: HashMap::new(),
            via,
            chain,
            iteration: None,
            template: None,
        });
        self.instances.len() - 1
    }

    /// Evaluates every entry point.
    fn run_entries(&mut self) {
        let files = self.files;
        let run: Vec<FileId> = (0..files.len() as FileId)
            .filter(|&f| self.file(f).in_run)
            .collect();
        let mut covered = vec![false; files.len()];
        for &f in &run {
            let info = self.file(f);
            let Some(program) = info.program else {
                continue;
            };
            for declaration in program.declarations() {
                let wanted = matches!(
                    (info.kind, declaration),
                    (SourceKind::BicepParam, Declaration::Using(_))
                        | (SourceKind::Bicep, Declaration::Module(_))
                );
                if wanted
                    && let Some(Target::File(target)) =
                        info.targets.get(&declaration.syntax().span().start)
                    && *target != f
                {
                    covered[*target as usize] = true;
                }
            }
        }
        for &f in &run {
            if self.file(f).kind == SourceKind::BicepParam {
                self.deployment(f, |ev| ev.entry_params(f));
            }
        }
        for &f in &run {
            if self.file(f).kind == SourceKind::Bicep && !covered[f as usize] {
                self.deployment(f, |ev| ev.entry_template(f));
            }
        }
        for &f in &run {
            if self.file(f).kind == SourceKind::Bicep && !self.reached[f as usize] {
                self.deployment(f, |ev| ev.entry_template(f));
            }
        }
    }

    /// Evaluates one deployment (an entry point) with a budget of its own: reports the first limit
    /// it reached, then drops the values of its instances (what it produced is kept).
    fn deployment(&mut self, file: FileId, evaluate: impl FnOnce(&mut Ev<'a>)) {
        self.budget = Budget::per_deployment();
        let first_instance = self.instances.len();
        evaluate(self);
        if let Some((at, limit)) = self.budget.exhausted.take() {
            self.limit_reached(file, at, limit);
        }
        let libraries: std::collections::HashSet<usize> =
            self.libraries.values().copied().collect();
        for (index, instance) in self.instances.iter_mut().enumerate().skip(first_instance) {
            if !libraries.contains(&index) {
                instance.vars = HashMap::new();
                instance.params = HashMap::new();
                instance.provided = Provided::default();
            }
        }
        self.entry += 1;
    }

    /// Records that the deployment of `entry` reached `limit` at `at`, located in a file of the run:
    /// `at` itself, else the top of the entry point.
    fn limit_reached(&mut self, entry: FileId, at: Loc, limit: Limit) {
        let entry_name = self.file(entry).name.clone();
        let (location, place) = if self.file(at.file).in_run {
            (at, String::new())
        } else {
            let line = self
                .file(at.file)
                .source
                .line_column(at.span.start as usize)
                .line;
            (
                Loc {
                    file: entry,
                    span: crate::Span::new(0, 0),
                },
                format!(" (in {} at line {line})", self.file(at.file).name),
            )
        };
        self.notes.push((
            Some(location),
            limit.message(&entry_name, &place),
            NoteKind::LimitReached,
        ));
    }

    /// Evaluates a template on its own, with its parameter defaults.
    fn entry_template(&mut self, file: FileId) {
        let inst = self.new_instance(file, Provided::default(), Vec::new(), vec![file]);
        self.run_template(inst);
    }

    /// Evaluates a `.bicepparam` file with the template it uses.
    fn entry_params(&mut self, file: FileId) {
        let info = self.file(file);
        let Some(program) = info.program else { return };
        let Some(using) = program.declarations().find_map(|d| match d {
            Declaration::Using(u) => Some(u),
            _ => None,
        }) else {
            self.note(
                None,
                format!("{} has no `using` declaration: not evaluated", info.name),
            );
            return;
        };
        if using.is_none() {
            return;
        }
        let at = Loc {
            file,
            span: using.span(),
        };
        let template = match info.targets.get(&using.span().start) {
            Some(Target::File(t))
                if self.file(*t).kind == SourceKind::Bicep || self.file(*t).json.is_some() =>
            {
                *t
            }
            Some(Target::Registry(path, _)) => {
                self.note(
                    Some(at),
                    format!(
                        "the template `{path}` is in a registry: {} is not evaluated",
                        info.name
                    ),
                );
                return;
            }
            Some(Target::File(t)) => {
                let name = self.file(*t).name.clone();
                self.note(
                    Some(at),
                    format!("the template {name} is not a Bicep or ARM JSON file: not evaluated"),
                );
                return;
            }
            Some(Target::Unresolved(path)) => {
                self.note(
                    Some(at),
                    format!("the template `{path}` could not be read: not evaluated"),
                );
                return;
            }
            None => return,
        };
        let params = self.params_instance(file, 0);
        let provided = self.params_values(params);
        self.bind(&provided, template, None);
        // The `using` line is where findings go when the template is not linted itself.
        let inst = self.new_instance(template, provided, vec![(at.file, at.span)], vec![template]);
        self.run_template(inst);
    }

    /// An instance of a `.bicepparam` file, with the instances of the files it extends.
    fn params_instance(&mut self, file: FileId, depth: usize) -> usize {
        let inst = self.new_instance(file, Provided::default(), Vec::new(), vec![file]);
        let info = self.file(file);
        let extends = info.program.and_then(|p| {
            p.declarations().find_map(|d| match d {
                Declaration::Extends(e) => Some(e),
                _ => None,
            })
        });
        if let Some(extends) = extends {
            match info.targets.get(&extends.span().start) {
                Some(Target::File(base))
                    if self.file(*base).kind == SourceKind::BicepParam
                        && *base != file
                        && depth < MAX_EXTENDS =>
                {
                    let base = self.params_instance(*base, depth + 1);
                    self.instances[inst].base = Some(base);
                }
                _ => self.note(
                    Some(Loc {
                        file,
                        span: extends.span(),
                    }),
                    "the base parameters file could not be read: its values are not used"
                        .to_owned(),
                ),
            }
        }
        inst
    }

    /// The values a `.bicepparam` instance (and its bases) assigns.
    fn params_values(&mut self, params: usize) -> Provided {
        let mut chain = vec![params];
        while let Some(base) = self.instances[*chain.last().unwrap_or(&params)].base {
            if chain.contains(&base) {
                break;
            }
            chain.push(base);
        }
        let mut provided = Provided {
            complete: true,
            ..Provided::default()
        };
        for &inst in chain.iter().rev() {
            let file = self.instances[inst].file;
            let Some(program) = self.file(file).program else {
                continue;
            };
            let assignments: Vec<ParamAssignment<'a>> = program
                .declarations()
                .filter_map(|d| match d {
                    Declaration::ParamAssignment(a) => Some(a),
                    _ => None,
                })
                .collect();
            for assignment in assignments {
                let Some(name) = assignment.name() else {
                    continue;
                };
                let value = self.assignment_value(inst, name.text(), assignment);
                provided.values.insert(name.text().to_owned(), value);
            }
        }
        provided
    }

    /// Turns the state into the result.
    fn finish(self) -> Evaluation {
        let Ev {
            mut out,
            notes,
            files,
            bindings,
            ..
        } = self;
        out.sort_by(|a, b| a.0.cmp(&b.0));
        let resources = collapse_identical_iterations(out);
        let mut notes: Vec<(PathBuf, u32, u32, Note)> = notes
            .into_iter()
            .map(|(at, message, kind)| {
                let location = at.map(|at| Location {
                    file: files[at.file as usize].source.clone(),
                    span: core_span(at.span),
                });
                let (path, start, end) = location.as_ref().map_or((PathBuf::new(), 0, 0), |l| {
                    (l.file.path().to_owned(), l.span.start, l.span.end)
                });
                (
                    path,
                    start,
                    end,
                    Note {
                        location,
                        message,
                        kind,
                    },
                )
            })
            .collect();
        notes.sort_by(|a, b| (&a.0, a.1, a.2, &a.3.message).cmp(&(&b.0, b.1, b.2, &b.3.message)));
        notes.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1 && a.2 == b.2 && a.3.message == b.3.message);
        Evaluation {
            resources,
            files: files
                .iter()
                .filter(|f| f.in_run)
                .filter_map(|f| declarations::of(f).or_else(|| arm_declarations::of(f)))
                .collect(),
            bindings,
            notes: notes.into_iter().map(|n| n.3).collect(),
        }
    }

    /// The declaration of a name in the context's file (loop variables are looked up with [`Ev::local`]).
    pub fn symbol(&self, cx: Cx, name: &str) -> Option<Sym<'a>> {
        self.file(cx.file).symbols.get(name).copied()
    }

    /// The value of a local (loop) variable in scope.
    pub fn local(&self, name: &str) -> Option<V> {
        self.locals[self.floor.min(self.locals.len())..]
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    }

    /// Runs `f` in another declaration's context: locals of the caller are hidden, and the chain of
    /// references grows by one (past [`MAX_INDIRECTIONS`] the result is `None`).
    pub fn enter<T>(&mut self, f: impl FnOnce(&mut Ev<'a>) -> T) -> Option<T> {
        if self.indirections >= MAX_INDIRECTIONS {
            return None;
        }
        let floor = std::mem::replace(&mut self.floor, self.locals.len());
        self.indirections += 1;
        let result = f(self);
        self.indirections -= 1;
        self.locals.truncate(self.floor);
        self.floor = floor;
        Some(result)
    }

    /// The library instance of a file (read for its exported variables).
    pub fn library(&mut self, file: FileId) -> usize {
        if let Some(&inst) = self.libraries.get(&file) {
            return inst;
        }
        let inst = self.new_instance(file, Provided::default(), Vec::new(), vec![file]);
        self.libraries.insert(file, inst);
        inst
    }

    /// Records the values given to the parameters of `template` (by a module call, or by a `.bicepparam`
    /// file when `module` is `None`).
    pub fn bind(&mut self, provided: &Provided, template: FileId, module: Option<&str>) {
        let target = self.file(template);
        for (name, value) in &provided.values {
            let param = |(declared, symbol): (&&'a str, &Sym<'a>)| match symbol {
                Sym::Param(decl) => Some((*declared, *decl)),
                _ => None,
            };
            let exact = target.symbols.get_key_value(name.as_str()).and_then(param);
            let Some((declared, decl)) = exact.or_else(|| {
                let mut matching: Vec<_> = target
                    .symbols
                    .iter()
                    .filter(|(declared, _)| declared.eq_ignore_ascii_case(name))
                    .filter_map(param)
                    .collect();
                matching.sort_by_key(|(declared, _)| *declared);
                matching.into_iter().next()
            }) else {
                continue;
            };
            let binding = ParamBinding {
                argument: self.location(value.at),
                module: module.map(str::to_owned),
                parameter: Location {
                    file: target.source.clone(),
                    span: core_span(decl.name().map_or(decl.span(), |n| n.span())),
                },
                name: declared.to_owned(),
                secure: decl.decorator("secure").is_some(),
                enumerated: decl.decorator("allowed").is_some(),
                value: value.as_str().map(|text| BoundString {
                    text: text.to_owned(),
                    written: self.location(value.src),
                }),
            };
            self.bindings.push(binding);
        }
    }

    /// Records a resource.
    pub fn emit(&mut self, mut resource: AzureResource, inst: usize) {
        self.place_cached_values(&mut resource, inst);
        let via = self.instances[inst]
            .via
            .iter()
            .map(|&(f, s)| (self.file(f).source.path().to_owned(), s.start, s.end))
            .collect();
        let key = (
            resource.file.path().to_owned(),
            resource.declaration_span.start,
            resource.declaration_span.end,
            via,
            self.entry,
            self.out.len(),
        );
        self.out.push((key, resource));
    }
}

/// One declaration under the same module calls and entry point: its [`SortKey`] without the order
/// of evaluation.
type DeclarationKey = (PathBuf, u32, u32, Vec<(PathBuf, u32, u32)>, usize);

/// Makes the loop elements of one declaration (under the same module calls and entry point)
/// whose evaluations came out identical one instance that names them all: same values from the
/// same places give the same findings, which are then reported once.
fn collapse_identical_iterations(sorted: Vec<(SortKey, AzureResource)>) -> Vec<AzureResource> {
    let mut kept: Vec<AzureResource> = Vec::with_capacity(sorted.len());
    let mut by_declaration: HashMap<DeclarationKey, Vec<usize>> = HashMap::new();
    for ((path, start, end, via, entry, _), resource) in sorted {
        let Some(iteration) = &resource.iteration else {
            kept.push(resource);
            continue;
        };
        let candidates = by_declaration
            .entry((path, start, end, via, entry))
            .or_default();
        let same = candidates
            .iter()
            .copied()
            .find(|&k| same_evaluation(&kept[k], &resource));
        match same {
            Some(k) => {
                if let Some(merged) = kept[k].iteration.as_mut() {
                    merged.indices.extend(iteration.indices.iter().copied());
                    if merged.name != iteration.name {
                        merged.name = None;
                    }
                }
            }
            None => {
                candidates.push(kept.len());
                kept.push(resource);
            }
        }
    }
    kept
}

/// Whether two instances of one declaration hold the same values from the same places.
fn same_evaluation(a: &AzureResource, b: &AzureResource) -> bool {
    let same_origins = a.origins.len() == b.origins.len()
        && a.origins.iter().zip(&b.origins).all(|(x, y)| {
            x.node == y.node
                && x.what == y.what
                && x.location.span == y.location.span
                && x.location.file.path() == y.location.file.path()
        });
    a.root == b.root
        && a.body == b.body
        && same_origins
        && a.condition == b.condition
        && a.parent == b.parent
        && a.iteration.as_ref().map(|i| &i.source) == b.iteration.as_ref().map(|i| &i.source)
}

/// A span of the core model.
pub(crate) fn core_span(span: crate::Span) -> akslint_core::Span {
    akslint_core::Span::new(span.start as usize, span.end as usize)
}
