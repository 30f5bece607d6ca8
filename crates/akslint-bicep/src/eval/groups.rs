//! A project's Bicep files split into independent groups, evaluated in parallel.
//!
//! Two files are in one group when one refers to the other (a module, the template of a
//! `.bicepparam` file, its base, an import), directly or through files outside the run. No
//! evaluation of one group reads a file of another, so the groups are evaluated one per thread.
//! The front end gives each group's evaluation to the engine on its own
//! ([`evaluate_each_group`]), which checks it and drops it, so that a project's model is never
//! held whole; [`evaluate_in_groups`] merges them into the one [`evaluate`](super::evaluate)
//! would give for all the files at once: every resource, declaration, parameter value and note
//! is in exactly one group, and the merge restores the order across groups. Each group's syntax
//! trees (owned by the group, when the caller handed them over) and values are dropped when its
//! evaluation ends.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use akslint_core::{EachGroup, Evaluation, ProjectSource, SourceLoader};
use rayon::prelude::*;

use super::project::{MAX_LOADED_FILES, key_of, parse_of, references, references_of, resolve};

/// Evaluates the project's Bicep and `.bicepparam` files as [`super::evaluate`] does, one
/// independent group per task, into one evaluation.
pub fn evaluate_in_groups(files: Vec<ProjectSource>, loader: &dyn SourceLoader) -> Evaluation {
    let evaluations = Mutex::new(Vec::new());
    let count = evaluate_each_group(files, loader, &|at, evaluation| {
        evaluations
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((at, evaluation));
    });
    let mut evaluations = evaluations
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    evaluations.sort_by_key(|(at, _)| *at);
    let mut evaluations: Vec<Evaluation> = evaluations.into_iter().map(|(_, e)| e).collect();
    if count == 1 {
        return evaluations.pop().unwrap_or_default();
    }
    merge(evaluations, std::env::current_dir().ok().as_deref())
}

/// Evaluates the project's Bicep and `.bicepparam` files in independent groups, one per task,
/// giving each group's evaluation to `each` with the group's place (groups in the order of
/// their first file); returns how many groups there are. Each group is dropped (its trees
/// freed) as soon as it is evaluated, and its evaluation when `each` is done with it.
pub fn evaluate_each_group(
    files: Vec<ProjectSource>,
    loader: &dyn SourceLoader,
    each: &EachGroup<'_>,
) -> usize {
    let cwd = std::env::current_dir().ok();
    let groups = independent_groups(files, loader, cwd.as_deref());
    let count = groups.len();
    groups
        .into_par_iter()
        .enumerate()
        .for_each(|(at, group)| each(at, super::evaluate(&group, loader)));
    count
}

/// The run's files grouped by what refers to what; groups in the order of their first file,
/// files in the order given.
pub(crate) fn independent_groups(
    files: Vec<ProjectSource>,
    loader: &dyn SourceLoader,
    cwd: Option<&Path>,
) -> Vec<Vec<ProjectSource>> {
    let mut links = Links::default();
    let run: Vec<usize> = files
        .iter()
        .map(|source| links.node(key_of(source.file.path(), cwd)))
        .collect();
    // Files outside the run that a file refers to: read to follow what they refer to in turn.
    let mut outside: Vec<(usize, PathBuf)> = Vec::new();
    for (source, &node) in files.iter().zip(&run) {
        links.follow(
            node,
            source.file.path(),
            references_of(source),
            cwd,
            &mut outside,
        );
    }
    let mut next = 0;
    while next < outside.len() {
        let (node, path) = outside[next].clone();
        next += 1;
        let Some(source) = loader.load(&path) else {
            continue;
        };
        let refs = parse_of(&source, None)
            .map(|parsed| references(&parsed))
            .unwrap_or_default();
        links.follow(node, source.path(), refs, cwd, &mut outside);
    }
    let mut groups: Vec<Vec<ProjectSource>> = Vec::new();
    let mut group_of_root: HashMap<usize, usize> = HashMap::new();
    for (source, node) in files.into_iter().zip(run) {
        let root = links.root(node);
        let group = *group_of_root.entry(root).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[group].push(source);
    }
    groups
}

/// Which files refer to which: a union-find over the files' comparison keys.
#[derive(Default)]
struct Links {
    /// The node of each key.
    by_key: HashMap<PathBuf, usize>,
    /// Each node's parent (a root is its own parent).
    parent: Vec<usize>,
}

impl Links {
    /// The node of a key, new if the key is.
    fn node(&mut self, key: PathBuf) -> usize {
        let next = self.parent.len();
        let node = *self.by_key.entry(key).or_insert(next);
        if node == next {
            self.parent.push(next);
        }
        node
    }

    /// The root of a node's group.
    fn root(&mut self, mut node: usize) -> usize {
        while self.parent[node] != node {
            self.parent[node] = self.parent[self.parent[node]];
            node = self.parent[node];
        }
        node
    }

    /// Joins the file of `node` (at `path`) with the files its references name; a file not
    /// seen before is added to `outside`, to be read and followed (at most
    /// [`MAX_LOADED_FILES`] of them, as the evaluation reads at most that many).
    fn follow(
        &mut self,
        node: usize,
        path: &Path,
        refs: Vec<String>,
        cwd: Option<&Path>,
        outside: &mut Vec<(usize, PathBuf)>,
    ) {
        for reference in refs {
            let target = resolve(path, &reference);
            let key = key_of(&target, cwd);
            let seen = self.by_key.contains_key(&key);
            let referred = self.node(key);
            self.join(node, referred);
            if !seen && outside.len() < MAX_LOADED_FILES {
                outside.push((referred, target));
            }
        }
    }

    /// Puts two nodes in one group.
    fn join(&mut self, a: usize, b: usize) {
        let (a, b) = (self.root(a), self.root(b));
        if a != b {
            self.parent[a.max(b)] = a.min(b);
        }
    }
}

/// The groups' evaluations as one: resources by file (within a file, in the group's order),
/// declarations by file, notes sorted and without repeats as one evaluation sorts them.
fn merge(evaluations: Vec<Evaluation>, cwd: Option<&Path>) -> Evaluation {
    let mut merged = Evaluation::default();
    for evaluation in evaluations {
        merged.resources.extend(evaluation.resources);
        merged.files.extend(evaluation.files);
        merged.bindings.extend(evaluation.bindings);
        merged.notes.extend(evaluation.notes);
    }
    // Stable: the resources of one file come from one group, already in order.
    merged
        .resources
        .sort_by(|a, b| a.file.path().cmp(b.file.path()));
    merged
        .files
        .sort_by_cached_key(|f| key_of(f.file.path(), cwd));
    let place = |note: &akslint_core::EvaluationNote| {
        note.location.as_ref().map_or((PathBuf::new(), 0, 0), |l| {
            (l.file.path().to_owned(), l.span.start, l.span.end)
        })
    };
    merged
        .notes
        .sort_by_cached_key(|note| (place(note), note.message.clone()));
    merged
        .notes
        .dedup_by(|a, b| place(a) == place(b) && a.message == b.message);
    // Kept for the whole project stage: no room left from the merge's growth.
    merged.resources.shrink_to_fit();
    merged.files.shrink_to_fit();
    merged.bindings.shrink_to_fit();
    merged
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::Arc;

    use akslint_core::{SharedSource, SourceFile, SourceKind};

    use super::*;

    /// Files in memory.
    struct Files(HashMap<PathBuf, SharedSource>);

    impl SourceLoader for Files {
        fn load(&self, path: &Path) -> Option<SharedSource> {
            self.0.get(path).cloned()
        }
    }

    fn source(path: &str, text: &str) -> SharedSource {
        let kind = SourceKind::from_path(Path::new(path)).expect("a Bicep extension");
        Arc::new(SourceFile::new(path, kind, text))
    }

    /// A run file with no kept parse.
    fn run_file(path: &str, text: &str) -> ProjectSource {
        ProjectSource {
            file: source(path, text),
            syntax: None,
            template: None,
        }
    }

    fn names(groups: &[Vec<ProjectSource>]) -> Vec<Vec<String>> {
        groups
            .iter()
            .map(|g| {
                g.iter()
                    .map(|s| s.file.path().display().to_string())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn files_that_refer_to_each_other_share_a_group_even_through_files_outside_the_run() {
        let run: Vec<ProjectSource> = [
            (
                "/r/a/main.bicep",
                "module net './net.bicep' = {\n  name: 'n'\n}\n",
            ),
            ("/r/alone.bicep", "param x string = 'y'\n"),
            (
                "/r/b/main.bicep",
                "module lib '../../lib/x.bicep' = {\n  name: 'l'\n}\n",
            ),
            ("/r/a/net.bicep", "param p string\n"),
            ("/r/c/dev.bicepparam", "using './c.bicep'\n"),
            ("/r/c/c.bicep", "import {v} from '../../lib/y.bicep'\n"),
            (
                "/r/reg.bicep",
                "module r 'br/public:avm/res/x:1.0' = {\n  name: 'r'\n}\n",
            ),
        ]
        .iter()
        .map(|(path, text)| run_file(path, text))
        .collect();
        // Outside the run: x.bicep calls y.bicep, which c.bicep imports from: b and c are joined.
        let loader = Files(
            [
                ("/lib/x.bicep", "module y './y.bicep' = {\n  name: 'y'\n}\n"),
                ("/lib/y.bicep", "@export()\nvar v = 1\n"),
            ]
            .iter()
            .map(|(path, text)| (PathBuf::from(path), source(path, text)))
            .collect(),
        );
        let groups = independent_groups(run, &loader, None);
        assert_eq!(
            names(&groups),
            vec![
                vec!["/r/a/main.bicep", "/r/a/net.bicep"],
                vec!["/r/alone.bicep"],
                vec!["/r/b/main.bicep", "/r/c/dev.bicepparam", "/r/c/c.bicep"],
                vec!["/r/reg.bicep"],
            ]
        );
    }

    #[test]
    fn the_merge_orders_resources_by_file_and_notes_as_one_evaluation_does() {
        let run: Vec<ProjectSource> = [
            (
                "/r/b.bicep",
                "module m './missing.bicep' = {\n  name: 'm'\n}\nresource s 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: 'b'\n}\n",
            ),
            (
                "/r/a.bicep",
                "module m './missing.bicep' = {\n  name: 'm'\n}\nresource s 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: 'a'\n}\n",
            ),
        ]
        .iter()
        .map(|(path, text)| run_file(path, text))
        .collect();
        let loader = Files(HashMap::new());
        let grouped = evaluate_in_groups(run.clone(), &loader);
        let whole = super::super::evaluate(&run, &loader);
        let paths = |e: &Evaluation| -> Vec<PathBuf> {
            e.resources
                .iter()
                .map(|r| r.file.path().to_owned())
                .collect()
        };
        assert_eq!(paths(&grouped), paths(&whole));
        assert_eq!(
            paths(&grouped),
            [PathBuf::from("/r/a.bicep"), "/r/b.bicep".into()]
        );
        let notes = |e: &Evaluation| -> Vec<String> {
            e.notes
                .iter()
                .map(|n| {
                    format!(
                        "{:?} {}",
                        n.location.as_ref().map(|l| l.file.path()),
                        n.message
                    )
                })
                .collect()
        };
        assert_eq!(notes(&grouped), notes(&whole));
        assert_eq!(grouped.notes.len(), 2);
    }
}
