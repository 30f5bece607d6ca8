//! The project index: what the project-wide rules read. The facts of every file (see
//! [`crate::facts`]), the Azure resources the project's templates evaluate to, the templates'
//! declarations and parameter values, and values derived from them once per project
//! ([`ProjectIndex::memo`]).
//!
//! Files are kept sorted by path and facts in source order, so results never depend on the
//! order files were read in.
//!
//! What the templates evaluate to ([`Templates`]) is the same for every scope of a project (the
//! Kustomize builds whose objects collide are indexed in scopes apart, each with the project's
//! other files): it is built once and shared by the scopes' indexes, with the values derived
//! from it alone ([`ProjectIndex::templates_memo`]). So is the index of the project's plain
//! files (those no build holds): a scope's index is layered over it ([`Scopes`]).

use std::any::Any;
use std::collections::BTreeSet;
use std::marker::PhantomData;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use akslint_core::{
    AzureResource, BicepFile, Diagnostic, Evaluation, EvaluationNote, EvaluationNoteKind, Label,
    Location, ParamBinding, SharedSource,
};

use crate::facts::{Fact, FileFacts, Located};
use crate::memo::Memos;

/// What a project's templates evaluate to, and the files of the run: the part of a project's
/// index that is the same for each of its scopes.
#[derive(Default)]
pub struct Templates {
    /// The files of the run (findings in other files are moved onto the run, see
    /// [`ProjectIndex::onto_run`]), shared by the indexes of the project's groups of templates.
    pub run_files: Arc<BTreeSet<PathBuf>>,
    /// The Azure resources the project's templates evaluate to (for the rules that read facts,
    /// those of the types they read: see [`crate::Rule::template_types`]).
    pub resources: Vec<AzureResource>,
    /// The declarations of the project's Bicep and `.bicepparam` files, sorted by path.
    pub bicep_files: Vec<BicepFile>,
    /// The values given to template parameters, sorted by where they are written.
    pub bindings: Vec<ParamBinding>,
    /// Where the evaluation of a deployment reached its budget
    /// ([`akslint_core::EvaluationNoteKind::LimitReached`]).
    pub limits_reached: Vec<EvaluationNote>,
    /// Values derived from the templates alone, computed once, by type.
    memos: Memos,
}

/// Every fact of a project, with lookups the rules need. It dereferences to its
/// [`Templates`] (`index.resources`, `index.bicep_files`).
///
/// A scope's index (see [`Scopes`]) is layered: the index of the project's plain files, built
/// once and shared by every scope, and the facts of the scope's own builds; its facts are those
/// of both, in path order as if indexed together.
#[derive(Default)]
pub struct ProjectIndex {
    /// What the templates evaluate to, shared by the indexes of a project's scopes.
    templates: Arc<Templates>,
    /// For a scope's index, the index of the project's plain files.
    base: Option<Arc<ProjectIndex>>,
    /// Each file with its facts, sorted by path (for a scope's index, its builds').
    files: Vec<(SharedSource, Arc<FileFacts>)>,
    /// Values derived from the rest, computed once, by type.
    memos: Memos,
}

impl Deref for ProjectIndex {
    type Target = Templates;

    fn deref(&self) -> &Templates {
        &self.templates
    }
}

impl std::fmt::Debug for ProjectIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProjectIndex")
            .field("run_files", &self.run_files)
            .field("resources", &self.resources.len())
            .field("files", &self.files.len())
            .finish_non_exhaustive()
    }
}

impl ProjectIndex {
    /// The index of the files' facts.
    pub fn new(files: impl IntoIterator<Item = (SharedSource, Arc<FileFacts>)>) -> ProjectIndex {
        let mut files: Vec<(SharedSource, Arc<FileFacts>)> =
            files.into_iter().filter(|(_, f)| !f.is_empty()).collect();
        files.sort_by(|a, b| a.0.path().cmp(b.0.path()));
        ProjectIndex {
            files,
            ..ProjectIndex::default()
        }
    }

    /// The index with these templates (built once per project, shared by its scopes).
    pub fn with_templates(mut self, templates: Arc<Templates>) -> ProjectIndex {
        self.templates = templates;
        self
    }

    /// A value derived from the templates alone, computed by `compute` the first time a value
    /// of its type is asked for and shared afterwards by every index of the project's scopes.
    pub fn templates_memo<T: Any + Send + Sync>(
        &self,
        compute: impl FnOnce(&Templates) -> T,
    ) -> Arc<T> {
        self.templates.memos.get(|| compute(&self.templates))
    }

    /// Every fact of type `T`, with its file, by file path and then source order (of a scope's
    /// index, the plain files' and the builds' merged by path, a plain file first on a tie).
    pub fn facts<T: Fact>(&self) -> impl Iterator<Item = Located<'_, T>> {
        let base = self.base.iter().flat_map(|base| base.layer_facts::<T>());
        merge_by_path(base, self.layer_facts::<T>())
    }

    /// For a scope's index, the index of the project's plain files (its base layer).
    pub fn base(&self) -> Option<&ProjectIndex> {
        self.base.as_deref()
    }

    /// The facts of type `T` of this index's own files, without its base's: of a scope's index,
    /// those of the scope's builds.
    pub fn layer_facts<T: Fact>(&self) -> impl Iterator<Item = Located<'_, T>> {
        // The files that hold facts of the type, found once: a scope reads few of the plain
        // files' many.
        let holding = self.memo(|index| {
            FilesWith::<T>(
                (index.files.iter().enumerate())
                    .filter(|(_, (_, facts))| !facts.get::<T>().is_empty())
                    .map(|(at, _)| at)
                    .collect(),
                PhantomData,
            )
        });
        (0..holding.0.len()).flat_map(move |i| {
            let (file, facts) = &self.files[holding.0[i]];
            facts
                .get::<T>()
                .iter()
                .map(move |fact| Located { file, fact })
        })
    }

    /// A value derived from the index, computed by `compute` the first time a value of its type
    /// is asked for and shared afterwards (each derived value has a type of its own).
    pub fn memo<T: Any + Send + Sync>(&self, compute: impl FnOnce(&ProjectIndex) -> T) -> Arc<T> {
        self.memos.get(|| compute(self))
    }
}

/// The positions of an index's files that hold facts of type `T`.
struct FilesWith<T>(Vec<usize>, PhantomData<fn() -> T>);

/// Something that is in a file: runs of them in path order can be merged.
pub(crate) trait InFile {
    /// The file's path.
    fn path(&self) -> &Path;
}

impl<T> InFile for Located<'_, T> {
    fn path(&self) -> &Path {
        self.file.path()
    }
}

/// Two runs in path order merged into one, the first's first on a tie (as a stable sort of the
/// first run followed by the second would order them).
pub(crate) fn merge_by_path<T: InFile>(
    first: impl Iterator<Item = T>,
    second: impl Iterator<Item = T>,
) -> impl Iterator<Item = T> {
    let (mut first, mut second) = (first.peekable(), second.peekable());
    std::iter::from_fn(move || match (first.peek(), second.peek()) {
        (Some(a), Some(b)) if b.path() < a.path() => second.next(),
        (Some(_), _) => first.next(),
        (None, _) => second.next(),
    })
}

/// The indexes of a project's scopes (see [`crate::Rule::check_scopes`]): the index of the
/// project's plain files (the manifests no Kustomize build holds, Bicep, ARM), built once, and for
/// each scope, a group of builds whose objects do not collide, an index layered over it.
pub struct Scopes {
    /// The plain files' index.
    plain: Arc<ProjectIndex>,
    /// Each scope's index, in scope order.
    scopes: Vec<ProjectIndex>,
}

impl Scopes {
    /// The scopes of a project: its plain files' index and each scope's builds (at least one
    /// scope, which may hold no build).
    pub fn new(
        plain: ProjectIndex,
        builds: impl IntoIterator<Item = Vec<(SharedSource, Arc<FileFacts>)>>,
    ) -> Scopes {
        let plain = Arc::new(plain);
        let scopes = builds
            .into_iter()
            .map(|files| ProjectIndex {
                base: Some(plain.clone()),
                ..ProjectIndex::new(files).with_templates(plain.templates.clone())
            })
            .collect();
        Scopes { plain, scopes }
    }

    /// The index of the plain files alone.
    pub fn plain(&self) -> &ProjectIndex {
        &self.plain
    }

    /// Each scope's index (the plain files' and the scope's builds'), in scope order.
    pub fn indexes(&self) -> &[ProjectIndex] {
        &self.scopes
    }
}

impl Templates {
    /// Adds the Azure resources, sorted by file and position.
    pub fn with_resources(mut self, mut resources: Vec<AzureResource>) -> Templates {
        resources.sort_by(|a, b| {
            (a.file.path(), a.declaration_span, &a.via.len()).cmp(&(
                b.file.path(),
                b.declaration_span,
                &b.via.len(),
            ))
        });
        self.resources = resources;
        self
    }

    /// Adds what the template evaluation produced: the resources, the files' declarations and
    /// the parameter values, each sorted.
    pub fn with_evaluation(mut self, evaluation: Evaluation) -> Templates {
        let Evaluation {
            resources,
            mut files,
            mut bindings,
            notes,
        } = evaluation;
        self.limits_reached = notes
            .into_iter()
            .filter(|note| note.kind == EvaluationNoteKind::LimitReached)
            .collect();
        files.sort_by(|a, b| a.file.path().cmp(b.file.path()));
        let key = |b: &ParamBinding| {
            (
                b.argument.file.path().to_owned(),
                b.argument.span,
                b.name.clone(),
                b.value
                    .as_ref()
                    .map(|v| (v.written.file.path().to_owned(), v.written.span)),
            )
        };
        bindings.sort_by_cached_key(key);
        // A module called from a template that is evaluated twice gives each argument twice.
        bindings.dedup_by(|a, b| key(a) == key(b));
        self.bicep_files = files;
        self.bindings = bindings;
        self.with_resources(resources)
    }

    /// Templates of a run of these files, with nothing evaluated yet.
    pub fn of_run(run_files: Arc<BTreeSet<PathBuf>>) -> Templates {
        Templates {
            run_files,
            ..Templates::default()
        }
    }
}

impl Templates {
    /// The module call of the run that instantiated `resource`, when the resource is declared
    /// in a file outside the run (a module file read through the loader).
    pub fn call_in_run<'r>(&self, resource: &'r AzureResource) -> Option<&'r Location> {
        if self.run_files.is_empty() || self.run_files.contains(resource.file.path()) {
            return None;
        }
        resource
            .via
            .iter()
            .find(|call| self.run_files.contains(call.file.path()))
    }

    /// Where to point at a place in `resource`'s file from the run: the place itself, or the
    /// module call of the run that instantiated the resource when its file is outside the run.
    pub fn in_run(&self, resource: &AzureResource, place: Location) -> Location {
        match self.call_in_run(resource) {
            Some(call) if place.file.path() == resource.file.path() => call.clone(),
            _ => place,
        }
    }

    /// Moves a finding on a resource declared in a file outside the run (a module file read
    /// through the loader) onto the module call in the run that instantiated it, pointing into
    /// the module file with a label. Other findings are returned as they are.
    pub fn onto_run(&self, diagnostic: Diagnostic, resource: &AzureResource) -> Diagnostic {
        if self.run_files.contains(diagnostic.file.path()) {
            return diagnostic;
        }
        let Some(call) = self.call_in_run(resource) else {
            return diagnostic;
        };
        let original = diagnostic;
        let mut diagnostic = Diagnostic::new(
            original.rule,
            &call.file,
            call.span,
            format!(
                "in module {}: {}",
                original.file.path().display(),
                original.message
            ),
        );
        diagnostic.severity = original.severity;
        diagnostic.help = original.help;
        diagnostic.subject = original.subject;
        diagnostic.labels = original.labels;
        diagnostic.labels.insert(
            0,
            Label {
                file: original.file.clone(),
                span: original.span,
                message: "the setting in the module".to_owned(),
            },
        );
        diagnostic
    }
}
