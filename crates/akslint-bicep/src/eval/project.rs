//! The files of an evaluation: the run's Bicep files and every file they refer to (modules, the template of a
//! `.bicepparam` file, its base, compile-time imports), each read and parsed once, and their symbol tables.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use std::sync::Arc;

use akslint_core::{ProjectSource, SharedSource, SourceKind, SourceLoader};

use super::registry::cached_template;
use super::value::FileId;
use crate::ast::{
    Declaration, FuncDecl, ImportDecl, ParamAssignment, ParamDecl, Program, StringLit, VarDecl,
};
use crate::{FileKind, Parsed, SyntaxKind, parse_as};

/// Most files read through the loader in one evaluation (beyond the run's own files).
pub(crate) const MAX_LOADED_FILES: usize = 2_000;

/// A file of the evaluation.
pub(crate) struct Loaded {
    /// The file.
    pub source: SharedSource,
    /// The parse, for Bicep and `.bicepparam` files.
    pub parsed: Option<Arc<Parsed>>,
    /// The JSON tree, for ARM templates and parameter files.
    pub json: Option<akslint_arm::json::JsonDocument>,
    /// Whether the file is one of the run's files.
    pub in_run: bool,
    /// Whether the file is a registry module's template in the Bicep module cache.
    pub cached: bool,
    /// The registry references of the file: where their templates are in the Bicep module
    /// cache, or why that is not known.
    pub registry: HashMap<String, Result<PathBuf, String>>,
}

/// Normalises a path lexically: drops `.` components and resolves `..` against the components before it
/// (a `..` that would climb above the start of a relative path is kept).
pub(crate) fn normalise(path: &Path) -> PathBuf {
    let mut parts: Vec<Component<'_>> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match parts.last() {
                Some(Component::Normal(_)) => {
                    parts.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => parts.push(component),
            },
            other => parts.push(other),
        }
    }
    if parts.is_empty() {
        return PathBuf::from(".");
    }
    parts.iter().collect()
}

/// The path of `reference` written in the file at `from`: relative to that file's folder, normalised.
pub(crate) fn resolve(from: &Path, reference: &str) -> PathBuf {
    let base = from.parent().unwrap_or(Path::new(""));
    normalise(&base.join(reference))
}

/// Whether a module path names a registry module or a template spec (which cannot be read from disk).
pub(crate) fn is_registry(path: &str) -> bool {
    ["br:", "br/", "ts:", "ts/"]
        .iter()
        .any(|prefix| path.starts_with(prefix))
}

/// The comparison key of a path.
pub(crate) fn key_of(path: &Path, cwd: Option<&Path>) -> PathBuf {
    match cwd {
        Some(cwd) if path.is_relative() => normalise(&cwd.join(path)),
        _ => normalise(path),
    }
}

/// The grammar for a file.
fn file_kind(kind: SourceKind) -> Option<FileKind> {
    match kind {
        SourceKind::Bicep => Some(FileKind::Bicep),
        SourceKind::BicepParam => Some(FileKind::Params),
        SourceKind::Yaml | SourceKind::ArmTemplate => None,
    }
}

/// The plain text of a path string (`None` when interpolated or missing).
fn path_text(literal: Option<StringLit<'_>>) -> Option<String> {
    literal?.value()
}

/// The paths a file refers to: module paths, `using`, `extends` and import paths (registry references
/// included).
pub(crate) fn references(parsed: &Parsed) -> Vec<String> {
    let mut out = Vec::new();
    for declaration in parsed.program().declarations() {
        let path = match declaration {
            Declaration::Module(module) => path_text(module.path()),
            Declaration::Using(using) => path_text(using.path()),
            Declaration::Extends(extends) => path_text(extends.path()),
            Declaration::Import(import) => path_text(import.path()),
            _ => None,
        };
        if let Some(path) = path
            && !path.is_empty()
        {
            out.push(path);
        }
    }
    out
}

/// What the project stage keeps of a file whose text it can read again, in place of its syntax
/// tree: the paths it refers to ([`references`]), which place it in its group before any tree
/// is built again (see [`crate::evaluate_in_groups`]).
pub(crate) struct References(pub Vec<String>);

/// The paths a file of the run refers to: kept with it ([`References`], or its kept parse), else
/// from a new parse.
pub(crate) fn references_of(source: &ProjectSource) -> Vec<String> {
    if let Some(kept) = source
        .syntax
        .as_ref()
        .and_then(|syntax| syntax.downcast_ref::<References>())
    {
        return kept.0.clone();
    }
    parse_of(&source.file, source.syntax.as_ref())
        .map(|parsed| references(&parsed))
        .unwrap_or_default()
}

/// The parse of a file: the front end's, when the caller kept it, else a new one (of the text
/// read again, and not kept, when the file released it).
pub(crate) fn parse_of(
    source: &SharedSource,
    kept: Option<&akslint_core::Syntax>,
) -> Option<Arc<Parsed>> {
    let kind = file_kind(source.kind())?;
    kept.and_then(|syntax| syntax.clone().downcast::<Parsed>().ok())
        .or_else(|| Some(Arc::new(parse_as(source.resident().text(), kind))))
}

/// The ARM JSON files the run's Bicep files name as a module or in `using` (by [`key_of`]):
/// those calls evaluate them, with their arguments, so they are not evaluated on their own.
pub(crate) fn json_templates_named(
    files: &[ProjectSource],
    cwd: Option<&Path>,
) -> HashSet<PathBuf> {
    let mut out = HashSet::new();
    for source in files {
        for reference in references_of(source) {
            if is_registry(&reference) {
                continue;
            }
            let path = resolve(source.file.path(), &reference);
            if is_json(&path) {
                out.insert(key_of(&path, cwd));
            }
        }
    }
    out
}

/// Reads the run's files and every file they refer to, transitively.
pub(crate) fn load(
    files: &[ProjectSource],
    loader: &dyn SourceLoader,
    cwd: Option<&Path>,
) -> (Vec<Loaded>, HashMap<PathBuf, FileId>) {
    let mut run: Vec<(PathBuf, &ProjectSource)> = files
        .iter()
        .filter(|f| matches!(f.file.kind(), SourceKind::Bicep | SourceKind::BicepParam))
        .map(|f| (key_of(f.file.path(), cwd), f))
        .collect();
    run.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| a.1.file.path().cmp(b.1.file.path()))
    });
    run.dedup_by(|a, b| a.0 == b.0);
    let mut loaded: Vec<Loaded> = Vec::new();
    let mut by_key: HashMap<PathBuf, FileId> = HashMap::new();
    for (key, project_source) in run {
        by_key.insert(key, loaded.len() as FileId);
        loaded.push(Loaded {
            parsed: parse_of(&project_source.file, project_source.syntax.as_ref()),
            source: project_source.file.clone(),
            json: None,
            in_run: true,
            cached: false,
            registry: HashMap::new(),
        });
    }
    let mut failed: HashSet<PathBuf> = HashSet::new();
    let mut extra = 0;
    let mut next = 0;
    while next < loaded.len() {
        let refs = loaded[next]
            .parsed
            .as_deref()
            .map(references)
            .unwrap_or_default();
        let from = loaded[next].source.path().to_owned();
        next += 1;
        for reference in refs {
            let registry = is_registry(&reference);
            let path = if registry {
                let resolved = cached_template(&reference, &from, loader);
                loaded[next - 1]
                    .registry
                    .insert(reference.clone(), resolved.clone());
                match resolved {
                    Ok(path) => path,
                    Err(_) => continue,
                }
            } else {
                resolve(&from, &reference)
            };
            let key = key_of(&path, cwd);
            if by_key.contains_key(&key) || failed.contains(&key) || extra >= MAX_LOADED_FILES {
                continue;
            }
            extra += 1;
            let read = if registry || is_json(&path) {
                read_json(&path, loader, registry)
            } else {
                loader.load(&path).map(|source| Loaded {
                    parsed: parse_of(&source, None),
                    json: None,
                    source,
                    in_run: false,
                    cached: false,
                    registry: HashMap::new(),
                })
            };
            match read {
                Some(file) => {
                    by_key.insert(key, loaded.len() as FileId);
                    loaded.push(file);
                }
                None => {
                    failed.insert(key);
                }
            }
        }
    }
    (loaded, by_key)
}

/// Whether a referenced file is JSON (an ARM template a module or `using` names), by its extension.
fn is_json(path: &Path) -> bool {
    path.extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("json"))
}

/// Reads an ARM JSON template: a registry module's compiled template from the Bicep module cache
/// (`cached`), or a JSON file a module or `using` names.
fn read_json(path: &Path, loader: &dyn SourceLoader, cached: bool) -> Option<Loaded> {
    let text = loader.load_text(path)?;
    let source = Arc::new(akslint_core::SourceFile::new(
        path,
        SourceKind::ArmTemplate,
        text,
    ));
    let document = akslint_arm::json::parse(source.text());
    Some(Loaded {
        cached,
        ..Loaded::json(source, document, false)
    })
}

impl Loaded {
    /// An ARM JSON file read with `document` (not a cached registry module).
    pub(crate) fn json(
        source: SharedSource,
        document: akslint_arm::json::JsonDocument,
        in_run: bool,
    ) -> Loaded {
        Loaded {
            source,
            parsed: None,
            json: Some(document),
            in_run,
            cached: false,
            registry: HashMap::new(),
        }
    }
}

/// What a reference to another file leads to.
#[derive(Clone, Debug)]
pub(crate) enum Target {
    /// A file of the evaluation (of any kind; the user checks it is the kind it needs).
    File(FileId),
    /// A registry module or template spec that could not be read: the reference and why.
    Registry(String, String),
    /// A path that could not be read, or that is not a plain string.
    Unresolved(String),
}

/// A name declared in a file.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Sym<'a> {
    /// `param name type = default`
    Param(ParamDecl<'a>),
    /// `func name(params) type => body`
    Func(FuncDecl<'a>),
    /// `var name = value`
    Var(VarDecl<'a>),
    /// `param name = value` of a `.bicepparam` file.
    Assign(ParamAssignment<'a>),
    /// A symbol imported from another file (`import {name as local} from 'file'`).
    Import {
        /// The file, when it was read.
        file: Option<FileId>,
        /// The name in that file.
        name: &'a str,
    },
    /// `import * as ns from 'file'`
    Namespace(Option<FileId>),
    /// Anything else (resources, modules, functions, types, outputs): no static value.
    Other,
}

/// A parsed file with its symbol table and resolved references.
pub(crate) struct FileInfo<'a> {
    /// The file.
    pub source: &'a SharedSource,
    /// The file name, for messages.
    pub name: String,
    /// The typed view of the parse (`None` for files that are not Bicep).
    pub program: Option<Program<'a>>,
    /// The JSON tree of an ARM template or parameter file.
    pub json: Option<&'a akslint_arm::json::JsonDocument>,
    /// The declared names (the first declaration of a name wins).
    pub symbols: HashMap<&'a str, Sym<'a>>,
    /// What each module, `using`, `extends` and import declaration refers to, by the declaration's start.
    pub targets: HashMap<u32, Target>,
    /// The kind of file.
    pub kind: SourceKind,
    /// Whether the file is one of the run's files.
    pub in_run: bool,
    /// Whether the file is a registry module's template in the Bicep module cache.
    pub cached: bool,
}

impl<'a> FileInfo<'a> {
    /// Indexes a loaded file.
    pub fn new(
        loaded: &'a Loaded,
        by_key: &HashMap<PathBuf, FileId>,
        cwd: Option<&Path>,
    ) -> FileInfo<'a> {
        let name = loaded.source.path().file_name().map_or_else(
            || loaded.source.path().display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let mut info = FileInfo {
            source: &loaded.source,
            name,
            program: loaded.parsed.as_deref().map(Parsed::program),
            json: loaded.json.as_ref(),
            symbols: HashMap::new(),
            targets: HashMap::new(),
            kind: loaded.source.kind(),
            in_run: loaded.in_run,
            cached: loaded.cached,
        };
        let Some(program) = info.program else {
            return info;
        };
        let target = |literal: Option<StringLit<'_>>| -> Target {
            let Some(literal) = literal else {
                return Target::Unresolved(String::new());
            };
            let Some(text) = literal.value() else {
                return Target::Unresolved(literal.syntax().text().to_owned());
            };
            let registry = is_registry(&text);
            let path = if registry {
                match loaded.registry.get(&text) {
                    Some(Ok(path)) => path.clone(),
                    Some(Err(why)) => return Target::Registry(text, why.clone()),
                    None => {
                        let why = format!("more than {MAX_LOADED_FILES} files are referenced");
                        return Target::Registry(text, why);
                    }
                }
            } else {
                resolve(loaded.source.path(), &text)
            };
            match by_key.get(&key_of(&path, cwd)) {
                Some(&id) => Target::File(id),
                None if registry => {
                    let file = loaded.source.path().display();
                    let why = format!(
                        "it is not restored in the Bicep module cache ({}); run `bicep restore {file}` or `az bicep restore --file {file}`",
                        path.display()
                    );
                    Target::Registry(text, why)
                }
                None => Target::Unresolved(text),
            }
        };
        for declaration in program.declarations() {
            let start = declaration.syntax().span().start;
            let symbol = match declaration {
                Declaration::Param(d) => Some(Sym::Param(d)),
                Declaration::Var(d) => Some(Sym::Var(d)),
                Declaration::ParamAssignment(d) => Some(Sym::Assign(d)),
                Declaration::Resource(_) | Declaration::Output(_) | Declaration::Type(_) => {
                    Some(Sym::Other)
                }
                Declaration::Func(d) => Some(Sym::Func(d)),
                Declaration::Module(d) => {
                    info.targets.insert(start, target(d.path()));
                    Some(Sym::Other)
                }
                Declaration::Using(d) => {
                    info.targets.insert(start, target(d.path()));
                    None
                }
                Declaration::Extends(d) => {
                    info.targets.insert(start, target(d.path()));
                    None
                }
                Declaration::Import(d) => {
                    let file = target(d.path());
                    let file_id = match file {
                        Target::File(id) => Some(id),
                        _ => None,
                    };
                    info.targets.insert(start, file);
                    import_symbols(d, file_id, &mut info.symbols);
                    None
                }
                Declaration::Extension(d) => {
                    if let Some(alias) = d.alias().or(d.name()) {
                        info.symbols.entry(alias.text()).or_insert(Sym::Other);
                    }
                    None
                }
                _ => None,
            };
            if let Some(symbol) = symbol
                && let Some(name) = declaration.name()
            {
                info.symbols.entry(name.text()).or_insert(symbol);
            }
        }
        info
    }
}

/// Adds the names an import declares.
fn import_symbols<'a>(
    import: ImportDecl<'a>,
    file: Option<FileId>,
    symbols: &mut HashMap<&'a str, Sym<'a>>,
) {
    if let Some(alias) = import.wildcard_alias() {
        symbols.entry(alias.text()).or_insert(Sym::Namespace(file));
    }
    let Some(list) = import.symbols() else {
        return;
    };
    for symbol in list
        .child_nodes()
        .filter(|n| n.kind() == SyntaxKind::ImportSymbol)
    {
        let original = match symbol
            .child_tokens()
            .find(|t| t.kind() == SyntaxKind::Ident)
        {
            Some(token) => token.text(),
            None => continue,
        };
        let local = symbol
            .child_of_kind(SyntaxKind::AliasClause)
            .and_then(|a| a.child_tokens().rfind(|t| t.kind() == SyntaxKind::Ident))
            .map_or(original, |t| t.text());
        symbols.entry(local).or_insert(Sym::Import {
            file,
            name: original,
        });
    }
}
