//! Turning the paths on the command line into the list of files to lint.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use akslint_core::SourceKind;

use crate::{CONFIG_FILE_NAME, ConfigResolver, Engine, Notice, NoticeLevel};
use ignore::gitignore::{Gitignore, GitignoreBuilder};

/// Something to lint.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    /// A file, with the language it is in.
    File {
        /// The path as given or found (relative to the current folder when given so).
        path: PathBuf,
        /// Its language.
        kind: SourceKind,
        /// The folder the run was given that the file was found in (the current folder for a
        /// file named itself): its project when no folder above it marks one (see
        /// [`crate::project`]).
        folder: PathBuf,
    },
    /// Standard input.
    Stdin,
}

/// The files to lint, and notices about what could not be walked.
#[derive(Debug, Default)]
pub struct Collected {
    /// The inputs, sorted, without duplicates.
    pub inputs: Vec<Input>,
    /// Folders that could not be read, symlink loops.
    pub notices: Vec<Notice>,
}

/// Command-line `--exclude` patterns, rooted at the current folder.
pub fn cli_excludes(cwd: &Path, patterns: &[String]) -> Result<Gitignore, String> {
    let mut builder = GitignoreBuilder::new(cwd);
    for pattern in patterns {
        builder
            .add_line(None, pattern)
            .map_err(|err| format!("invalid --exclude pattern `{pattern}`: {err}"))?;
    }
    builder.build().map_err(|err| err.to_string())
}

/// Whether a path is excluded by `--exclude` or by the `exclude` list of the configuration that
/// governs it.
fn is_excluded(
    path: &Path,
    is_dir: bool,
    cwd: &Path,
    excludes: &Gitignore,
    resolver: &ConfigResolver,
) -> bool {
    let absolute = cwd.join(path);
    let relative = absolute.strip_prefix(cwd).unwrap_or(&absolute);
    if excludes
        .matched_path_or_any_parents(relative, is_dir)
        .is_ignore()
    {
        return true;
    }
    resolver
        .for_file(path)
        .is_ok_and(|config| config.is_excluded(&absolute, is_dir))
}

/// Collects the files to lint. A path that does not exist is an error.
pub fn collect(
    paths: &[PathBuf],
    cwd: &Path,
    excludes: &Arc<Gitignore>,
    resolver: &Arc<ConfigResolver>,
    engine: &Engine,
) -> Result<Collected, String> {
    let mut collected = Collected::default();
    for path in paths {
        if path.as_os_str() == "-" {
            collected.inputs.push(Input::Stdin);
            continue;
        }
        let absolute = cwd.join(path);
        let metadata = std::fs::metadata(&absolute).map_err(|err| match err.kind() {
            std::io::ErrorKind::NotFound => format!("{}: no such file or folder", path.display()),
            _ => format!("{}: {err}", path.display()),
        })?;
        if metadata.is_dir() {
            walk(path, cwd, excludes, resolver, engine, &mut collected);
        } else if !is_excluded(path, false, cwd, excludes, resolver) {
            let kind = SourceKind::from_path(path).unwrap_or(SourceKind::Yaml);
            collected.inputs.push(Input::File {
                path: tidy(path),
                kind,
                folder: cwd.to_path_buf(),
            });
        }
    }
    collected.inputs.sort();
    collected.inputs.dedup_by(|a, b| match (a, b) {
        (Input::File { path: a, .. }, Input::File { path: b, .. }) => a == b,
        (a, b) => a == b,
    });
    Ok(collected)
}

fn walk(
    root: &Path,
    cwd: &Path,
    excludes: &Arc<Gitignore>,
    resolver: &Arc<ConfigResolver>,
    engine: &Engine,
    collected: &mut Collected,
) {
    let walk_root = if root.is_absolute() {
        root.to_path_buf()
    } else {
        cwd.join(root)
    };
    let (filter_excludes, filter_resolver, filter_cwd) =
        (excludes.clone(), resolver.clone(), cwd.to_path_buf());
    let walker = ignore::WalkBuilder::new(&walk_root)
        .follow_links(true)
        .require_git(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(move |entry| {
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            entry.depth() == 0
                || !is_excluded(
                    entry.path(),
                    is_dir,
                    &filter_cwd,
                    &filter_excludes,
                    &filter_resolver,
                )
        })
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                if !entry.file_type().is_some_and(|t| t.is_file()) {
                    continue;
                }
                let Some(kind) = SourceKind::from_path(entry.path()) else {
                    continue;
                };
                if entry.file_name() == CONFIG_FILE_NAME {
                    continue;
                }
                if !engine.supports(kind) {
                    continue;
                }
                let shown = entry
                    .path()
                    .strip_prefix(cwd)
                    .map_or_else(|_| entry.path().to_path_buf(), Path::to_path_buf);
                collected.inputs.push(Input::File {
                    path: tidy(&shown),
                    kind,
                    folder: walk_root.clone(),
                });
            }
            Err(err) => collected.notices.push(walk_notice(&err, cwd)),
        }
    }
}

fn walk_notice(err: &ignore::Error, cwd: &Path) -> Notice {
    let (path, level, message) = describe(err);
    let path = path.map_or_else(PathBuf::new, |p| {
        p.strip_prefix(cwd)
            .map_or_else(|_| p.clone(), Path::to_path_buf)
    });
    Notice {
        path,
        level,
        message,
    }
}

fn describe(err: &ignore::Error) -> (Option<PathBuf>, NoticeLevel, String) {
    match err {
        ignore::Error::WithPath { path, err } => {
            let (_, level, message) = describe(err);
            (Some(path.clone()), level, message)
        }
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            describe(err)
        }
        ignore::Error::Loop { child, ancestor } => (
            Some(child.clone()),
            NoticeLevel::Warning,
            format!(
                "symbolic link loop back to {}; not followed",
                ancestor.display()
            ),
        ),
        ignore::Error::Io(io) => (None, NoticeLevel::Error, format!("cannot read: {io}")),
        other => (None, NoticeLevel::Warning, other.to_string()),
    }
}

/// Drops a leading `./` so paths print the same however the folder was named.
fn tidy(path: &Path) -> PathBuf {
    path.strip_prefix(".")
        .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
}
