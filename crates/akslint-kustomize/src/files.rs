//! How a build reads files: from disk, or from an editor's unsaved buffers first; and, for a
//! run over files that do not change while it lasts, once for all the run's builds.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use akslint_core::{Limits, ParsedFile, SharedSource, SourceFile, SourceKind};

/// The files a build reads.
pub trait Files: Send + Sync {
    /// The text of the file at `path`, if it is a readable text file.
    fn read(&self, path: &Path) -> Option<SharedSource>;

    /// Whether `path` is a folder.
    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }

    /// The YAML parse of a file read with [`Files::read`]: by default parsed anew each time.
    fn parse(&self, file: &SharedSource) -> Arc<ParsedFile> {
        parse_yaml(file)
    }
}

/// A file parsed as a build parses the files it reads.
pub(crate) fn parse_yaml(file: &SharedSource) -> Arc<ParsedFile> {
    Arc::new(akslint_yaml::parse(file, &Limits::default()))
}

/// Files read from disk.
#[derive(Clone, Copy, Debug, Default)]
pub struct DiskFiles;

impl Files for DiskFiles {
    fn read(&self, path: &Path) -> Option<SharedSource> {
        let text = std::fs::read_to_string(path).ok()?;
        let kind = SourceKind::from_path(path).unwrap_or(SourceKind::Yaml);
        Some(std::sync::Arc::new(SourceFile::new(path, kind, text)))
    }
}

/// What the builds of one run read and parsed, shared by them all: a base's files are read and
/// parsed once, not again for each overlay that builds it. Reads are kept by path, so keep a
/// cache only while the files cannot change (an `akslint check` run, not an editor's session);
/// parses are kept by path and text.
#[derive(Debug, Default)]
pub struct FileCache {
    /// What reading each path gave (`None`: it could not be read).
    read: Mutex<HashMap<PathBuf, Option<SharedSource>>>,
    /// The latest parse of each path, with the file (and so the text) it is of.
    parsed: Mutex<HashMap<PathBuf, (SharedSource, Arc<ParsedFile>)>>,
}

impl FileCache {
    /// The file at `path` as `read` gave it the first time this cache was asked for it.
    pub fn read(
        &self,
        path: &Path,
        read: impl FnOnce() -> Option<SharedSource>,
    ) -> Option<SharedSource> {
        if let Some(file) = lock(&self.read).get(path) {
            return file.clone();
        }
        let file = read();
        lock(&self.read)
            .entry(path.to_owned())
            .or_insert(file)
            .clone()
    }

    /// The YAML parse of `file`, parsed once for each path and text.
    pub fn parse(&self, file: &SharedSource) -> Arc<ParsedFile> {
        if let Some((of, parsed)) = lock(&self.parsed).get(file.path())
            && (Arc::ptr_eq(of, file) || of.text() == file.text())
        {
            return parsed.clone();
        }
        let parsed = parse_yaml(file);
        lock(&self.parsed).insert(file.path().to_owned(), (file.clone(), parsed.clone()));
        parsed
    }
}

/// A cache's map, also after a panic elsewhere (the maps are whole between calls).
fn lock<T>(map: &Mutex<T>) -> MutexGuard<'_, T> {
    map.lock().unwrap_or_else(PoisonError::into_inner)
}
