//! Run scope: which files' facts join. Cross-file rules see only the files of one project, so
//! linting two unrelated repositories in one run gives each the findings it gets alone.
//!
//! A file's project is the nearest folder above it that holds an `akslint.yaml` or is the root
//! of a git work tree (holds `.git`), whichever comes first walking up; a file with neither
//! above it belongs to the folder the run was given (the folder named on the command line it was
//! found in, the current folder for files named one by one and for stdin, the workspace folder
//! in an editor).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::CONFIG_FILE_NAME;

/// Finds projects, remembering the answer for each folder.
#[derive(Debug, Default)]
pub struct Projects {
    /// The marked folder above each folder asked about, if any.
    cache: Mutex<HashMap<PathBuf, Option<PathBuf>>>,
}

impl Projects {
    /// A finder with an empty cache.
    pub fn new() -> Projects {
        Projects::default()
    }

    /// Forgets what it found (after an `akslint.yaml` was added or removed).
    pub fn clear(&self) {
        self.cache.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// The project of the file at `path` (absolute, or relative to the current folder), or
    /// `folder` when no folder above it marks a project.
    pub fn of(&self, path: &Path, folder: &Path) -> PathBuf {
        let file = absolute(path);
        let start = file.parent().unwrap_or(&file);
        self.marked(start).unwrap_or_else(|| absolute(folder))
    }

    /// The nearest folder at or above `folder` that marks a project.
    fn marked(&self, folder: &Path) -> Option<PathBuf> {
        let mut pending = Vec::new();
        let mut at = Some(folder);
        let found = loop {
            let Some(dir) = at else { break None };
            if let Some(known) = self
                .cache
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get(dir)
            {
                break known.clone();
            }
            if dir.join(CONFIG_FILE_NAME).is_file() || dir.join(".git").exists() {
                break Some(dir.to_path_buf());
            }
            pending.push(dir.to_path_buf());
            at = dir.parent();
        };
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        for dir in pending {
            cache.insert(dir, found.clone());
        }
        if let Some(project) = &found {
            cache.insert(project.clone(), found.clone());
        }
        found
    }
}

/// `path` made absolute against the current folder, with `.` components dropped.
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    joined
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_marker_wins_and_unmarked_files_take_the_run_folder() {
        let root = tempfile::tempdir().expect("a temporary folder");
        let root = root.path();
        let repo = root.join("repo");
        let nested = repo.join("team");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::create_dir_all(nested.join("deep")).unwrap();
        std::fs::write(nested.join(CONFIG_FILE_NAME), "").unwrap();
        std::fs::create_dir_all(root.join("loose/sub")).unwrap();
        let projects = Projects::new();
        assert_eq!(projects.of(&repo.join("a.yaml"), root), repo);
        assert_eq!(projects.of(&repo.join("x/y/a.yaml"), root), repo);
        assert_eq!(projects.of(&nested.join("deep/a.yaml"), root), nested);
        assert_eq!(
            projects.of(&root.join("loose/sub/a.yaml"), &root.join("loose")),
            root.join("loose")
        );
        // Asked again, from the cache.
        assert_eq!(projects.of(&nested.join("b.yaml"), root), nested);
    }
}
