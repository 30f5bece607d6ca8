//! The workspace index: the cross-file facts of every YAML and Bicep file in the workspace
//! folders, read from disk, so cross-file rules see the same project in the editor as in the CLI.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use akslint_core::SourceKind;
use akslint_engine::{CONFIG_FILE_NAME, ConfigResolver, Engine};
use akslint_rules::FileFacts;
use akslint_rules::index::ObjectFact;

use crate::settings::Excludes;

/// Facts of files on disk, by absolute path (files without facts are left out).
pub type DiskFacts = HashMap<PathBuf, Arc<FileFacts>>;

/// Whether a path is a configuration file.
pub fn is_config(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|name| name == CONFIG_FILE_NAME)
}

/// The files of the workspace folders akslint lints: YAML and Bicep files, walked the way the
/// CLI walks (`.gitignore` respected, hidden files skipped), without excluded files and
/// without `akslint.yaml`.
pub fn collect_files(
    folders: &[PathBuf],
    resolver: &ConfigResolver,
    excludes: &Excludes,
    engine: &Engine,
) -> Vec<(PathBuf, SourceKind)> {
    let mut files = Vec::new();
    for folder in folders {
        let walker = ignore::WalkBuilder::new(folder)
            .require_git(false)
            .follow_links(false)
            .build();
        for entry in walker.flatten() {
            let path = entry.path();
            if !entry.file_type().is_some_and(|t| t.is_file()) || is_config(path) {
                continue;
            }
            let Some(kind) = SourceKind::from_path(path) else {
                continue;
            };
            if !engine.supports(kind) || excludes.is_excluded(path, false) {
                continue;
            }
            if resolver
                .for_file(path)
                .is_ok_and(|config| config.is_excluded(path, false))
            {
                continue;
            }
            files.push((path.to_owned(), kind));
        }
    }
    files.sort();
    files.dedup();
    files
}

/// Reads and lints one file for its facts; `None` when it has none or cannot be read.
pub fn file_facts(
    engine: &Engine,
    resolver: &ConfigResolver,
    path: &Path,
    kind: SourceKind,
) -> Option<FileFacts> {
    let config = resolver.for_file(path).ok()?;
    let size = std::fs::metadata(path).ok()?.len();
    if size > config.limits.max_file_size {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    let outcome = engine.lint_bytes(path, kind, bytes, config);
    (!outcome.facts.is_empty()).then_some(outcome.facts)
}

/// Indexes the files on `threads` threads; `done` counts the files read so far.
pub fn index_files(
    engine: &Engine,
    resolver: &ConfigResolver,
    files: &[(PathBuf, SourceKind)],
    done: &AtomicUsize,
    threads: usize,
) -> DiskFacts {
    let next = AtomicUsize::new(0);
    let threads = threads.clamp(1, 8).min(files.len().max(1));
    let results: Vec<Vec<(PathBuf, Arc<FileFacts>)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut found = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some((path, kind)) = files.get(i) else {
                            break;
                        };
                        if let Some(facts) = file_facts(engine, resolver, path, *kind) {
                            found.push((path.clone(), Arc::new(facts)));
                        }
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                    found
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    results.into_iter().flatten().collect()
}

/// The largest Bicep file read from disk for the workspace's evaluation (the CLI's default
/// file size limit).
const MAX_BICEP_BYTES: u64 = 10 * 1024 * 1024;

/// A file's text, when it is readable UTF-8 text within [`MAX_BICEP_BYTES`].
pub fn read_text(path: &Path) -> Option<String> {
    if std::fs::metadata(path).ok()?.len() > MAX_BICEP_BYTES {
        return None;
    }
    std::fs::read_to_string(path).ok()
}

/// A 64-bit hash of a text (to notice that a document changed), kept in memory only.
pub fn text_hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

/// A summary of a file's facts that changes whenever something a cross-file rule reads does
/// (names, namespaces, labels, annotations and their positions). Kept in memory only.
pub fn facts_key(facts: &FileFacts) -> String {
    let mut key = String::new();
    for account in &facts.service_accounts {
        let _ = write!(
            key,
            "SA {:?} {}/{} {:?};",
            account.span, account.namespace, account.name, account.annotations
        );
    }
    for pod in &facts.pod_templates {
        let _ = write!(
            key,
            "POD {} {}/{} {:?} {:?} {:?} {:?} {:?} {:?} {:?};",
            pod.workload,
            pod.namespace,
            pod.service_account,
            pod.service_account_span,
            pod.labels,
            pod.annotations,
            pod.workload_labels,
            pod.labels_anchor,
            pod.subject,
            pod.label_insertion,
        );
    }
    for agent in &facts.gitops_agents {
        let _ = write!(key, "GITOPS {:?} {};", agent.agent, object_key(&agent.at));
    }
    for class in &facts.secret_provider_classes {
        let _ = write!(
            key,
            "SPC {} {:?} {:?} {:?};",
            object_key(&class.at),
            class.provider,
            class.use_pod_identity,
            class.subject,
        );
    }
    for driver in &facts.secrets_store_drivers {
        let _ = write!(key, "CSIDRIVER {};", object_key(driver));
    }
    key
}

/// The part of a fact key that says where an object is and what it is.
fn object_key(at: &ObjectFact) -> String {
    format!("{:?} {}", at.span, at.object)
}
