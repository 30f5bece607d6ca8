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
use crate::files::Files;

/// Whether a file is a kustomization the engine builds (a `kustomization.yaml`,
/// `kustomization.yml` or `Kustomization` file).
pub fn is_kustomization(path: &Path) -> bool {
    crate::is_kustomization_file(path)
}

/// The run's files as a build reads them: through the engine's loader (which knows where the
/// run's paths are on disk and an editor's unsaved texts), the kustomization being linted with
/// the text the engine has.
struct RunFiles<'a> {
    loader: &'a dyn SourceLoader,
    kustomization: &'a SharedSource,
}

impl Files for RunFiles<'_> {
    fn read(&self, path: &Path) -> Option<SharedSource> {
        if path == self.kustomization.path() {
            return Some(self.kustomization.clone());
        }
        if let Some(file) = self.loader.load(path) {
            return Some(file);
        }
        let text = self.loader.load_text(path)?;
        let kind = SourceKind::from_path(path).unwrap_or(SourceKind::Yaml);
        Some(Arc::new(SourceFile::new(path, kind, text)))
    }

    fn is_dir(&self, path: &Path) -> bool {
        self.loader.on_disk(path).is_some_and(|dir| dir.is_dir())
    }
}

/// Builds the kustomization `file` (its path as the run names it) and parses what it built:
/// the documents are those of the built objects, written under the kustomization's path, and
/// [`ParsedFile::rendered`] says where every value came from; the build's problems are in the
/// rendered file's `problems`, placed in the kustomization.
pub fn build_file(file: &SharedSource, loader: &dyn SourceLoader, limits: &Limits) -> ParsedFile {
    let files = RunFiles {
        loader,
        kustomization: file,
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
