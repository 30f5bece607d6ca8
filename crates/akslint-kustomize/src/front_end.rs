//! What the engine needs of a kustomization: the overlay built with the files of the run (an
//! editor's unsaved text first), written as YAML with the place of every value, and the
//! problems of the build placed in the kustomization.

use std::path::Path;
use std::sync::Arc;

use akslint_core::{
    Limits, ParseProblem, ParseProblemKind, ParsedFile, SharedSource, SourceFile, SourceKind,
    SourceLoader,
};

use crate::build::{BuildError, Built, build};
use crate::emit;
use crate::files::{FileCache, Files, parse_yaml};

/// Whether a file is a kustomization the engine builds (a `kustomization.yaml`,
/// `kustomization.yml` or `Kustomization` file).
pub fn is_kustomization(path: &Path) -> bool {
    crate::is_kustomization_file(path)
}

/// The run's files as a build reads them: through the engine's loader (which knows where the
/// run's paths are on disk and an editor's unsaved texts), the kustomization being linted with
/// the text the engine has; the others through the run's cache, when there is one.
struct RunFiles<'a> {
    loader: &'a dyn SourceLoader,
    kustomization: &'a SharedSource,
    cache: Option<&'a FileCache>,
}

impl RunFiles<'_> {
    /// The file at `path` as the loader has it now.
    fn load(&self, path: &Path) -> Option<SharedSource> {
        if let Some(file) = self.loader.load(path) {
            return Some(file);
        }
        let text = self.loader.load_text(path)?;
        let kind = SourceKind::from_path(path).unwrap_or(SourceKind::Yaml);
        Some(Arc::new(SourceFile::new(path, kind, text)))
    }
}

impl Files for RunFiles<'_> {
    fn read(&self, path: &Path) -> Option<SharedSource> {
        if path == self.kustomization.path() {
            return Some(self.kustomization.clone());
        }
        match self.cache {
            Some(cache) => cache.read(path, || self.load(path)),
            None => self.load(path),
        }
    }

    fn is_dir(&self, path: &Path) -> bool {
        self.loader.on_disk(path).is_some_and(|dir| dir.is_dir())
    }

    fn parse(&self, file: &SharedSource) -> Arc<ParsedFile> {
        match self.cache {
            Some(cache) => cache.parse(file),
            None => parse_yaml(file),
        }
    }
}

/// Builds the kustomization `file` (its path as the run names it) and parses what it built:
/// the documents are those of the built objects, written under the kustomization's path, and
/// [`ParsedFile::rendered`] says where every value came from; the build's problems are in the
/// rendered file's `problems`, placed in the kustomization. With a `cache`, the files other
/// than `file` are read and parsed through it (see [`FileCache`]).
pub fn build_file(
    file: &SharedSource,
    loader: &dyn SourceLoader,
    limits: &Limits,
    cache: Option<&FileCache>,
) -> ParsedFile {
    let files = RunFiles {
        loader,
        kustomization: file,
        cache,
    };
    let dir = file.path().parent().unwrap_or(Path::new(""));
    let built = build(dir, &files);
    parse_built(&built, file, limits)
}

/// The parse of a build's output, with its problems placed in the kustomization.
pub fn parse_built(built: &Built, file: &SharedSource, limits: &Limits) -> ParsedFile {
    let mut rendered = emit::render(built, file);
    rendered.problems = built
        .errors
        .iter()
        .map(|error| problem(built, error))
        .collect();
    rendered.notes = built
        .notes
        .iter()
        .map(|note| {
            let file = built.file(note.origin);
            let line = file.lines().line_of(note.origin.span.start as usize) + 1;
            format!(
                "Kustomize: {} (`{}`, line {line})",
                note.message,
                file.path().display()
            )
        })
        .collect();
    let mut parsed = akslint_yaml::parse(&rendered.file, limits);
    parsed.rendered = Some(Arc::new(rendered));
    parsed
}

/// A build error as a problem of the top kustomization: at its place there, else at the
/// entry that led to the file it is in, naming that file and line.
fn problem(built: &Built, error: &BuildError) -> ParseProblem {
    if error.origin.source == 0 {
        return ParseProblem::new(
            ParseProblemKind::Build,
            error.origin.span,
            error.message.clone(),
        );
    }
    let file = built.file(error.origin);
    let line = file.lines().line_of(error.origin.span.start as usize) + 1;
    let span = error
        .via
        .map_or(akslint_core::Span::empty(0), |via| via.span);
    ParseProblem::new(
        ParseProblemKind::Build,
        span,
        format!(
            "{} (in `{}`, line {line})",
            error.message,
            file.path().display()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use akslint_core::DiskLoader;
    use std::collections::HashMap;
    use std::path::PathBuf;
    use std::sync::Mutex;

    /// Reads from disk, counting the reads of each path.
    struct CountingLoader {
        disk: DiskLoader,
        reads: Mutex<HashMap<PathBuf, usize>>,
    }

    impl SourceLoader for CountingLoader {
        fn load(&self, path: &Path) -> Option<SharedSource> {
            *self.reads.lock().unwrap().entry(path.into()).or_default() += 1;
            self.disk.load(path)
        }

        fn on_disk(&self, path: &Path) -> Option<PathBuf> {
            self.disk.on_disk(path)
        }
    }

    /// One base, with a syntax error in a resource, and two overlays of it.
    fn base_and_overlays() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let write = |path: &str, text: &str| {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "base/kustomization.yaml",
            "resources:\n- app.yaml\n- bad.yaml\n",
        );
        write(
            "base/app.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  a: '1'\n",
        );
        write("base/bad.yaml", "a: [1\n");
        for overlay in ["dev", "prod"] {
            write(
                &format!("{overlay}/kustomization.yaml"),
                &format!("namePrefix: {overlay}-\nresources:\n- ../base\n"),
            );
        }
        dir
    }

    /// Each overlay's build as YAML text and problems, with `cache` or without.
    fn built(dir: &Path, loader: &dyn SourceLoader, cache: Option<&FileCache>) -> Vec<String> {
        ["dev", "prod"]
            .iter()
            .map(|overlay| {
                let path = PathBuf::from(overlay).join("kustomization.yaml");
                let text = std::fs::read_to_string(dir.join(&path)).unwrap();
                let file = Arc::new(SourceFile::new(path, SourceKind::Yaml, text));
                let parsed = build_file(&file, loader, &Limits::default(), cache);
                let rendered = parsed.rendered.unwrap();
                format!("{}{:?}", rendered.file.text(), rendered.problems)
            })
            .collect()
    }

    #[test]
    fn the_builds_of_a_run_read_a_base_once_and_build_as_without_the_cache() {
        let dir = base_and_overlays();
        let loader = CountingLoader {
            disk: DiskLoader {
                base: dir.path().to_owned(),
                ..DiskLoader::default()
            },
            reads: Mutex::default(),
        };
        let uncached = built(dir.path(), &loader, None);
        assert!(uncached[0].contains("dev-app") && uncached[1].contains("prod-app"));
        assert!(uncached[0].contains("bad.yaml"), "{}", uncached[0]);
        let base_reads = |loader: &CountingLoader| {
            let reads = loader.reads.lock().unwrap();
            reads
                .iter()
                .filter(|(path, _)| path.ends_with("app.yaml"))
                .map(|(_, n)| n)
                .sum::<usize>()
        };
        assert_eq!(base_reads(&loader), 2, "base/app.yaml read once per build");
        loader.reads.lock().unwrap().clear();
        let cache = FileCache::default();
        assert_eq!(built(dir.path(), &loader, Some(&cache)), uncached);
        assert_eq!(
            base_reads(&loader),
            1,
            "base/app.yaml read once for both builds"
        );
    }

    #[test]
    fn a_cached_parse_is_of_the_text_asked_for() {
        let cache = FileCache::default();
        let file = |text: &str| Arc::new(SourceFile::new("a.yaml", SourceKind::Yaml, text));
        let first = cache.parse(&file("a: 1\n"));
        assert!(Arc::ptr_eq(&first, &cache.parse(&file("a: 1\n"))));
        let changed = cache.parse(&file("a: [1\n"));
        assert!(first.problems.is_empty() && !changed.problems.is_empty());
    }
}
