//! Helpers for the evaluator tests: an in-memory loader, running the evaluator, and rendering bodies.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use akslint_bicep::Evaluation;
use akslint_core::{
    AzureResource, NodeId, NodeKind, ScalarType, SharedSource, SourceFile, SourceKind,
    SourceLoader, Tree,
};

/// A source file with the kind its extension says.
pub fn source(path: &str, text: &str) -> SharedSource {
    let kind = SourceKind::from_path(Path::new(path)).expect("a Bicep extension");
    Arc::new(SourceFile::new(path, kind, text))
}

/// Files held in memory, counting the loads.
#[derive(Default)]
pub struct MemLoader {
    pub files: HashMap<PathBuf, SharedSource>,
    /// Other files (`bicepconfig.json`, the module cache's templates), read by `load_text`.
    pub texts: HashMap<PathBuf, String>,
    pub loads: AtomicUsize,
}

impl MemLoader {
    pub fn new(files: &[(&str, &str)]) -> MemLoader {
        MemLoader {
            files: files
                .iter()
                .map(|(p, t)| (PathBuf::from(p), source(p, t)))
                .collect(),
            texts: HashMap::new(),
            loads: AtomicUsize::new(0),
        }
    }

    pub fn loads(&self) -> usize {
        self.loads.load(Ordering::SeqCst)
    }
}

impl SourceLoader for MemLoader {
    fn load(&self, path: &Path) -> Option<SharedSource> {
        self.loads.fetch_add(1, Ordering::SeqCst);
        self.files.get(path).cloned()
    }

    fn load_text(&self, path: &Path) -> Option<String> {
        self.texts.get(path).cloned()
    }
}

/// Evaluates `run` (paths and texts) with `others` readable through the loader.
pub fn evaluate(run: &[(&str, &str)], others: &[(&str, &str)]) -> Evaluation {
    let files: Vec<SharedSource> = run.iter().map(|(p, t)| source(p, t)).collect();
    let loader = MemLoader::new(others);
    akslint_bicep::evaluate_texts(&files, &loader)
}

/// Evaluates one `main.bicep`.
pub fn one(text: &str) -> Evaluation {
    evaluate(&[("main.bicep", text)], &[])
}

/// The resource with this symbolic name (the first one).
pub fn named<'r>(evaluation: &'r Evaluation, name: &str) -> &'r AzureResource {
    evaluation
        .resources
        .iter()
        .find(|r| r.symbolic_name == name)
        .unwrap_or_else(|| panic!("no resource `{name}` in {:?}", names(evaluation)))
}

/// The symbolic names, in order.
pub fn names(evaluation: &Evaluation) -> Vec<String> {
    evaluation
        .resources
        .iter()
        .map(|r| r.symbolic_name.clone())
        .collect()
}

/// Renders a node compactly: `{key: value, ...}`, `[a, b]`, strings quoted, `?` for unknown, `?:` for an
/// unknown key.
pub fn render(tree: &Tree, node: NodeId) -> String {
    let mut out = String::new();
    render_into(tree, node, &mut out);
    out
}

fn render_into(tree: &Tree, node: NodeId, out: &mut String) {
    match &tree.node(node).kind {
        NodeKind::Unknown => out.push('?'),
        NodeKind::Scalar(s) => match s.ty {
            ScalarType::String => out.push_str(&format!("'{}'", s.text)),
            _ => out.push_str(&s.text),
        },
        NodeKind::Sequence(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                render_into(tree, *item, out);
            }
            out.push(']');
        }
        NodeKind::Mapping(entries) => {
            out.push('{');
            for (i, entry) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                match tree.scalar(entry.key) {
                    Some(k) => out.push_str(&k.text),
                    None => out.push('?'),
                }
                out.push_str(": ");
                render_into(tree, entry.value, out);
            }
            out.push('}');
        }
        NodeKind::Alias(target) => render_into(tree, *target, out),
    }
}

/// The rendered body of a resource.
pub fn body(resource: &AzureResource) -> String {
    render(&resource.body, resource.root)
}

/// The rendered value at a path of the body.
pub fn at(resource: &AzureResource, path: &[&str]) -> String {
    match resource.get(path) {
        Some(node) => render(&resource.body, node),
        None => "<absent>".to_owned(),
    }
}

/// The text of a node's span in the resource's file.
pub fn span_text(resource: &AzureResource, node: NodeId) -> String {
    resource.file.slice(resource.body.span(node)).to_owned()
}

/// The origin of the node at a path: (file name, text of the origin's span, what).
pub fn origin(resource: &AzureResource, path: &[&str]) -> Option<(String, String, String)> {
    let node = resource.get(path)?;
    let origin = resource.origin(node)?;
    Some((
        origin
            .location
            .file
            .path()
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        origin.location.file.slice(origin.location.span).to_owned(),
        origin.what.to_string(),
    ))
}

/// Runs `f` on a thread with a 2 MiB stack, as the linter's workers have.
pub fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(f)
        .expect("thread")
        .join()
        .expect("no panic, no overflow")
}
