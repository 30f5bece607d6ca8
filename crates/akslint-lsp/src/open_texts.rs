//! The texts of the open documents, as the engine reads the files a lint refers to but does not
//! lint itself (a kustomization's bases and patches, a Bicep module): an open document's text
//! first, else the file on disk. So a build of an overlay sees the unsaved edits of its base.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use akslint_core::{DiskLoader, SharedSource, SourceFile, SourceKind, SourceLoader};

/// The open documents' texts by path, shared by the server (which keeps them current) and the
/// engine's loader.
#[derive(Clone, Debug, Default)]
pub struct OpenTexts(Arc<Mutex<HashMap<PathBuf, Arc<str>>>>);

impl OpenTexts {
    fn texts(&self) -> MutexGuard<'_, HashMap<PathBuf, Arc<str>>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sets the text of an open document.
    pub fn set(&self, path: &Path, text: &str) {
        self.texts().insert(path.to_owned(), Arc::from(text));
    }

    /// Forgets a closed document: its file is read from disk again.
    pub fn remove(&self, path: &Path) {
        self.texts().remove(path);
    }

    /// The text of the open document at `path`, if one is open.
    fn get(&self, path: &Path) -> Option<Arc<str>> {
        self.texts().get(path).cloned()
    }
}

/// Reads files through the open documents first, then from disk (see the module's
/// documentation).
pub struct EditorLoader {
    open: OpenTexts,
    disk: DiskLoader,
}

impl EditorLoader {
    /// A loader over these open documents and the disk.
    pub fn new(open: OpenTexts) -> EditorLoader {
        EditorLoader {
            open,
            disk: DiskLoader::default(),
        }
    }

    /// The open document's text at `path`, unless it is larger than a file read from disk may
    /// be.
    fn open_text(&self, path: &Path) -> Option<Arc<str>> {
        self.open
            .get(path)
            .filter(|text| text.len() as u64 <= self.disk.max_file_size)
    }
}

impl SourceLoader for EditorLoader {
    fn load(&self, path: &Path) -> Option<SharedSource> {
        match self.open_text(path) {
            Some(text) => {
                let kind = SourceKind::from_path(path)?;
                Some(Arc::new(SourceFile::new(path, kind, text.to_string())))
            }
            None => self.disk.load(path),
        }
    }

    fn load_text(&self, path: &Path) -> Option<String> {
        match self.open_text(path) {
            Some(text) => Some(text.to_string()),
            None => self.disk.load_text(path),
        }
    }

    fn edited_text(&self, path: &Path) -> Option<String> {
        self.open_text(path).map(|text| text.to_string())
    }

    fn on_disk(&self, path: &Path) -> Option<PathBuf> {
        self.disk.on_disk(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_open_text_comes_before_the_disk_and_a_closed_one_after() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deploy.yaml");
        std::fs::write(&path, "on: disk\n").unwrap();
        let open = OpenTexts::default();
        let loader = EditorLoader::new(open.clone());
        assert_eq!(loader.load_text(&path).as_deref(), Some("on: disk\n"));
        open.set(&path, "in: editor\n");
        assert_eq!(loader.load_text(&path).as_deref(), Some("in: editor\n"));
        assert_eq!(loader.load(&path).unwrap().text(), "in: editor\n");
        open.remove(&path);
        assert_eq!(loader.load(&path).unwrap().text(), "on: disk\n");
        // A document that is not on disk is read only while it is open.
        let unsaved = dir.path().join("patch.yaml");
        open.set(&unsaved, "kind: Deployment\n");
        assert_eq!(loader.load(&unsaved).unwrap().text(), "kind: Deployment\n");
        open.remove(&unsaved);
        assert!(loader.load(&unsaved).is_none());
    }
}
