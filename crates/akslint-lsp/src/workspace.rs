//! The workspace on disk: its files, found by the command line's walker, each analysed by the
//! engine's per-file stage and kept as the project stage needs it (its facts, and its text when
//! a cross-file finding can point into it or a template evaluation reads it), with its project.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use akslint_core::{SourceFile, SourceKind};
use akslint_engine::project::Projects;
use akslint_engine::walk::{self, Input};
use akslint_engine::{
    CONFIG_FILE_NAME, ConfigResolver, Content, Engine, FileAnalysis, Notice, ProjectFile,
};

/// A file of the workspace as read from disk.
#[derive(Clone, Debug)]
pub struct DiskFile {
    /// What the project stage needs of it.
    pub project_file: ProjectFile,
    /// The project it belongs to.
    pub project: PathBuf,
}

/// The workspace's files on disk, by absolute path.
pub type DiskFiles = HashMap<PathBuf, DiskFile>;

/// Whether a path is a configuration file.
pub fn is_config(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|name| name == CONFIG_FILE_NAME)
}

/// The workspace folder that holds `path` (the longest), if any.
pub fn folder_of<'f>(folders: &'f [PathBuf], path: &Path) -> Option<&'f PathBuf> {
    folders
        .iter()
        .filter(|f| path.starts_with(f))
        .max_by_key(|f| f.as_os_str().len())
}

/// The project of a file: see [`akslint_engine::project`]; a file outside every workspace
/// folder belongs to its own folder when nothing above it marks a project.
pub fn project_of(projects: &Projects, folders: &[PathBuf], path: &Path) -> PathBuf {
    let fallback = folder_of(folders, path)
        .cloned()
        .or_else(|| path.parent().map(Path::to_path_buf))
        .unwrap_or_default();
    projects.of(path, &fallback)
}

/// The files of the workspace folders that `akslint check FOLDER --exclude PATTERN…` lints for
/// each folder, as absolute paths with their kinds, and the walk's notices.
pub fn collect_files(
    folders: &[PathBuf],
    resolver: &Arc<ConfigResolver>,
    excludes: &[String],
    engine: &Engine,
) -> (Vec<(PathBuf, SourceKind)>, Vec<Notice>) {
    let mut files = Vec::new();
    let mut notices = Vec::new();
    for folder in folders {
        let Ok(folder_excludes) = walk::cli_excludes(folder, excludes) else {
            continue;
        };
        let Ok(collected) = walk::collect(
            std::slice::from_ref(folder),
            folder,
            &Arc::new(folder_excludes),
            resolver,
            engine,
        ) else {
            continue;
        };
        notices.extend(collected.notices);
        for input in collected.inputs {
            if let Input::File { path, kind, .. } = input {
                files.push((folder.join(path), kind));
            }
        }
    }
    files.sort();
    files.dedup();
    (files, notices)
}

/// What the project stage keeps of a file read from disk: its facts, and its text only when a
/// finding or a label can point into it (it has facts) or a template evaluation reads it.
pub fn keep(analysis: &FileAnalysis, project: PathBuf) -> DiskFile {
    let file = &analysis.file;
    let template = file.kind().is_azure_template();
    let file = if template || !analysis.facts.is_empty() {
        // A chart template's facts are in its rendered text (see `FileAnalysis::project_file`).
        analysis.project_file().file
    } else {
        Arc::new(SourceFile::new(file.path(), file.kind(), String::new()))
    };
    DiskFile {
        project_file: ProjectFile {
            file,
            parsed: None,
            ..analysis.project_file()
        },
        project,
    }
}

/// Reads one file from disk for its facts (its own findings are not shown while it is closed);
/// `None` when its configuration cannot be read.
pub fn read_file(
    engine: &Engine,
    resolver: &ConfigResolver,
    projects: &Projects,
    folders: &[PathBuf],
    path: &Path,
    kind: SourceKind,
) -> Option<DiskFile> {
    let config = resolver.for_file(path).ok()?;
    let analysis = engine.collect_facts(path, kind, Content::Disk(path.to_owned()), config);
    Some(keep(&analysis, project_of(projects, folders, path)))
}

/// Reads the files on `threads` threads; `done` counts the files read so far.
pub fn read_files(
    engine: &Engine,
    resolver: &ConfigResolver,
    projects: &Projects,
    folders: &[PathBuf],
    files: &[(PathBuf, SourceKind)],
    done: &AtomicUsize,
    threads: usize,
) -> DiskFiles {
    parallel_map(files, threads, |(path, kind)| {
        let file = read_file(engine, resolver, projects, folders, path, *kind);
        done.fetch_add(1, Ordering::Relaxed);
        file.map(|file| (path.clone(), file))
    })
    .into_iter()
    .collect()
}

/// `f` of each item, on `threads` threads (at most 8), the `None`s left out, in no
/// particular order.
pub fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> Option<R> + Sync,
) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let threads = threads.clamp(1, 8).min(items.len().max(1));
    let results: Vec<Vec<R>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut found = Vec::new();
                    while let Some(item) = items.get(next.fetch_add(1, Ordering::Relaxed)) {
                        found.extend(f(item));
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

/// What a file on disk looks like from outside (modification time and length): a file whose
/// stamp is unchanged is taken to be unchanged.
pub fn stamp(path: &Path) -> Option<(std::time::SystemTime, u64)> {
    let metadata = std::fs::metadata(path).ok()?;
    Some((metadata.modified().ok()?, metadata.len()))
}
