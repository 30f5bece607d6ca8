//! How a build reads files: from disk, or from an editor's unsaved buffers first.

use std::path::Path;

use akslint_core::{SharedSource, SourceFile, SourceKind};

/// The files a build reads.
pub trait Files: Send + Sync {
    /// The text of the file at `path`, if it is a readable text file.
    fn read(&self, path: &Path) -> Option<SharedSource>;

    /// Whether `path` is a folder.
    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }
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
