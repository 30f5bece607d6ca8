//! Turning the paths on the command line into the list of files to lint, so that nothing is
//! skipped without a word:
//!
//! - folders are walked with the ignore files git honours for the repository being linted
//!   (`.gitignore` files from the repository's root down, `.git/info/exclude`) and `.ignore`
//!   files, never an ignore file above the repository nor the user's global one; the files they
//!   leave out are counted ([`Collected::ignored`]); a folder named on the command line is walked
//!   even when they leave it out, as a named file is linted (what they leave out inside it stays
//!   out);
//! - hidden folders are walked (`.azure/`, `.pipelines/`), except version-control and tool
//!   folders ([`SKIPPED_FOLDERS`]);
//! - a FIFO, device or socket is never opened: named on the command line it is an error, met in a
//!   walk a warning;
//! - a file reached by two paths (a symbolic link) is linted once;
//! - a file of a Helm chart that is no YAML template (a helper, a text template, a packed
//!   dependency) named on the command line lints its chart;
//! - a file named on the command line that akslint does not read is an error, not a guess.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use akslint_core::SourceKind;
use akslint_kustomize::kustomization::normalize;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::{DirEntry, WalkBuilder, WalkState};
use rayon::prelude::*;

use crate::chart_paths::from_current_folder;
use crate::{CONFIG_FILE_NAME, ConfigResolver, Engine, Notice, NoticeLevel};

/// Folders a walk never enters: version control and tools' own folders, which hold no
/// deployment files of the repository.
pub const SKIPPED_FOLDERS: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    ".bzr",
    ".jj",
    ".venv",
    "node_modules",
    "__pycache__",
    ".tox",
    ".terraform",
    ".direnv",
    ".idea",
    // The Bicep CLI's module cache (its default name, and the usual `cacheRootDirectory`): the
    // compiled templates of registry modules, read through the modules that call them.
    ".bicep",
];

/// Something to lint.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    /// A file, with the language it is in.
    File {
        /// The path as given or found (relative to the current folder when given so); shared by
        /// the run's copies of the input.
        path: Arc<Path>,
        /// Its language.
        kind: SourceKind,
        /// The folder the run was given that the file was found in (the current folder for a
        /// file named itself): its project when no folder above it marks one (see
        /// [`crate::project`]). Shared by every file found in it.
        folder: Arc<Path>,
    },
    /// Standard input.
    Stdin,
}

/// The files to lint, and what was left out.
#[derive(Debug, Default)]
pub struct Collected {
    /// The inputs, sorted, without duplicates.
    pub inputs: Vec<Input>,
    /// Folders that could not be read, symlink loops, files that are not regular files, files
    /// named that akslint does not read.
    pub notices: Vec<Notice>,
    /// Files of a kind akslint reads that a walk left out because an ignore file matches them,
    /// sorted (relative to the current folder when under it).
    pub ignored: Vec<PathBuf>,
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

/// What akslint makes of a file named on the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NamedFile {
    /// A file to lint, in this language.
    Lint(SourceKind),
    /// JSON that is neither an ARM template nor a Kubernetes manifest (`bicepconfig.json`,
    /// `package.json`): left out with a note, so that hooks may pass every `.json` file.
    OtherJson,
    /// A file of a Helm chart that is no YAML template (a helper `_helpers.tpl`, a text
    /// template, a packed dependency `charts/x-1.0.0.tgz`, its `Chart.yaml` or
    /// `values.schema.json`): the chart's folder, whose files are linted instead (see
    /// [`chart_files`]).
    OfChart(PathBuf),
    /// A file named as a chart's helper, text template or packed dependency is (`.tpl`, `.tgz`,
    /// `.txt` under a `templates/` folder) that no chart holds: left out with a note, so that
    /// hooks may pass every such file.
    OutsideChart,
    /// A file akslint does not read.
    Unknown,
}

/// What a file named on the command line is (`on_disk` is where to read it): a file of a Helm
/// chart that is no YAML template, its chart ([`akslint_helm::chart_of_file`]); else by its
/// extension; a `.json` file is an ARM template when its `$schema` says so, a Kubernetes
/// manifest (read as YAML) when its first bytes name an `apiVersion` and a `kind`, else other
/// JSON.
pub fn named_kind(path: &Path, on_disk: &Path) -> NamedFile {
    let kind = SourceKind::from_path(path);
    let chart_yaml = path
        .file_name()
        .is_some_and(|name| name == akslint_helm::chart::CHART_FILE);
    if kind.is_none() || chart_yaml {
        let chart = akslint_helm::chart_of_file(&from_current_folder(path.to_path_buf()));
        if let Some(chart) = chart {
            return NamedFile::OfChart(chart);
        }
    }
    if let Some(kind) = kind {
        return NamedFile::Lint(kind);
    }
    if is_named_as_chart_file(path) {
        return NamedFile::OutsideChart;
    }
    if !SourceKind::may_be_arm_template(path) {
        return NamedFile::Unknown;
    }
    let head = json_head(on_disk).unwrap_or_default();
    if let Some(kind) = SourceKind::sniff_json(&head) {
        return NamedFile::Lint(kind);
    }
    let text = String::from_utf8_lossy(&head);
    if text.contains("\"apiVersion\"") && text.contains("\"kind\"") {
        NamedFile::Lint(SourceKind::Yaml)
    } else {
        NamedFile::OtherJson
    }
}

/// Whether a file is named as a chart's helper (`.tpl`), text template (`.txt` under a
/// `templates/` folder) or packed dependency (`.tgz`) is.
fn is_named_as_chart_file(path: &Path) -> bool {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    match extension.to_ascii_lowercase().as_str() {
        "tpl" | "tgz" => true,
        "txt" => path
            .parent()
            .is_some_and(|dir| dir.components().any(|c| c.as_os_str() == "templates")),
        _ => false,
    }
}

/// The files to lint for a chart named by one of its other files ([`NamedFile::OfChart`]): its
/// YAML templates on disk, its `values.yaml` and its `Chart.yaml` (the run adds the templates
/// of its packed dependencies), as the chart's folder names them.
fn chart_files(chart: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = akslint_helm::chart_templates(chart)
        .into_iter()
        .map(|(template, _)| template)
        .filter(|template| template.is_file())
        .collect();
    for name in [
        akslint_helm::chart::VALUES_FILE,
        akslint_helm::chart::CHART_FILE,
    ] {
        let file = chart.join(name);
        if file.is_file() {
            files.push(file);
        }
    }
    files
}

/// The first bytes of the regular file at `path` ([`SourceKind::JSON_SNIFF_BYTES`]).
fn json_head(path: &Path) -> Option<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path).ok()?;
    let mut head = Vec::with_capacity(SourceKind::JSON_SNIFF_BYTES);
    file.take(SourceKind::JSON_SNIFF_BYTES as u64)
        .read_to_end(&mut head)
        .ok()?;
    Some(head)
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

/// What the run leaves out on purpose (`--exclude`, `exclude` in `akslint.yaml`, tool folders),
/// as opposed to what ignore files leave out.
#[derive(Clone)]
struct Excluded {
    cwd: PathBuf,
    excludes: Arc<Gitignore>,
    resolver: Arc<ConfigResolver>,
}

impl Excluded {
    fn entry(&self, entry: &DirEntry) -> bool {
        let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
        if is_dir
            && entry
                .file_name()
                .to_str()
                .is_some_and(|name| SKIPPED_FOLDERS.contains(&name))
        {
            return true;
        }
        entry.depth() > 0
            && is_excluded(
                entry.path(),
                is_dir,
                &self.cwd,
                &self.excludes,
                &self.resolver,
            )
    }
}

/// The ignore files of the repository above a walked folder: `.ignore` and `.gitignore` of each
/// folder from the repository's root down to the folder's parent, and `.git/info/exclude`,
/// deepest first (the walk itself reads those of the folder and below).
struct RepositoryIgnores {
    /// The folder walked: named on the command line, it is walked even when these files
    /// ignore it, as a file named there is linted.
    root: PathBuf,
    matchers: Vec<Gitignore>,
}

impl RepositoryIgnores {
    fn above(root: &Path) -> RepositoryIgnores {
        let Some(repository) = root.ancestors().find(|dir| dir.join(".git").exists()) else {
            return RepositoryIgnores::none(root);
        };
        let mut matchers = Vec::new();
        let mut exclude = GitignoreBuilder::new(repository);
        if exclude.add(repository.join(".git/info/exclude")).is_none()
            && let Ok(matcher) = exclude.build()
        {
            matchers.push(matcher);
        }
        let mut folders: Vec<&Path> = root
            .ancestors()
            .skip(1)
            .take_while(|dir| dir.starts_with(repository))
            .collect();
        folders.reverse();
        for folder in folders {
            for name in [".gitignore", ".ignore"] {
                let file = folder.join(name);
                if !file.is_file() {
                    continue;
                }
                let mut builder = GitignoreBuilder::new(folder);
                if builder.add(&file).is_none()
                    && let Ok(matcher) = builder.build()
                {
                    matchers.push(matcher);
                }
            }
        }
        matchers.reverse();
        RepositoryIgnores {
            root: root.to_path_buf(),
            matchers,
        }
    }

    /// No ignore files.
    fn none(root: &Path) -> RepositoryIgnores {
        RepositoryIgnores {
            root: root.to_path_buf(),
            matchers: Vec::new(),
        }
    }

    /// Whether the nearest ignore file with a say on `path`, an entry of the walk, ignores it.
    /// The walk root is never ignored, and an entry's folders were looked at before it (a walk
    /// does not enter an ignored folder), so only the entry itself is matched.
    fn ignores(&self, path: &Path, is_dir: bool) -> bool {
        if path == self.root {
            return false;
        }
        for matcher in &self.matchers {
            let Ok(relative) = path.strip_prefix(matcher.path()) else {
                continue;
            };
            let matched = matcher.matched(relative, is_dir);
            if matched.is_ignore() {
                return true;
            }
            if matched.is_whitelist() {
                return false;
            }
        }
        false
    }
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
    let current_folder: Arc<Path> = Arc::from(cwd);
    let excluded = Excluded {
        cwd: cwd.to_path_buf(),
        excludes: excludes.clone(),
        resolver: resolver.clone(),
    };
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
            walk(path, cwd, &excluded, engine, &mut collected);
        } else if !metadata.is_file() {
            collected.notices.push(Notice {
                path: path.clone(),
                level: NoticeLevel::Error,
                message: "not a regular file (a FIFO, socket or device); akslint reads files, and stdin as `-`".to_owned(),
            });
        } else if is_excluded(path, false, cwd, excludes, resolver) {
            continue;
        } else {
            let (level, message) = match named_kind(path, &absolute) {
                NamedFile::Lint(kind) if engine.supports(kind) => {
                    collected.inputs.push(Input::File {
                        path: tidy(path).into(),
                        kind,
                        folder: current_folder.clone(),
                    });
                    continue;
                }
                NamedFile::OfChart(chart) => {
                    for file in chart_files(&chart) {
                        // Named from the current folder when under it (`a.yaml`, not
                        // `../templates/a.yaml` in the chart's templates/ folder).
                        let absolute = normalize(&cwd.join(&file));
                        let file = absolute
                            .strip_prefix(cwd)
                            .map_or_else(|_| tidy(&file), Path::to_path_buf);
                        if !is_excluded(&file, false, cwd, excludes, resolver) {
                            collected.inputs.push(Input::File {
                                path: file.into(),
                                kind: SourceKind::Yaml,
                                folder: current_folder.clone(),
                            });
                        }
                    }
                    continue;
                }
                NamedFile::OutsideChart => (
                    NoticeLevel::Note,
                    "not linted: named as a Helm chart's helper, text template or packed dependency is (`.tpl`, `.txt` under `templates/`, `.tgz`), but not under a chart's `templates/` or `charts/` folder",
                ),
                NamedFile::OtherJson => (
                    NoticeLevel::Note,
                    "not linted: JSON that is neither an ARM template or parameters file (by its `$schema`) nor a Kubernetes manifest (`apiVersion` and `kind`)",
                ),
                NamedFile::Lint(_) | NamedFile::Unknown => (
                    NoticeLevel::Error,
                    "not a file akslint lints: it reads YAML (.yaml, .yml, and .json named on the command line), Bicep (.bicep), Bicep parameters (.bicepparam) and ARM JSON templates",
                ),
            };
            collected.notices.push(Notice {
                path: path.clone(),
                level,
                message: message.to_owned(),
            });
        }
    }
    collected.inputs.sort();
    dedup_files(cwd, &mut collected.inputs);
    collected.ignored.sort();
    collected.ignored.dedup();
    Ok(collected)
}

/// Keeps one input per file: the first path of each file reached by several (symbolic links).
fn dedup_files(cwd: &Path, inputs: &mut Vec<Input>) {
    // Each file's own path, looked up in parallel: its folder's once per folder, then the file
    // itself (a system call per folder of the path for each folder; one for each file).
    let folders: HashSet<&Path> = inputs
        .iter()
        .filter_map(|input| match input {
            Input::File { path, .. } => path.parent(),
            Input::Stdin => None,
        })
        .collect();
    let folders: HashMap<&Path, Option<PathBuf>> = folders
        .into_par_iter()
        .map(|folder| (folder, std::fs::canonicalize(cwd.join(folder)).ok()))
        .collect();
    let keys: Vec<PathBuf> = inputs
        .par_iter()
        .map(|input| match input {
            Input::File { path, .. } => {
                canonical_file(cwd, path, &folders).unwrap_or_else(|| cwd.join(path))
            }
            Input::Stdin => PathBuf::from("-"),
        })
        .collect();
    let mut seen = HashSet::new();
    let mut keys = keys.into_iter();
    inputs.retain(|_| keys.next().is_some_and(|key| seen.insert(key)));
}

/// The canonical path of the file at `path` (as [`std::fs::canonicalize`] gives it), from the
/// canonical paths of the folders: the folder's joined with the file's name when the file is
/// no symbolic link.
fn canonical_file(
    cwd: &Path,
    path: &Path,
    folders: &HashMap<&Path, Option<PathBuf>>,
) -> Option<PathBuf> {
    let absolute = cwd.join(path);
    let folder = path
        .parent()
        .and_then(|folder| folders.get(folder)?.as_ref());
    let name = path.file_name();
    match (folder, name) {
        (Some(folder), Some(name)) if !std::fs::symlink_metadata(&absolute).ok()?.is_symlink() => {
            Some(folder.join(name))
        }
        _ => std::fs::canonicalize(absolute).ok(),
    }
}

/// The walker of a folder: symbolic links followed, hidden entries walked, the repository's
/// ignore files applied (`honour_ignores`), without the excluded entries; walked on every core
/// (the caller sorts what it keeps). `sources` is set when ignore files above the folder apply.
fn walker(
    root: &Path,
    excluded: &Excluded,
    honour_ignores: bool,
    sources: &AtomicBool,
) -> ignore::WalkParallel {
    let excluded = excluded.clone();
    let above = Arc::new(if honour_ignores {
        RepositoryIgnores::above(root)
    } else {
        RepositoryIgnores::none(root)
    });
    if !above.matchers.is_empty() {
        sources.store(true, Ordering::Relaxed);
    }
    WalkBuilder::new(root)
        .standard_filters(false)
        .follow_links(true)
        .git_ignore(honour_ignores)
        .git_exclude(honour_ignores)
        .ignore(honour_ignores)
        .require_git(false)
        .filter_entry(move |entry| {
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            !excluded.entry(entry) && !above.ignores(entry.path(), is_dir)
        })
        .build_parallel()
}

/// What a walk kept of its entries (by `keep`), and its errors, each sorted.
fn walked<T: Ord + Send>(
    walker: ignore::WalkParallel,
    keep: impl Fn(&DirEntry) -> Option<T> + Sync,
) -> (Vec<T>, Vec<ignore::Error>) {
    let kept = Mutex::new(Vec::new());
    let errors = Mutex::new(Vec::new());
    let (kept_by, errors_by, keep) = (&kept, &errors, &keep);
    walker.run(|| {
        Box::new(move |entry| {
            match entry {
                Ok(entry) => {
                    if let Some(item) = keep(&entry) {
                        kept_by.lock().unwrap_or_else(|e| e.into_inner()).push(item);
                    }
                }
                Err(err) => errors_by
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(err),
            }
            WalkState::Continue
        })
    });
    let mut kept = kept.into_inner().unwrap_or_else(|e| e.into_inner());
    kept.sort();
    let mut errors = errors.into_inner().unwrap_or_else(|e| e.into_inner());
    // Errors in the order of the paths they are about, as a sorted walk meets them.
    errors.sort_by_cached_key(|err| describe(err).0);
    (kept, errors)
}

fn walk(root: &Path, cwd: &Path, excluded: &Excluded, engine: &Engine, collected: &mut Collected) {
    let walk_root: Arc<Path> = if root.is_absolute() {
        Arc::from(root)
    } else {
        cwd.join(root).into()
    };
    let shown = |path: &Path| {
        tidy(
            &path
                .strip_prefix(cwd)
                .map_or_else(|_| path.to_path_buf(), Path::to_path_buf),
        )
    };
    // What akslint reads, of a walk's entries.
    // `.json` files are read only when they are ARM templates or parameters files.
    let lintable = |entry: &DirEntry| {
        let regular_json = || {
            SourceKind::may_be_arm_template(entry.path())
                && entry.file_type().is_some_and(|t| t.is_file())
        };
        SourceKind::from_path(entry.path())
            .or_else(|| {
                regular_json()
                    .then(|| json_head(entry.path()).and_then(|head| SourceKind::sniff_json(&head)))
                    .flatten()
            })
            .filter(|kind| engine.supports(*kind) && entry.file_name() != CONFIG_FILE_NAME)
    };
    // Set when the walk may have left files out: ignore files above the folder, or a folder
    // walked that holds an ignore file or a `.git` (whose `info/exclude` the walk reads). Looked
    // for in each folder, as an ignore file may ignore itself.
    let sources = AtomicBool::new(false);
    // The lintable entries: regular files, and others (FIFOs, sockets, devices) to warn about.
    let (entries, errors) = walked(walker(&walk_root, excluded, true, &sources), |entry| {
        if entry.file_type().is_some_and(|t| t.is_dir())
            && !sources.load(Ordering::Relaxed)
            && [".git", ".gitignore", ".ignore"]
                .iter()
                .any(|name| entry.path().join(name).exists())
        {
            sources.store(true, Ordering::Relaxed);
        }
        let kind = lintable(entry)?;
        match entry.file_type() {
            Some(t) if t.is_file() => Some((entry.path().to_path_buf(), Some(kind))),
            Some(t) if !t.is_dir() => Some((entry.path().to_path_buf(), None)),
            _ => None,
        }
    });
    collected
        .notices
        .extend(errors.iter().map(|err| walk_notice(err, cwd)));
    let mut linted = HashSet::new();
    for (path, kind) in entries {
        match kind {
            Some(kind) => {
                collected.inputs.push(Input::File {
                    path: shown(&path).into(),
                    kind,
                    folder: walk_root.clone(),
                });
                linted.insert(path);
            }
            None => collected.notices.push(Notice {
                path: shown(&path),
                level: NoticeLevel::Warning,
                message: "not a regular file (a FIFO, socket or device); skipped".to_owned(),
            }),
        }
    }
    // The same walk without ignore files finds what they left out; when the walk met no ignore
    // file, nothing was left out.
    if !sources.load(Ordering::Relaxed) {
        return;
    }
    let (left_out, _) = walked(walker(&walk_root, excluded, false, &sources), |entry| {
        (entry.file_type().is_some_and(|t| t.is_file())
            && lintable(entry).is_some()
            && !linted.contains(entry.path()))
        .then(|| shown(entry.path()))
    });
    collected.ignored.extend(left_out);
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
