//! The pipeline's stages, shared by the command line and the language server:
//!
//! 1. [`Engine::analyse`] (per file): read the file (size limit, encoding), parse it with the
//!    front end for its kind, run the rules that look at one file (`PARSE` rules on its parse
//!    problems, document and object rules on its documents), collect its cross-file facts and
//!    suppressions, and write the fixes its rules planned while its syntax is at hand;
//! 2. [`Engine::evaluate_project`] (per project): evaluate the project's templates with the front
//!    ends, index the facts of every file, run the resource and project rules;
//! 3. [`Engine::finish`] (per file): write the fixes of the cross-file findings, then the one
//!    gate: configuration and suppressions, by diagnostic code; then the `SUP` rules on what the
//!    suppressions did.
//!
//! [`crate::run`] drives the stages over a run's files; the language server drives them for its
//! workspace, so for the same files both report the same findings.

use std::any::Any;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, Weak};

use akslint_core::{
    AzureResource, Diagnostic, DiskLoader, Document, Edit, EvaluationNoteKind, Fix, FixPlan,
    FrontEnd, K8sObject, Label, NotText, ParseProblem, ParseProblemKind, ParsedFile, Placement,
    ProjectSource, RenderedFile, SharedSource, SourceFile, SourceKind, SourceLoader, Span, Subject,
};
use akslint_kustomize::kustomization::normalize;
use akslint_rules::facts::FactKind;
use akslint_rules::memo::Memos;
use akslint_rules::rules::HardcodedSecretInOtherYaml;
use akslint_rules::suppression::{IGNORE_ANNOTATION, Suppression};
use akslint_rules::{
    DocumentContext, FileFacts, FixWriter, ParseContext, ProjectIndex, ResourceContext, Rule,
    Scopes, SuppressionContext, Suppressions, Templates, registry,
};
use rayon::prelude::*;

use crate::chart_paths::from_current_folder;
use crate::config::{Config, RuleState};
use crate::read::{self, ReadError};
use crate::timing::Stages;

/// How serious a notice is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NoticeLevel {
    /// For information (an empty file).
    Note,
    /// Something was skipped that the user may want to know about (a symlink loop).
    Warning,
    /// The run is incomplete: a file could not be read, or akslint failed internally.
    Error,
}

/// A message about the run rather than a finding in a file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Notice {
    /// The file or folder it concerns.
    pub path: PathBuf,
    /// How serious it is.
    pub level: NoticeLevel,
    /// What happened.
    pub message: String,
}

/// What a file holds, as the caller has it.
pub enum Content {
    /// Read it from disk at this location (after checking its size against the limit).
    Disk(PathBuf),
    /// These bytes (standard input, an editor's buffer, a fix not yet written).
    Bytes(Vec<u8>),
    /// A stream left unread past the size limit (standard input): too large, of unknown size.
    TooLarge,
}

/// What the per-file stage produced for one file: everything later stages need from it, and
/// nothing of its document trees.
#[derive(Debug)]
pub struct FileAnalysis {
    /// The file.
    pub file: SharedSource,
    /// The configuration that applies to it.
    pub config: Arc<Config>,
    /// Findings of the rules that look at one file (before configuration and suppressions).
    pub diagnostics: Vec<Diagnostic>,
    /// Its cross-file facts.
    pub facts: Arc<FileFacts>,
    /// Its suppressions (comments, pragmas, object annotations).
    pub suppressions: Suppressions,
    /// The front end's parse of it, when the front end kept its syntax tree for the project's
    /// evaluation and for writing fixes later.
    pub parsed: Option<Arc<ParsedFile>>,
    /// Spans of documents rendered from a Helm template, with the template's name.
    pub helm_templates: Vec<(Span, String)>,
    /// For a Helm chart's template: what it rendered to. The rules ran on the rendered text;
    /// [`Engine::finish`] places their findings in the template and values files.
    pub rendered: Option<Arc<RenderedFile>>,
    /// Notices (an empty file, an internal error).
    pub notices: Vec<Notice>,
    /// For a Kustomize build, the identities of the objects it built.
    pub build_objects: Option<Arc<BTreeSet<ObjectKey>>>,
}

impl FileAnalysis {
    fn empty(file: SharedSource, config: Arc<Config>) -> FileAnalysis {
        FileAnalysis {
            file,
            config,
            diagnostics: Vec::new(),
            facts: Arc::new(FileFacts::default()),
            suppressions: Suppressions::default(),
            parsed: None,
            helm_templates: Vec::new(),
            rendered: None,
            notices: Vec::new(),
            build_objects: None,
        }
    }

    /// What the project stage needs of this file.
    pub fn project_file(&self) -> ProjectFile {
        ProjectFile {
            file: self.facts_file(),
            facts: self.facts.clone(),
            parsed: self.parsed.clone(),
            arm_template: self.arm_template(),
            build_objects: self.build_objects.clone(),
        }
    }

    /// The file the facts' spans are in: the rendered text of a chart template (the project
    /// stage's findings in it are placed in the template by [`Engine::finish`]), else the file.
    fn facts_file(&self) -> SharedSource {
        self.rendered
            .as_ref()
            .map_or_else(|| self.file.clone(), |rendered| rendered.file.clone())
    }

    /// For an ARM JSON file, the template its configuration names for it (`arm-parameters`).
    fn arm_template(&self) -> Option<PathBuf> {
        (self.file.kind() == SourceKind::ArmTemplate)
            .then(|| self.config.arm_template_for(self.file.path()))
            .flatten()
    }

    /// What the project stage needs of this file, its kept parse moved out of the analysis: the
    /// project stage frees it once the file's evaluation is done (a fix written later parses
    /// the file again, see [`Engine::write_fixes`]).
    pub fn take_project_file(&mut self) -> ProjectFile {
        ProjectFile {
            file: self.facts_file(),
            facts: self.facts.clone(),
            parsed: self.parsed.take(),
            arm_template: self.arm_template(),
            build_objects: self.build_objects.clone(),
        }
    }

    /// Gives back the file's text once the per-file stage is done with it, when the file can
    /// read it again from disk ([`SourceFile::released`]): the analysis and its findings then
    /// hold the released file, and its kept parse only what `front_end` keeps for the project
    /// stage ([`FrontEnd::syntax_for_project`]). `akslint check` runs call it
    /// ([`crate::run`]); the language server keeps its texts.
    pub(crate) fn release_text(&mut self, front_end: Option<&dyn FrontEnd>) {
        let Some(released) = self.file.released() else {
            return;
        };
        let released = Arc::new(released);
        let old = std::mem::replace(&mut self.file, released.clone());
        let swap = |file: &mut SharedSource| {
            if Arc::ptr_eq(file, &old) {
                *file = released.clone();
            }
        };
        for diagnostic in &mut self.diagnostics {
            swap(&mut diagnostic.file);
            for label in &mut diagnostic.labels {
                swap(&mut label.file);
            }
        }
        if let (Some(parsed), Some(front_end)) = (&self.parsed, front_end) {
            self.parsed = Some(Arc::new(ParsedFile {
                syntax: parsed
                    .syntax
                    .clone()
                    .map(|syntax| front_end.syntax_for_project(syntax)),
                ..ParsedFile::default()
            }));
        }
    }

    /// The Helm template a span of this file was rendered from.
    fn helm_template_at(&self, span: Span) -> Option<&str> {
        self.helm_templates
            .iter()
            .find(|(document, _)| document.contains_offset(span.start as usize))
            .map(|(_, template)| template.as_str())
    }
}

/// A file as the project stage sees it: its text, facts and kept parse.
#[derive(Clone, Debug)]
pub struct ProjectFile {
    /// The file.
    pub file: SharedSource,
    /// Its cross-file facts.
    pub facts: Arc<FileFacts>,
    /// The front end's parse, when kept (see [`FileAnalysis::parsed`]).
    pub parsed: Option<Arc<ParsedFile>>,
    /// For an ARM JSON parameter file, the template its configuration names for it.
    pub arm_template: Option<PathBuf>,
    /// For the output of a Kustomize build, its objects' identities (kind, namespace, name):
    /// its objects meet the project's other files, and those of other builds only when no
    /// identity collides.
    pub build_objects: Option<Arc<BTreeSet<ObjectKey>>>,
}

/// An object's identity: kind, namespace (empty when not set) and name.
pub type ObjectKey = (String, String, String);

/// The builds of a project grouped into scopes whose objects do not collide (greedily, in
/// order): a base and overlays that rename or move its objects share one scope.
fn scopes_of(builds: &[ProjectFile]) -> Vec<Vec<&ProjectFile>> {
    let mut scopes: Vec<(BTreeSet<&ObjectKey>, Vec<&ProjectFile>)> = Vec::new();
    for build in builds {
        let objects = build.build_objects.as_deref().into_iter().flatten();
        let free = scopes
            .iter_mut()
            .find(|(taken, _)| objects.clone().all(|key| !taken.contains(key)));
        match free {
            Some((taken, members)) => {
                taken.extend(objects);
                members.push(build);
            }
            None => scopes.push((objects.collect(), vec![build])),
        }
    }
    scopes.into_iter().map(|(_, members)| members).collect()
}

/// What the checks of a project's groups of templates (or of one) found, and kept for its scopes.
#[derive(Default)]
struct CheckedTemplates {
    /// The findings of the rules run once per project, group after group.
    found: ByTurn,
    /// The resources the rules that run per scope read (see [`Rule::template_types`]).
    kept: Vec<AzureResource>,
    /// Notes on what the evaluation did not follow, and the rules' internal errors.
    notices: Vec<Notice>,
}

/// How each group of a project's templates is checked.
struct GroupCheck<'a> {
    /// The files of the run.
    run_files: &'a Arc<BTreeSet<PathBuf>>,
    /// The rules whose resource checks run.
    resource_rules: &'a [RuleAt],
    /// The project rules that run (those that read no facts).
    project_rules: &'a [RuleAt],
    /// The types of the resources that outlive the group's check (see
    /// [`Rule::template_types`]).
    kept_types: BTreeSet<&'a str>,
}

/// A rule with its place in the engine's list of rules.
type RuleAt = (usize, &'static dyn Rule);

/// Findings of the project stage, each group with its [`Turn`].
type ByTurn = Vec<(Turn, Vec<Diagnostic>)>;

/// When a rule's findings come in the project stage of one scope: the resource rules' first, by
/// resource (in the index's order) and then by rule, then the project rules', by rule. The
/// findings of the rules that run once per project are put in their turns among the first
/// scope's, so the order is that of one run of every rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Turn {
    /// A resource rule's findings on one resource.
    Resource {
        /// The group of templates whose model holds the resource (the front end's place in the
        /// engine's list, the group's among its groups).
        group: (usize, usize),
        /// The resource's place in its group's index.
        resource: usize,
        /// The rule's place in the engine's list.
        rule: usize,
    },
    /// A project rule's findings.
    Project {
        /// The rule's place in the engine's list.
        rule: usize,
    },
}

/// What the project stage produced: the cross-file findings, by the file they are in, and
/// notices.
#[derive(Debug, Default)]
pub struct ProjectFindings {
    /// Findings by file path.
    pub by_file: HashMap<PathBuf, Vec<Diagnostic>>,
    /// Notes of the evaluation, internal errors.
    pub notices: Vec<Notice>,
}

impl ProjectFindings {
    /// Takes the findings in one file.
    pub fn take(&mut self, path: &Path) -> Vec<Diagnostic> {
        self.by_file.remove(path).unwrap_or_default()
    }

    /// The secrets of the findings not taken: those of files outside the run.
    pub fn secrets_left(&self) -> impl Iterator<Item = (&PathBuf, Span)> {
        self.by_file.iter().flat_map(|(path, findings)| {
            findings
                .iter()
                .flat_map(move |d| d.sensitive.iter().map(move |span| (path, *span)))
        })
    }
}

/// The findings of a file, final.
#[derive(Debug)]
pub struct FileReport {
    /// The file.
    pub file: SharedSource,
    /// Its findings, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Every span of the file that holds a secret, suppressed findings' included, so that no
    /// output that shows the file's text shows one.
    pub sensitive: Vec<Span>,
    /// Spans of other files that hold secrets of its findings (the values file of a Helm
    /// template's finding), by path.
    pub sensitive_elsewhere: Vec<(PathBuf, Span)>,
    /// Its suppressions, each code marked with whether it silenced a finding.
    pub suppressions: Suppressions,
    /// Internal errors of the last stage.
    pub notices: Vec<Notice>,
}

/// The result of a run: every file's findings, sorted by path, and the run's notices.
#[derive(Debug, Default)]
pub struct Report {
    /// One entry per file linted, sorted by path.
    pub files: Vec<FileReport>,
    /// Notices, sorted.
    pub notices: Vec<Notice>,
    /// The secrets of files outside the run that the projects read (a template's modules and
    /// parameter files): findings point into them, and no output may show their secrets.
    pub outside_secrets: BTreeMap<PathBuf, Vec<Span>>,
}

impl Report {
    /// The spans of secrets of the run's files and of the files outside it, by path, sorted.
    pub fn secrets_by_path(&self) -> BTreeMap<&Path, Vec<Span>> {
        let mut by_path: BTreeMap<&Path, Vec<Span>> = self
            .outside_secrets
            .iter()
            .map(|(path, spans)| (path.as_path(), spans.clone()))
            .collect();
        for file in &self.files {
            by_path
                .entry(file.file.path())
                .or_default()
                .extend(file.sensitive.iter().copied());
            for (path, span) in &file.sensitive_elsewhere {
                by_path.entry(path.as_path()).or_default().push(*span);
            }
        }
        for spans in by_path.values_mut() {
            spans.sort_unstable();
            spans.dedup();
        }
        by_path
    }

    /// Every finding, in output order.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.files.iter().flat_map(|f| f.diagnostics.iter())
    }
}

/// Most rendered chart templates the engine keeps for placing related places.
const MAX_RENDERED_FILES_KEPT: usize = 20_000;

/// A run over files that do not change while it lasts, from [`Engine::start_run`]; it ends
/// when dropped (the last of overlapping runs frees what they read).
pub struct Run<'a> {
    _helm: akslint_helm::UnchangingFiles<'a>,
    kustomize_files: Option<Arc<akslint_kustomize::FileCache>>,
}

impl Run<'_> {
    /// Says the run's Kustomize builds are done: the files they read are freed once no other
    /// run under way holds them (a build after this reads its files anew).
    pub fn end_builds(&mut self) {
        self.kustomize_files = None;
    }
}

/// The engine: the front ends and the rules.
pub struct Engine {
    front_ends: Vec<Box<dyn FrontEnd>>,
    /// Renders Helm charts' template files, which are YAML files in name only.
    helm: akslint_helm::HelmFrontEnd,
    /// The files the Kustomize builds of the runs under way read, while one is (see
    /// [`Engine::start_run`]); outside runs builds read every file anew.
    kustomize_files: Mutex<Weak<akslint_kustomize::FileCache>>,
    /// The rendered texts of the chart templates analysed, by the address of their file, so
    /// that a related place in one (from another file's finding) is placed in its template.
    rendered_files: std::sync::Mutex<HashMap<usize, Arc<RenderedFile>>>,
    loader: Box<dyn SourceLoader>,
    /// The texts that replace files on disk in the latest run ([`Engine::set_run_texts`]), by
    /// where they are on disk: a chart's `values.yaml` that `--fix` changed is rendered so.
    run_texts: std::sync::RwLock<Arc<HashMap<PathBuf, String>>>,
    rules: &'static [&'static dyn Rule],
    facts: Vec<FactKind>,
}

impl Default for Engine {
    fn default() -> Engine {
        Engine::new()
    }
}

impl Engine {
    /// An engine with every front end of this build (YAML, Bicep) and every rule; files that
    /// templates refer to outside the run are read from disk.
    pub fn new() -> Engine {
        Engine::with_front_ends(vec![
            Box::new(akslint_yaml::YamlFrontEnd),
            Box::new(akslint_bicep::BicepFrontEnd),
        ])
    }

    /// An engine with these front ends and every rule.
    pub fn with_front_ends(front_ends: Vec<Box<dyn FrontEnd>>) -> Engine {
        let rules = registry::all();
        let mut facts: Vec<FactKind> = Vec::new();
        for kind in rules.iter().flat_map(|rule| rule.facts()) {
            if !facts.iter().any(|k| k.same_as(kind)) {
                facts.push(*kind);
            }
        }
        facts.sort_by_key(|k| k.name());
        Engine {
            front_ends,
            helm: akslint_helm::HelmFrontEnd::new(),
            kustomize_files: Mutex::default(),
            rendered_files: std::sync::Mutex::default(),
            loader: Box::new(DiskLoader::default()),
            run_texts: std::sync::RwLock::default(),
            rules,
            facts,
        }
    }

    /// Replaces how files outside the run (module files) are read; by default from disk.
    pub fn with_loader(mut self, loader: impl SourceLoader + 'static) -> Engine {
        self.loader = Box::new(loader);
        self
    }

    /// The front end that reads this kind of file.
    pub fn front_end(&self, kind: SourceKind) -> Option<&dyn FrontEnd> {
        self.front_ends
            .iter()
            .find(|f| f.kinds().contains(&kind))
            .map(|f| f.as_ref())
    }

    /// Starts a run over files that do not change while it lasts (see
    /// [`akslint_helm::HelmFrontEnd::start_run`]): each Helm chart's files are checked once in
    /// it, not for every template, and the files Kustomize builds read are read and parsed once
    /// for all the run's builds (a base for all its overlays). The run ends when the value
    /// returned is dropped.
    pub fn start_run(&self) -> Run<'_> {
        let mut current = self
            .kustomize_files
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let kustomize_files = current.upgrade().unwrap_or_else(|| {
            let files = Arc::default();
            *current = Arc::downgrade(&files);
            files
        });
        Run {
            _helm: self.helm.start_run(),
            kustomize_files: Some(kustomize_files),
        }
    }

    /// Sets the texts that replace files on disk for the runs that follow (paths as the run
    /// names them): front ends that read a folder around a file (a Helm chart's `values.yaml`)
    /// read them so, as they read an editor's texts. `akslint_engine::run` sets its overlay.
    pub fn set_run_texts(&self, texts: &BTreeMap<PathBuf, String>) {
        let by_place = texts
            .iter()
            .filter_map(|(path, text)| {
                let on_disk = self.loader.on_disk(path)?;
                Some((place_key(&on_disk), text.clone()))
            })
            .collect();
        if let Ok(mut run_texts) = self.run_texts.write() {
            *run_texts = Arc::new(by_place);
        }
    }

    /// The loader front ends that read folders use: the engine's, with the run's texts.
    fn folder_loader(&self) -> RunTexts<'_> {
        RunTexts {
            loader: self.loader.as_ref(),
            texts: self
                .run_texts
                .read()
                .map(|texts| texts.clone())
                .unwrap_or_default(),
        }
    }

    /// Whether a front end reads this kind of file.
    pub fn supports(&self, kind: SourceKind) -> bool {
        self.front_end(kind).is_some()
    }

    /// The per-file stage: reads the file reported as `path` (from `content`), parses it and
    /// runs the rules that look at one file. Reading problems (too large, not text) are `PARSE`
    /// findings; a file that cannot be read at all is an error notice.
    pub fn analyse(
        &self,
        path: &Path,
        kind: SourceKind,
        content: Content,
        config: Arc<Config>,
    ) -> FileAnalysis {
        self.read(path, kind, content, config, Depth::Rules)
    }

    /// What the project stage needs of a file whose own findings nobody will show (a file of an
    /// editor's workspace that is not open): [`Engine::analyse`] without the rules, so the
    /// analysis has the file's facts and no findings.
    pub fn collect_facts(
        &self,
        path: &Path,
        kind: SourceKind,
        content: Content,
        config: Arc<Config>,
    ) -> FileAnalysis {
        self.read(path, kind, content, config, Depth::Facts)
    }

    /// What [`Engine::finish`] needs of a file that the run does not lint on its own because a
    /// kustomization of the run builds it (a base's resource, a patch): its text and
    /// suppressions, to place the build's findings in it; no findings, no facts.
    pub fn analyse_for_placement(
        &self,
        path: &Path,
        kind: SourceKind,
        content: Content,
        config: Arc<Config>,
    ) -> FileAnalysis {
        let mut analysis = self.read(path, kind, content, config, Depth::Suppressions);
        // Reading problems are the kustomization's to report, through its build.
        analysis.diagnostics.clear();
        analysis
    }

    fn read(
        &self,
        path: &Path,
        kind: SourceKind,
        content: Content,
        config: Arc<Config>,
        depth: Depth,
    ) -> FileAnalysis {
        let limit = config.limits.max_file_size;
        let disk = match &content {
            Content::Disk(location) => Some(location.clone()),
            _ => None,
        };
        let read = match content {
            Content::Bytes(bytes) if bytes.len() as u64 > limit => Err(ReadError::TooLarge {
                size: Some(bytes.len() as u64),
                limit,
            }),
            Content::TooLarge => Err(ReadError::TooLarge { size: None, limit }),
            Content::Bytes(bytes) => Ok(bytes),
            Content::Disk(location) => read::read_file(&location, limit),
        };
        let bytes = match read {
            Ok(bytes) => bytes,
            Err(err @ ReadError::TooLarge { .. }) => {
                let message = format!(
                    "the file was not read: {err} (raise `limits.max-file-size` in akslint.yaml to lint it)"
                );
                let problem =
                    ParseProblem::new(ParseProblemKind::TooLarge, Span::empty(0), message);
                let file = Arc::new(SourceFile::new(path, kind, String::new()));
                return self.unparsed(file, config, problem);
            }
            Err(err) => {
                let file = Arc::new(SourceFile::new(path, kind, String::new()));
                let mut analysis = FileAnalysis::empty(file, config);
                analysis.notices.push(Notice {
                    path: path.to_owned(),
                    level: NoticeLevel::Error,
                    message: format!("cannot read the file: {err}"),
                });
                return analysis;
            }
        };
        match SourceFile::decode(bytes) {
            Ok(text) => {
                let file = SourceFile::new(path, kind, text);
                let file = match disk {
                    Some(location) => file.on_disk(location),
                    None => file,
                };
                self.parse(Arc::new(file), config, depth)
            }
            Err((reason, bytes)) => {
                let (text, span, message) = not_text(reason, &bytes);
                let file = Arc::new(SourceFile::new(path, kind, text));
                let problem = ParseProblem::new(ParseProblemKind::NotText, span, message);
                self.unparsed(file, config, problem)
            }
        }
    }

    /// The analysis of a file that was not parsed, with the problem that stopped it.
    fn unparsed(
        &self,
        file: SharedSource,
        config: Arc<Config>,
        problem: ParseProblem,
    ) -> FileAnalysis {
        let mut analysis = FileAnalysis::empty(file.clone(), config);
        analysis.diagnostics = self.parse_findings(&file, &[problem], &mut analysis.notices);
        analysis
    }

    /// The findings of the `PARSE` rules for a file's problems.
    fn parse_findings(
        &self,
        file: &SharedSource,
        problems: &[ParseProblem],
        notices: &mut Vec<Notice>,
    ) -> Vec<Diagnostic> {
        let cx = ParseContext { file, problems };
        let mut found = Vec::new();
        for rule in self.rules {
            run_rule(*rule, file.path(), notices, &mut found, |out| {
                rule.check_parse(&cx, out)
            });
        }
        found
    }

    /// Parses a file and, to `depth`, runs the rules that look at one file.
    fn parse(&self, file: SharedSource, config: Arc<Config>, depth: Depth) -> FileAnalysis {
        let mut analysis = FileAnalysis::empty(file.clone(), config.clone());
        let Some(front_end) = self.front_end(file.kind()) else {
            analysis.notices.push(Notice {
                path: file.path().to_owned(),
                level: NoticeLevel::Warning,
                message: format!(
                    "no front end for {:?} files in this build; skipped",
                    file.kind()
                ),
            });
            return analysis;
        };
        if file.text().trim().is_empty() {
            analysis.notices.push(Notice {
                path: file.path().to_owned(),
                level: NoticeLevel::Note,
                message: "the file is empty; nothing to lint".to_owned(),
            });
            return analysis;
        }
        let on_disk = self.loader.on_disk(file.path()).map(from_current_folder);
        let chart_template = on_disk.as_deref().filter(|path| {
            file.kind() == SourceKind::Yaml && akslint_helm::is_chart_template(path, file.text())
        });
        let kustomization = file.kind() == SourceKind::Yaml
            && akslint_kustomize::is_kustomization_file(file.path());
        // A chart's `values.yaml` (or a values set's file) is YAML, and where its values break
        // a `values.schema.json`: with the path, its chart.
        let chart_values = on_disk
            .as_deref()
            .filter(|_| file.kind() == SourceKind::Yaml && chart_template.is_none())
            .and_then(|path| {
                akslint_helm::chart_of_values(path)
                    .or_else(|| config.chart_of_set_file(path))
                    .map(|chart| (path, chart))
            });
        let folder_loader = self.folder_loader();
        let kustomize_files = kustomization
            .then(|| {
                self.kustomize_files
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .upgrade()
            })
            .flatten();
        let parsed = match catch_unwind(AssertUnwindSafe(|| {
            if let Some(on_disk) = chart_template {
                let sets = akslint_helm::chart_of(on_disk)
                    .map(|chart| config.values_sets(&chart))
                    .unwrap_or_default();
                self.helm
                    .parse_template(&file, on_disk, &config.limits, &sets, &folder_loader)
            } else if kustomization {
                akslint_kustomize::front_end::build_file(
                    &file,
                    self.loader.as_ref(),
                    &config.limits,
                    kustomize_files.as_deref(),
                )
            } else {
                front_end.parse(&file, &config.limits)
            }
        })) {
            Ok(parsed) => parsed,
            Err(panic) => {
                analysis
                    .notices
                    .push(internal_error(file.path(), "the parser", panic));
                return analysis;
            }
        };
        // A chart's template is linted through what it rendered to: the rules see the rendered
        // text as the file, and `finish` places their findings back.
        let template = file;
        let file = match &parsed.rendered {
            Some(rendered) => rendered.file.clone(),
            None => template.clone(),
        };
        analysis.rendered = parsed.rendered.clone();
        if let Some(rendered) = &parsed.rendered {
            analysis
                .notices
                .extend(rendered.notes.iter().map(|message| Notice {
                    path: template.path().to_owned(),
                    level: NoticeLevel::Note,
                    message: message.clone(),
                }));
        }
        if let Some(rendered) = &parsed.rendered
            && rendered.placement == Placement::InTemplate
            && let Ok(mut known) = self.rendered_files.lock()
        {
            if known.len() >= MAX_RENDERED_FILES_KEPT {
                known.clear();
            }
            known.insert(Arc::as_ptr(&rendered.file) as usize, rendered.clone());
        }
        let mut notices = Vec::new();
        if depth == Depth::Rules {
            analysis.diagnostics = self.parse_findings(&file, &parsed.problems, &mut notices);
            if let Some(rendered) = &parsed.rendered {
                // Problems of the build, in the kustomization's own text.
                let in_template = self.parse_findings(&template, &rendered.problems, &mut notices);
                analysis.diagnostics.extend(in_template);
            }
            if let Some((on_disk, chart)) = &chart_values {
                let sets = config.values_sets(chart);
                let problems = match catch_unwind(AssertUnwindSafe(|| {
                    self.helm
                        .values_problems(&file, on_disk, chart, &sets, &folder_loader)
                })) {
                    Ok(problems) => problems,
                    Err(panic) => {
                        let notice = internal_error(file.path(), "the Helm schema check", panic);
                        analysis.notices.push(notice);
                        Vec::new()
                    }
                };
                let violations = self.parse_findings(&file, &problems, &mut notices);
                analysis.diagnostics.extend(violations);
            }
        }
        analysis.suppressions = Suppressions::from_comments(&file, &parsed.comments);
        let documents: Vec<Span> = parsed.documents.iter().map(|d| d.span).collect();
        let problems: Vec<Span> = parsed.problems.iter().map(|p| p.span).collect();
        analysis
            .suppressions
            .set_unparsed(&documents, &problems, file.text().len());
        analysis
            .suppressions
            .items
            .extend(parsed.pragmas.iter().map(Suppression::from_pragma));
        // A Kustomize build's text gets no fixes (an edit of the output is no edit of its
        // files); a chart template's are written on its rendered text, and placement writes
        // them back in the chart where they land in one literal (`akslint_helm::fix`).
        let writer = |plan: &FixPlan| {
            if parsed
                .rendered
                .as_ref()
                .is_some_and(|r| r.placement == Placement::AtSource)
            {
                return None;
            }
            catch_unwind(AssertUnwindSafe(|| {
                front_end.render_fix(&file, Some(&parsed), plan)
            }))
            .ok()
            .flatten()
        };
        if parsed
            .rendered
            .as_ref()
            .is_some_and(|r| r.placement == Placement::AtSource)
        {
            let objects = parsed
                .documents
                .iter()
                .flat_map(akslint_core::objects)
                .map(|object| {
                    (
                        object.kind,
                        object.namespace.unwrap_or_default(),
                        object.name.unwrap_or_default(),
                    )
                })
                .collect();
            analysis.build_objects = Some(Arc::new(objects));
        }
        let mut facts = FileFacts::default();
        for document in &parsed.documents {
            self.analyse_document(&file, document, &writer, depth, &mut analysis, &mut facts);
        }
        let mut diagnostics = std::mem::take(&mut analysis.diagnostics);
        for diagnostic in &mut diagnostics {
            write_planned_fix(diagnostic, &writer);
            diagnostic.helm_template = analysis
                .helm_template_at(diagnostic.span)
                .map(str::to_owned);
        }
        analysis.diagnostics = diagnostics;
        analysis.facts = Arc::new(facts);
        analysis.notices.extend(notices);
        if parsed.syntax.is_some() {
            analysis.parsed = Some(Arc::new(parsed));
        }
        analysis
    }

    fn analyse_document(
        &self,
        file: &SharedSource,
        document: &Document,
        writer: &dyn FixWriter,
        depth: Depth,
        analysis: &mut FileAnalysis,
        facts: &mut FileFacts,
    ) {
        let tree = &document.tree;
        let objects = akslint_core::objects(document);
        if let Some(helm) = &document.helm_source {
            analysis
                .helm_templates
                .push((document.span, helm.template.clone()));
        }
        for object in &objects {
            if let Some(annotations) = object.annotations
                && let Some(value) = tree.get(annotations, IGNORE_ANNOTATION)
                && let Some(text) = tree.str(value)
            {
                analysis.suppressions.add_annotation(
                    text,
                    tree.span(value),
                    tree.span(object.node),
                    file.text(),
                );
            }
        }
        let memos = Memos::default();
        let cx = DocumentContext {
            file,
            document,
            objects: &objects,
            fixes: writer,
            memos: &memos,
        };
        let mut found = Vec::new();
        // A rule that is off for this file would only report findings the gate drops (a rule
        // reports its own code only): it is not run.
        let rules = match depth {
            Depth::Rules => self.rules,
            Depth::Facts | Depth::Suppressions => &[],
        };
        let config = analysis.config.clone();
        for rule in rules.iter().filter(|rule| config.is_enabled(rule.meta())) {
            run_rule(
                *rule,
                file.path(),
                &mut analysis.notices,
                &mut found,
                |out| {
                    rule.check_document(&cx, out);
                    for object in &objects {
                        rule.check_object(&cx.object(object), out);
                    }
                },
            );
        }
        analysis
            .diagnostics
            .extend(found.into_iter().map(|mut diagnostic| {
                if diagnostic.subject.is_none() {
                    diagnostic.subject = Some(subject_of(document, &objects, diagnostic.span));
                }
                diagnostic
            }));
        if depth == Depth::Suppressions {
            return;
        }
        for object in &objects {
            let cx = cx.object(object);
            for kind in &self.facts {
                if let Err(panic) = catch_unwind(AssertUnwindSafe(|| kind.collect(&cx, facts))) {
                    analysis.notices.push(internal_error(
                        file.path(),
                        &format!("the collection of {}", kind.name()),
                        panic,
                    ));
                }
            }
        }
    }

    /// The project stage: evaluates the project's templates, indexes every file's facts and runs
    /// the resource and project rules. `files` are every file of one project (see
    /// [`crate::project`]); findings land in them. The syntax trees they hold go to the front
    /// ends' evaluations, which drop them when done.
    pub fn evaluate_project(&self, mut files: Vec<ProjectFile>) -> ProjectFindings {
        let mut stages = Stages::start();
        let mut result = ProjectFindings::default();
        let run_files: Arc<BTreeSet<PathBuf>> =
            Arc::new(files.iter().map(|f| f.file.path().to_owned()).collect());
        // The resource rules, and the project rules that read no facts, see only the templates,
        // which are the same in every scope: they run once per project, group of templates by
        // group, as each group is evaluated. The project rules that read facts run for each
        // scope, over the resources of the types they read, which are all that is kept of the
        // groups' models.
        let all: Vec<RuleAt> = self.rules.iter().copied().enumerate().collect();
        let (once, per_scope): (Vec<RuleAt>, Vec<RuleAt>) =
            all.iter().partition(|(_, rule)| rule.facts().is_empty());
        let how = GroupCheck {
            run_files: &run_files,
            resource_rules: &all,
            project_rules: &once,
            kept_types: (per_scope.iter())
                .flat_map(|(_, rule)| rule.template_types().iter().copied())
                .collect(),
        };
        let checked = self.check_template_groups(&mut files, &how);
        result.notices.extend(checked.notices);
        let mut shared = Some(checked.found);
        let templates = Arc::new(Templates::of_run(run_files).with_resources(checked.kept));
        stages.lap("project stage: templates evaluated and checked, group by group");
        // The objects of a Kustomize build meet the project's other files, never the objects of
        // another build that go by the same names (a base built alone and by its overlays holds
        // the same objects twice): builds whose objects collide are evaluated in scopes apart.
        let (builds, mut plain): (Vec<ProjectFile>, Vec<ProjectFile>) =
            files.into_iter().partition(|f| f.build_objects.is_some());
        let scopes = scopes_of(&builds);
        let scopes: Vec<&[&ProjectFile]> = scopes
            .iter()
            .map(Vec::as_slice)
            // No build: the plain files alone.
            .chain(scopes.is_empty().then_some(&[][..]))
            .collect();
        // The plain files' index is built once, and each scope's layered over it with its
        // builds'. Files without facts are left out of the indexes, and the rest put in path
        // order once (each index sorts its files again, a run already in order).
        plain.retain(|f| !f.facts.is_empty());
        plain.sort_by(|a, b| a.file.path().cmp(b.file.path()));
        let facts = |f: &ProjectFile| (f.file.clone(), f.facts.clone());
        let plain = ProjectIndex::new(plain.iter().map(facts)).with_templates(templates.clone());
        let scopes = Scopes::new(
            plain,
            (scopes.iter()).map(|scope| scope.iter().map(|&f| facts(f)).collect()),
        );
        stages.lap("project stage: indexes of the scopes");
        // Each rule that reads facts gives its findings in every scope at once (see
        // `Rule::check_scopes`); the rules run in parallel.
        let mut by_rule: Vec<(Vec<Vec<Diagnostic>>, Vec<Notice>)> = per_scope
            .par_iter()
            .map(|&(_, rule)| {
                let mut notices = Vec::new();
                let by_scope = run_rule_by_scope(rule, &scopes, &mut notices);
                (by_scope, notices)
            })
            .collect();
        for (_, notices) in &mut by_rule {
            result.notices.append(notices);
        }
        // The findings are taken in scope order, and of equal findings the first kept.
        let mut found = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for at in 0..scopes.indexes().len() {
            let mut in_scope: ByTurn = (per_scope.iter().zip(&mut by_rule))
                .filter_map(|(&(rule, _), (by_scope, _))| {
                    let of_rule = std::mem::take(by_scope.get_mut(at)?);
                    (!of_rule.is_empty()).then_some((Turn::Project { rule }, of_rule))
                })
                .collect();
            // The rules run once come with the first scope, in the order of one run of every
            // rule.
            if let Some(mut shared) = shared.take() {
                in_scope.append(&mut shared);
                in_scope.sort_by_key(|(turn, _)| *turn);
            }
            for diagnostic in in_scope.into_iter().flat_map(|(_, found)| found) {
                let key = (
                    diagnostic.rule.code,
                    diagnostic.file.path().to_owned(),
                    diagnostic.span,
                    diagnostic.message.clone(),
                );
                if seen.insert(key) {
                    found.push(diagnostic);
                }
            }
        }
        result.notices.sort();
        result.notices.dedup();
        for diagnostic in found {
            result
                .by_file
                .entry(diagnostic.file.path().to_owned())
                .or_default()
                .push(diagnostic);
        }
        stages.lap(&format!(
            "project stage: rules over {} scopes",
            scopes.indexes().len()
        ));
        result
    }

    /// Evaluates the templates of a project's files with the front ends (each file's kept
    /// syntax tree moves to its front end's evaluation), one independent group of files at a
    /// time, and runs `resource_rules` and `project_rules` over each group's model as it comes;
    /// of each model, only the resources that `kept` selects outlive its check.
    fn check_template_groups(
        &self,
        files: &mut [ProjectFile],
        how: &GroupCheck<'_>,
    ) -> CheckedTemplates {
        let mut checked = CheckedTemplates::default();
        for (front_end_at, front_end) in self.front_ends.iter().enumerate() {
            let sources: Vec<ProjectSource> = files
                .iter_mut()
                .filter(|f| front_end.kinds().contains(&f.file.kind()))
                .map(|f| ProjectSource {
                    file: f.file.clone(),
                    syntax: f.parsed.take().and_then(|p| p.syntax.clone()),
                    template: f.arm_template.clone(),
                })
                .collect();
            if sources.is_empty() {
                continue;
            }
            let first = sources[0].file.path().to_owned();
            let groups = Mutex::new(Vec::new());
            let check_group = |at: usize, evaluation: akslint_core::Evaluation| {
                let group = (front_end_at, at);
                let checked = self.check_template_group(group, evaluation, how, &first);
                (groups.lock().unwrap_or_else(PoisonError::into_inner)).push((group, checked));
            };
            let evaluated = catch_unwind(AssertUnwindSafe(|| {
                front_end.evaluate_groups(sources, self.loader.as_ref(), &check_group)
            }));
            if let Err(panic) = evaluated {
                (checked.notices).push(internal_error(&first, "the template evaluator", panic));
            }
            // The groups in their order, whichever thread checked them first.
            let mut groups = groups.into_inner().unwrap_or_else(PoisonError::into_inner);
            groups.sort_by_key(|(group, ..)| *group);
            for (_, mut group) in groups {
                checked.found.append(&mut group.found);
                checked.kept.append(&mut group.kept);
                checked.notices.append(&mut group.notices);
            }
        }
        checked
    }

    /// Checks one group's evaluation as `how` says, and keeps what it selects; a note without a
    /// place is put on `first`, the first file the front end was given.
    fn check_template_group(
        &self,
        group: (usize, usize),
        mut evaluation: akslint_core::Evaluation,
        how: &GroupCheck<'_>,
        first: &Path,
    ) -> CheckedTemplates {
        // Limits reached are findings (a rule reports them); the rest are notes.
        let (limits, not_followed): (Vec<_>, Vec<_>) = std::mem::take(&mut evaluation.notes)
            .into_iter()
            .partition(|note| note.kind == EvaluationNoteKind::LimitReached);
        evaluation.notes = limits;
        let mut notices: Vec<Notice> = (not_followed.into_iter())
            .map(|note| Notice {
                path: (note.location)
                    .map_or_else(|| first.to_owned(), |l| l.file.path().to_owned()),
                level: NoticeLevel::Note,
                message: format!("Bicep: {}", note.message),
            })
            .collect();
        let templates =
            Arc::new(Templates::of_run(how.run_files.clone()).with_evaluation(evaluation));
        let found = self.project_rules(
            group,
            &templates,
            how.resource_rules,
            how.project_rules,
            &mut notices,
        );
        // The rules are done with the model: only the resources the scopes read stay.
        let resources = Arc::try_unwrap(templates)
            .map(|templates| templates.resources)
            .unwrap_or_else(|shared| shared.resources.clone());
        CheckedTemplates {
            found,
            kept: (resources.into_iter())
                .filter(|r| how.kept_types.iter().any(|t| r.is_type(t)))
                .collect(),
            notices,
        }
    }

    /// `resource_rules` and `project_rules` (each rule with its place in the engine's list) over
    /// what one `group` of a project's templates evaluates to, without facts. Their findings
    /// come by [`Turn`], in the order of the turns.
    fn project_rules(
        &self,
        group: (usize, usize),
        templates: &Arc<Templates>,
        resource_rules: &[RuleAt],
        project_rules: &[RuleAt],
        all_notices: &mut Vec<Notice>,
    ) -> ByTurn {
        let index = ProjectIndex::default().with_templates(templates.clone());
        // Each resource's rules run on their own (in parallel); their findings and notices are
        // kept in the order of the resources.
        let by_resource: Vec<(ByTurn, Vec<Notice>)> = (index.resources)
            .par_iter()
            .enumerate()
            .map(|(at, resource)| {
                let cx = ResourceContext {
                    resource,
                    resources: &index.resources,
                    index: &index,
                };
                let mut found = Vec::new();
                let mut notices = Vec::new();
                for &(rule_at, rule) in resource_rules {
                    let mut by_rule = Vec::new();
                    run_rule(
                        rule,
                        resource.file.path(),
                        &mut notices,
                        &mut by_rule,
                        |out| rule.check_resource(&cx, out),
                    );
                    if !by_rule.is_empty() {
                        let turn = Turn::Resource {
                            group,
                            resource: at,
                            rule: rule_at,
                        };
                        let on_run = by_rule.into_iter().map(|d| index.onto_run(d, resource));
                        found.push((turn, on_run.collect()));
                    }
                }
                (found, notices)
            })
            .collect();
        let mut found = Vec::new();
        for (mut of_resource, mut notices) in by_resource {
            found.append(&mut of_resource);
            all_notices.append(&mut notices);
        }
        // The project rules run in parallel; their findings are kept in the order of the rules.
        let by_rule: Vec<(Vec<Diagnostic>, Vec<Notice>)> = project_rules
            .par_iter()
            .map(|&(_, rule)| {
                let mut by_rule = Vec::new();
                let mut notices = Vec::new();
                run_rule(rule, Path::new(""), &mut notices, &mut by_rule, |out| {
                    rule.check_project(&index, out)
                });
                (by_rule, notices)
            })
            .collect();
        for (&(rule_at, _), (of_rule, mut notices)) in project_rules.iter().zip(by_rule) {
            if !of_rule.is_empty() {
                found.push((Turn::Project { rule: rule_at }, of_rule));
            }
            all_notices.append(&mut notices);
        }
        found
    }

    /// The last stage for one file: applies its configuration and suppressions to every
    /// finding, runs the `SUP` rules, and sorts. The fixes the project stage planned are not
    /// written yet: [`Engine::write_fixes`] writes them (the command line, for every finding),
    /// [`Engine::write_fix`] one (the language server, when an action asks for it).
    pub fn finish(&self, analysis: &FileAnalysis, cross_file: Vec<Diagnostic>) -> FileReport {
        self.finish_with(analysis, analysis.diagnostics.clone(), cross_file)
    }

    /// [`Engine::finish`], taking the analysis' own findings instead of copying them: a run,
    /// which finishes every file at once, holds each finding once.
    pub fn finish_taking(
        &self,
        analysis: &mut FileAnalysis,
        cross_file: Vec<Diagnostic>,
    ) -> FileReport {
        let own = std::mem::take(&mut analysis.diagnostics);
        self.finish_with(analysis, own, cross_file)
    }

    /// [`Engine::finish`] with the file's own findings given.
    fn finish_with(
        &self,
        analysis: &FileAnalysis,
        own: Vec<Diagnostic>,
        cross_file: Vec<Diagnostic>,
    ) -> FileReport {
        let file = &analysis.file;
        let mut notices = Vec::new();
        let mut findings = without_generic_twins(own, &cross_file);
        for mut diagnostic in cross_file {
            diagnostic.helm_template = analysis
                .helm_template_at(diagnostic.span)
                .map(str::to_owned);
            findings.push(diagnostic);
        }
        let mut sensitive: Vec<Span> = findings
            .iter()
            .flat_map(|d| d.sensitive.iter().copied())
            .collect();
        sensitive.sort();
        sensitive.dedup();
        let config = &analysis.config;
        let mut suppressions = analysis.suppressions.clone();
        let mut kept = gate(file, config, &mut suppressions, findings);
        let is_enabled = |rule: &akslint_core::RuleMeta| config.is_enabled(rule);
        let cx = SuppressionContext {
            file,
            suppressions: &suppressions,
            is_enabled: &is_enabled,
        };
        let mut about_suppressions = Vec::new();
        for rule in self.rules {
            run_rule(
                *rule,
                file.path(),
                &mut notices,
                &mut about_suppressions,
                |out| rule.check_suppressions(&cx, out),
            );
        }
        let mut unmarked = suppressions.clone();
        kept.extend(gate(file, config, &mut unmarked, about_suppressions));
        kept.sort_by(Diagnostic::sort_key_cmp);
        // The same finding reached twice (a template evaluated through two parameter files) once.
        kept.dedup_by(|a, b| {
            a.rule.code == b.rule.code && a.span == b.span && a.message == b.message
        });
        let mut kept = cap_per_rule(kept, config.limits.max_findings_per_rule);
        let mut sensitive_elsewhere = Vec::new();
        if let Some(rendered) = &analysis.rendered
            && rendered.placement == Placement::InTemplate
        {
            sensitive = if rendered.values_sets.len() > 1 {
                crate::values_sets::place_across_sets(
                    rendered,
                    &mut kept,
                    &sensitive,
                    &mut sensitive_elsewhere,
                    place_rendered,
                )
            } else {
                place_rendered(rendered, &mut kept, &sensitive, &mut sensitive_elsewhere)
            };
            kept.iter_mut()
                .filter(|d| d.file.path() == rendered.template.path())
                .for_each(crate::values_sets::name_rendering);
        }
        self.place_labels_in_templates(&mut kept);
        FileReport {
            file: file.clone(),
            diagnostics: kept,
            sensitive,
            sensitive_elsewhere,
            suppressions,
            notices,
        }
    }
}

impl Engine {
    /// Places the related places of findings that are in the rendered text of a chart template
    /// (another file's, such as the chart's ServiceAccount) in that template.
    fn place_labels_in_templates(&self, diagnostics: &mut [Diagnostic]) {
        let Ok(known) = self.rendered_files.lock() else {
            return;
        };
        if known.is_empty() {
            return;
        }
        for label in diagnostics.iter_mut().flat_map(|d| d.labels.iter_mut()) {
            let Some(rendered) = known.get(&(Arc::as_ptr(&label.file) as usize)) else {
                continue;
            };
            if Arc::ptr_eq(&rendered.file, &label.file) {
                let (at, _) = rendered.locate(label.span);
                label.file = at.file;
                label.span = at.span;
            }
        }
    }

    /// The fix of a finding of `analysis`'s file: the one written already, else its plan written
    /// now by the file's front end (with the kept parse, when there is one); `None` when there
    /// is no fix or the plan cannot be written.
    pub fn write_fix(&self, analysis: &FileAnalysis, diagnostic: &Diagnostic) -> Option<Fix> {
        let file = analysis.file.resident();
        self.write_fix_with(analysis, &file, analysis.parsed.as_deref(), diagnostic)
    }

    /// [`Engine::write_fix`] in `file` (the analysis' file with its text in memory) with the
    /// file's parse given (`None`: the front end parses it).
    fn write_fix_with(
        &self,
        analysis: &FileAnalysis,
        file: &SharedSource,
        parsed: Option<&ParsedFile>,
        diagnostic: &Diagnostic,
    ) -> Option<Fix> {
        if let Some(fix) = &diagnostic.fix {
            return Some(Fix::clone(fix));
        }
        if analysis.rendered.is_some() {
            return None;
        }
        let plan = diagnostic.fix_plan.as_ref()?;
        let front_end = self.front_end(analysis.file.kind())?;
        let edits = catch_unwind(AssertUnwindSafe(|| {
            front_end.render_fix(file, parsed, plan)
        }))
        .ok()
        .flatten()
        .filter(|edits| !edits.is_empty())?;
        Some(Fix::from_plan(plan, edits))
    }

    /// Writes the fix of every finding of `analysis`'s file that has a plan and no fix yet. When
    /// the analysis no longer keeps its parse (it went to the project stage), the file is
    /// parsed again once for all of them.
    pub fn write_fixes(&self, analysis: &FileAnalysis, diagnostics: &mut [Diagnostic]) {
        let planned = |d: &Diagnostic| d.fix.is_none() && d.fix_plan.is_some();
        if !diagnostics.iter().any(planned) {
            return;
        }
        // A released file's text is read again for the fixes, and given back after them.
        let file = analysis.file.resident();
        let parsed_again = match (&analysis.parsed, self.front_end(file.kind())) {
            (None, Some(front_end)) => catch_unwind(AssertUnwindSafe(|| {
                front_end.parse(&file, &analysis.config.limits)
            }))
            .ok(),
            _ => None,
        };
        let parsed = analysis.parsed.as_deref().or(parsed_again.as_ref());
        for diagnostic in diagnostics {
            if planned(diagnostic) {
                diagnostic.fix = self
                    .write_fix_with(analysis, &file, parsed, diagnostic)
                    .map(Box::new);
            }
        }
    }
}

/// The key of a place on disk among a run's texts: the path made absolute and normalized, so
/// that a file named relative to the current folder (a run's overlay) and absolute (a values
/// set's file of `akslint.yaml`) are one.
fn place_key(path: &Path) -> PathBuf {
    normalize(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
}

/// A loader with the texts that replace files on disk in a run (see [`Engine::set_run_texts`]).
struct RunTexts<'a> {
    loader: &'a dyn SourceLoader,
    texts: Arc<HashMap<PathBuf, String>>,
}

impl SourceLoader for RunTexts<'_> {
    fn load(&self, path: &Path) -> Option<SharedSource> {
        self.loader.load(path)
    }

    fn load_text(&self, path: &Path) -> Option<String> {
        self.loader.load_text(path)
    }

    fn edited_text(&self, path: &Path) -> Option<String> {
        let run_text = (!self.texts.is_empty())
            .then(|| self.texts.get(&place_key(path)))
            .flatten();
        match run_text {
            Some(text) => Some(text.clone()),
            None => self.loader.edited_text(path),
        }
    }

    fn on_disk(&self, path: &Path) -> Option<PathBuf> {
        self.loader.on_disk(path)
    }
}

/// The one gate every finding goes through: its file's configuration decides whether its rule
/// is on and at which severity (by the finding's code), then the file's suppressions whether it
/// is silenced (marking the suppressions that silence something).
fn gate(
    file: &SharedSource,
    config: &Config,
    suppressions: &mut Suppressions,
    findings: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    let mut kept = Vec::new();
    for mut diagnostic in findings {
        match config.rule_state(diagnostic.rule) {
            RuleState::Off => continue,
            RuleState::On => {}
            RuleState::Severity(severity) => diagnostic.severity = severity,
        }
        let line = file.lines().line_of(diagnostic.span.start as usize);
        if !suppressions.suppresses(diagnostic.rule, line, diagnostic.span) {
            kept.push(diagnostic);
        }
    }
    kept
}

/// A file's own findings without those of `SEC006` (a secret in YAML that is no Kubernetes
/// object, such as a chart's `values.yaml`) at a place where a finding of a more specific
/// secret rule was placed from another file's rendering (a chart template that puts the value
/// in an environment variable: `SEC001`): one secret, one finding. (The placed finding carries
/// the secret's spans, so it stays masked.)
fn without_generic_twins(own: Vec<Diagnostic>, placed: &[Diagnostic]) -> Vec<Diagnostic> {
    let generic = HardcodedSecretInOtherYaml::META.code;
    let specific: Vec<Span> = placed
        .iter()
        .filter(|d| d.rule.code.starts_with("SEC") && d.rule.code != generic)
        .map(|d| d.span)
        .collect();
    if specific.is_empty() {
        return own;
    }
    own.into_iter()
        .filter(|d| {
            d.rule.code != generic
                || !specific.iter().any(|s| {
                    s.start < d.span.end.max(d.span.start + 1)
                        && d.span.start < s.end.max(s.start + 1)
                })
        })
        .collect()
}

/// Places the findings of a Helm template's rendered text in the template: each at the place
/// of the template that wrote its bytes, with the values file (or helper template) that wrote
/// them as a related place; with its fix when the fix edits only literals of the template
/// ([`akslint_helm::fix::chart_fix`]).
/// Returns the secrets' spans in the template, and adds those in other files to `elsewhere`.
fn place_rendered(
    rendered: &RenderedFile,
    diagnostics: &mut [Diagnostic],
    sensitive: &[Span],
    elsewhere: &mut Vec<(PathBuf, Span)>,
) -> Vec<Span> {
    // The rendered text of this template, from this analysis or another of the same text (the
    // project stage may have taken the template's facts from an earlier analysis).
    let in_rendered = |file: &SharedSource| {
        Arc::ptr_eq(file, &rendered.file)
            || (file.path() == rendered.file.path() && file.text() == rendered.file.text())
    };
    let mut in_template = Vec::new();
    // A secret is masked where it is written: in the values file (the template's action that
    // prints it stays readable), else in the template's own text.
    let mut place_secret = |span: Span, in_template: &mut Vec<Span>| match rendered.locate(span) {
        (_, Some(written)) => elsewhere.push((written.file.path().to_owned(), written.span)),
        (at, None) => in_template.push(at.span),
    };
    for span in sensitive {
        place_secret(*span, &mut in_template);
    }
    for diagnostic in diagnostics.iter_mut() {
        for label in &mut diagnostic.labels {
            if in_rendered(&label.file) {
                let (at, _) = rendered.locate(label.span);
                label.file = at.file;
                label.span = at.span;
            }
        }
        if !in_rendered(&diagnostic.file) {
            continue;
        }
        let fix = akslint_helm::fix::chart_fix(rendered, diagnostic);
        diagnostic.chart = Some(Box::new(crate::values_sets::rendering_of(
            rendered, diagnostic,
        )));
        let secrets = std::mem::take(&mut diagnostic.sensitive);
        for span in &secrets {
            place_secret(*span, &mut in_template);
        }
        diagnostic.sensitive = secrets.iter().map(|s| rendered.locate(*s).0.span).collect();
        let (at, written) = rendered.locate(diagnostic.span);
        diagnostic.file = at.file;
        diagnostic.span = at.span;
        if let Some(written) = written {
            diagnostic.labels.insert(
                0,
                Label {
                    file: written.file,
                    span: written.span,
                    message: "the value comes from here".to_owned(),
                },
            );
        }
        diagnostic.fix = fix
            .filter(|(file, _)| Arc::ptr_eq(file, &diagnostic.file))
            .map(|(_, fix)| Box::new(fix));
        diagnostic.fix_plan = None;
    }
    diagnostics.sort_by(Diagnostic::sort_key_cmp);
    in_template.sort_unstable();
    in_template.dedup();
    in_template
}

/// Writes a finding's planned fix with the file's front end; a plan that cannot be written
/// leaves the finding without a fix.
fn write_planned_fix(diagnostic: &mut Diagnostic, writer: &dyn FixWriter) {
    if diagnostic.fix.is_some() {
        return;
    }
    if let Some(plan) = &diagnostic.fix_plan {
        diagnostic.fix = writer
            .write(plan)
            .filter(|edits: &Vec<Edit>| !edits.is_empty())
            .map(|edits| Box::new(Fix::from_plan(plan, edits)));
    }
}

/// Runs one rule's hook, keeping only findings of its own code: a panic or a finding of another
/// code is an internal-error notice.
fn run_rule(
    rule: &dyn Rule,
    path: &Path,
    notices: &mut Vec<Notice>,
    out: &mut Vec<Diagnostic>,
    hook: impl FnOnce(&mut Vec<Diagnostic>),
) {
    let mut found = Vec::new();
    match catch_unwind(AssertUnwindSafe(|| hook(&mut found))) {
        Ok(()) => {
            keep_own(rule, path, notices, &mut found);
            out.extend(found);
        }
        Err(panic) => notices.push(internal_error(
            path,
            &format!("rule {}", rule.meta().code),
            panic,
        )),
    }
}

/// Runs a rule's [`Rule::check_scopes`] like [`run_rule`]: its findings by scope, none when it
/// panics.
fn run_rule_by_scope(
    rule: &dyn Rule,
    scopes: &Scopes,
    notices: &mut Vec<Notice>,
) -> Vec<Vec<Diagnostic>> {
    let path = Path::new("");
    match catch_unwind(AssertUnwindSafe(|| rule.check_scopes(scopes))) {
        Ok(mut by_scope) => {
            for found in &mut by_scope {
                keep_own(rule, path, notices, found);
            }
            by_scope
        }
        Err(panic) => {
            let code = rule.meta().code;
            notices.push(internal_error(path, &format!("rule {code}"), panic));
            Vec::new()
        }
    }
}

/// Drops a rule's findings of other rules, with an internal-error notice.
fn keep_own(rule: &dyn Rule, path: &Path, notices: &mut Vec<Notice>, found: &mut Vec<Diagnostic>) {
    let code = rule.meta().code;
    let before = found.len();
    found.retain(|d| d.rule.code == code);
    if found.len() != before {
        notices.push(Notice {
            path: path.to_owned(),
            level: NoticeLevel::Error,
            message: format!(
                "internal error: rule {code} reported findings of another rule; please report this"
            ),
        });
    }
}

/// How much of the per-file stage to do.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Depth {
    /// Everything: the rules' findings and the facts.
    Rules,
    /// The facts (and suppressions, syntax) only.
    Facts,
    /// The suppressions only: a file whose objects reach the run through the kustomizations
    /// that build it, where their findings are placed.
    Suppressions,
}

/// The text to show for bytes that are not UTF-8 text, where the problem is and what it is.
fn not_text(reason: NotText, bytes: &[u8]) -> (String, Span, String) {
    match reason {
        NotText::Binary { offset } => (
            String::new(),
            Span::empty(0),
            format!("the file is binary (a NUL byte at offset {offset}), not YAML or Bicep text"),
        ),
        NotText::Utf16 => (
            String::new(),
            Span::empty(0),
            "the file is UTF-16 or UTF-32 encoded (it starts with such a byte-order mark); save it as UTF-8".to_owned(),
        ),
        NotText::InvalidUtf8 { offset } => {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let end = akslint_core::floor_char_boundary(&text, offset + 1).max(offset);
            let end = text[offset..]
                .chars()
                .next()
                .map_or(end, |c| offset + c.len_utf8());
            (
                text,
                Span::new(offset, end),
                format!(
                    "the file is not valid UTF-8 (invalid byte at offset {offset}); save it as UTF-8"
                ),
            )
        }
    }
}

/// Keeps the first `cap` findings of each rule of a file (sorted by position), and in place of
/// the rest one finding of that rule, at the first left out, that counts them: output stays in
/// proportion to what a reader can act on, whatever a file holds (10,000 duplicate keys).
fn cap_per_rule(findings: Vec<Diagnostic>, cap: usize) -> Vec<Diagnostic> {
    let mut counts: HashMap<&'static str, usize> = HashMap::new();
    let mut left_out: Vec<(Diagnostic, usize)> = Vec::new();
    let mut kept = Vec::with_capacity(findings.len().min(cap * 8));
    for diagnostic in findings {
        let count = counts.entry(diagnostic.rule.code).or_default();
        *count += 1;
        if *count <= cap {
            kept.push(diagnostic);
            continue;
        }
        match left_out
            .iter_mut()
            .find(|(first, _)| first.rule.code == diagnostic.rule.code)
        {
            Some((first, more)) => {
                *more += 1;
                first.severity = first.severity.max(diagnostic.severity);
            }
            None => left_out.push((diagnostic, 1)),
        }
    }
    if left_out.is_empty() {
        return kept;
    }
    for (first, more) in left_out {
        let rule = first.rule;
        let mut summary = Diagnostic::new(
            rule,
            &first.file,
            first.span,
            format!(
                "{more} more {} {} findings in this file are not shown: akslint reports at most {cap} findings of one rule per file",
                rule.code, rule.name
            ),
        )
        .with_severity(first.severity)
        .with_help("fix the findings shown and run again, or raise `limits.max-findings-per-rule` in akslint.yaml to see every one");
        summary.subject = first.subject;
        summary.helm_template = first.helm_template;
        kept.push(summary);
    }
    kept.sort_by(Diagnostic::sort_key_cmp);
    kept
}

/// What a finding at `span` is about: the Kubernetes object around it and the key path inside.
fn subject_of(document: &Document, objects: &[K8sObject], span: Span) -> Subject {
    let tree = &document.tree;
    match objects.iter().find(|o| tree.span(o.node).contains(span)) {
        Some(object) => Subject {
            object: object.identity(),
            path: tree.path_to(object.node, span),
        },
        None => Subject {
            object: String::new(),
            path: document
                .root
                .map(|root| tree.path_to(root, span))
                .unwrap_or_default(),
        },
    }
}

/// An internal error (a panic) as a notice; its detail never quotes a file's text beyond what
/// the panic message says.
pub(crate) fn internal_error(path: &Path, what: &str, panic: Box<dyn Any + Send>) -> Notice {
    let detail = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned());
    Notice {
        path: path.to_owned(),
        level: NoticeLevel::Error,
        message: format!("internal error in {what}: {detail}; please report this"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use akslint_core::RuleMeta;
    use akslint_rules::rules::{WeakSecret, YamlSyntaxError};

    /// A rule that reports a finding of another rule besides its own.
    struct Overreaching;

    impl Rule for Overreaching {
        fn meta(&self) -> &'static RuleMeta {
            &WeakSecret::META
        }
    }

    #[test]
    fn a_rule_reports_its_own_code_only() {
        let file = Arc::new(SourceFile::new("a.yaml", SourceKind::Yaml, "a: 1\n"));
        let mut notices = Vec::new();
        let mut out = Vec::new();
        run_rule(&Overreaching, file.path(), &mut notices, &mut out, |out| {
            out.push(Diagnostic::new(
                &WeakSecret::META,
                &file,
                Span::empty(0),
                "own",
            ));
            out.push(Diagnostic::new(
                &YamlSyntaxError::META,
                &file,
                Span::empty(0),
                "other",
            ));
        });
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].rule.code, "SEC009");
        assert_eq!(notices.len(), 1);
        assert_eq!(notices[0].level, NoticeLevel::Error);
        // A panic is a notice too, and the rule's findings so far are dropped.
        run_rule(&Overreaching, file.path(), &mut notices, &mut out, |_| {
            panic!("a bug")
        });
        assert_eq!(out.len(), 1);
        assert!(
            notices[1].message.contains("rule SEC009"),
            "{:?}",
            notices[1]
        );
    }

    /// The per-file stage's analysis of `text` as the file at `path`, with the default
    /// configuration.
    fn analysed(engine: &Engine, path: &str, kind: SourceKind, text: &str) -> FileAnalysis {
        let config = Arc::new(Config::default_at(""));
        let content = Content::Bytes(text.as_bytes().to_vec());
        engine.analyse(Path::new(path), kind, content, config)
    }

    /// A rule that reads facts and the templates' managed clusters: it records the types of the
    /// resources, and how many declarations and parameter values, the templates show it.
    struct ReadsClusters;

    /// What [`ReadsClusters`] was shown.
    static SHOWN: Mutex<Vec<(Vec<String>, usize, usize)>> = Mutex::new(Vec::new());

    impl Rule for ReadsClusters {
        fn meta(&self) -> &'static RuleMeta {
            &WeakSecret::META
        }

        fn facts(&self) -> &'static [FactKind] {
            const FACTS: &[FactKind] = &[FactKind::of::<akslint_rules::facts::PodTemplateFact>()];
            FACTS
        }

        fn template_types(&self) -> &'static [&'static str] {
            &["Microsoft.ContainerService/managedClusters"]
        }

        fn check_project(&self, index: &ProjectIndex, _out: &mut Vec<Diagnostic>) {
            let types = (index.resources.iter())
                .map(|r| r.resource_type.clone())
                .collect();
            let shown = (types, index.bicep_files.len(), index.bindings.len());
            SHOWN.lock().unwrap().push(shown);
        }
    }

    #[test]
    fn each_group_of_templates_is_checked_and_dropped_but_for_the_resources_the_scopes_read() {
        let cluster = |name: &str| {
            format!(
                "resource {name} 'Microsoft.ContainerService/managedClusters@2024-05-01' = {{\n  name: '{name}'\n  location: 'westeurope'\n  properties: {{\n    dnsPrefix: '{name}'\n    disableLocalAccounts: false\n  }}\n}}\n"
            )
        };
        let storage = "param sku string\nresource st 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: 'st'\n  location: 'westeurope'\n  sku: { name: sku }\n  kind: 'StorageV2'\n}\n";
        let files = [
            ("a/main.bicep", cluster("one")),
            (
                "b/main.bicep",
                format!(
                    "{}module st 'st.bicep' = {{\n  name: 'st'\n  params: {{ sku: 'Standard_LRS' }}\n}}\n",
                    cluster("two")
                ),
            ),
            ("b/st.bicep", storage.to_owned()),
        ];
        let rules: &'static [&'static dyn Rule] = Box::leak(Box::new([
            &ReadsClusters as &dyn Rule,
            &akslint_rules::rules::LocalAccountsEnabled,
        ]));
        let engine = Engine {
            rules,
            ..Engine::new()
        };
        let project: Vec<ProjectFile> = (files.iter())
            .map(|(path, text)| {
                analysed(&engine, path, SourceKind::Bicep, text).take_project_file()
            })
            .collect();
        let found = engine.evaluate_project(project);
        // The rule that reads no facts ran on each group's model: each cluster has its finding.
        let mut local_accounts: Vec<_> = (found.by_file.values().flatten())
            .filter(|d| d.rule.code == "AUTH002")
            .map(|d| d.file.path().to_owned())
            .collect();
        local_accounts.sort();
        assert_eq!(
            local_accounts,
            [PathBuf::from("a/main.bicep"), PathBuf::from("b/main.bicep")]
        );
        // The rule that reads facts saw the clusters of both groups and nothing else of them.
        let cluster_type = "Microsoft.ContainerService/managedClusters".to_owned();
        assert_eq!(
            *SHOWN.lock().unwrap(),
            [(vec![cluster_type.clone(), cluster_type], 0, 0)]
        );
    }

    #[test]
    fn facts_keep_the_workload_identity_labels_and_annotations_alone() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    app: web\n    azure.workload.identity/use: \"true\"\nspec:\n  template:\n    metadata:\n      labels:\n        app: web\n        azure.workload.identity/use: \"true\"\n      annotations:\n        prometheus.io/scrape: \"true\"\n        azure.workload.identity/proxy-sidecar-port: \"8000\"\n    spec:\n      serviceAccountName: web\n      containers:\n        - name: web\n          image: web:1\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n  annotations:\n    azure.workload.identity/client-id: 00000000-0000-0000-0000-000000000000\n    description: the web front\n";
        let analysis = analysed(&Engine::new(), "web.yaml", SourceKind::Yaml, text);
        let keys = |entries: &[akslint_rules::facts::KeyValueFact]| {
            entries.iter().map(|e| e.key.clone()).collect::<Vec<_>>()
        };
        let pods = analysis
            .facts
            .get::<akslint_rules::facts::PodTemplateFact>();
        assert_eq!(keys(&pods[0].labels), ["azure.workload.identity/use"]);
        assert_eq!(
            keys(&pods[0].workload_labels),
            ["azure.workload.identity/use"]
        );
        assert_eq!(
            keys(&pods[0].annotations),
            ["azure.workload.identity/proxy-sidecar-port"]
        );
        let accounts = analysis
            .facts
            .get::<akslint_rules::facts::ServiceAccountFact>();
        assert_eq!(
            keys(&accounts[0].annotations),
            ["azure.workload.identity/client-id"]
        );
    }

    #[test]
    fn finishing_by_taking_the_findings_reports_what_finishing_by_copying_does() {
        let text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: Zq8#vLp2!mRt7@wXn4\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: web:1\n      env:\n        - name: TOKEN\n          value: ghp_Q3xk9Vt2LmP8rW4yZ7nB1cD5fH6jK0sA2eG9\n";
        let engine = Engine::new();
        let mut analysis = analysed(&engine, "web.yaml", SourceKind::Yaml, text);
        let found = |report: &FileReport| {
            (report.diagnostics.iter())
                .map(|d| (d.rule.code, d.span, d.message.clone()))
                .collect::<Vec<_>>()
        };
        let copied = found(&engine.finish(&analysis, Vec::new()));
        assert!(copied.len() >= 2, "{copied:?}");
        assert_eq!(analysis.diagnostics.len(), copied.len());
        let taken = found(&engine.finish_taking(&mut analysis, Vec::new()));
        assert_eq!(taken, copied);
        assert!(analysis.diagnostics.is_empty(), "the findings were moved");
    }

    #[test]
    fn the_project_stage_takes_the_kept_parse_and_fixes_are_still_written() {
        let text = "resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {\n  name: 'aks'\n  location: 'westeurope'\n  properties: {\n    dnsPrefix: 'aks'\n    disableLocalAccounts: false\n  }\n}\n";
        let engine = Engine::new();
        let mut analysis = analysed(&engine, "main.bicep", SourceKind::Bicep, text);
        assert!(analysis.parsed.is_some(), "a Bicep parse is kept");
        let project_file = analysis.take_project_file();
        assert!(project_file.parsed.is_some());
        assert!(
            analysis.parsed.is_none(),
            "the parse moved to the project stage"
        );
        let mut found = engine.evaluate_project(vec![project_file]);
        let mut report = engine.finish(&analysis, found.take(Path::new("main.bicep")));
        engine.write_fixes(&analysis, &mut report.diagnostics);
        let local_accounts = report
            .diagnostics
            .iter()
            .find(|d| d.rule.code == "AUTH002")
            .expect("AUTH002 on the cluster");
        let fix = local_accounts
            .fix
            .as_ref()
            .expect("its fix, written from a new parse");
        assert!(
            fix.edits.iter().any(|e| e.replacement.contains("true")),
            "{fix:?}"
        );
    }

    #[test]
    fn a_file_read_from_disk_gives_its_text_back_and_reports_as_one_held_in_memory() {
        let text = "resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {\n  name: 'aks'\n  location: 'westeurope'\n  properties: {\n    dnsPrefix: 'aks'\n    disableLocalAccounts: false\n  }\n}\n";
        let dir = tempfile::tempdir().unwrap();
        let disk = dir.path().join("main.bicep");
        std::fs::write(&disk, text).unwrap();
        let engine = Engine::new();
        let config = Arc::new(Config::default_at(""));
        let report_of = |content: Content| {
            let mut analysis = engine.analyse(
                Path::new("main.bicep"),
                SourceKind::Bicep,
                content,
                config.clone(),
            );
            // As a run does (`run::run`); the language server keeps its texts.
            analysis.release_text(engine.front_end(SourceKind::Bicep));
            let resident = analysis.file.is_resident();
            let mut found = engine.evaluate_project(vec![analysis.take_project_file()]);
            let mut report = engine.finish(&analysis, found.take(Path::new("main.bicep")));
            engine.write_fixes(&analysis, &mut report.diagnostics);
            let shown: Vec<_> = report
                .diagnostics
                .iter()
                .map(|d| {
                    let at = d.file.line_column(d.span.start as usize);
                    (d.rule.code, at, d.fingerprint(), d.fix.clone())
                })
                .collect();
            (resident, shown)
        };
        let (in_memory, expected) = report_of(Content::Bytes(text.as_bytes().to_vec()));
        let (from_disk, reported) = report_of(Content::Disk(disk.clone()));
        assert!(
            in_memory && !from_disk,
            "only the file on disk gives its text back"
        );
        assert!(expected.iter().any(|(code, ..)| *code == "AUTH002"));
        assert_eq!(reported, expected);
        // Changed on disk before its findings are shown: no quoted text, no panic.
        let mut analysis = engine.analyse(
            Path::new("main.bicep"),
            SourceKind::Bicep,
            Content::Disk(disk.clone()),
            config.clone(),
        );
        analysis.release_text(engine.front_end(SourceKind::Bicep));
        std::fs::write(&disk, text.replace("false", "FALSE")).unwrap();
        let mut found = engine.evaluate_project(vec![analysis.take_project_file()]);
        let report = engine.finish(&analysis, found.take(Path::new("main.bicep")));
        assert!(
            report
                .diagnostics
                .iter()
                .all(|d| d.file.slice(d.span).is_empty())
        );
    }

    #[test]
    fn a_run_reads_a_base_once_and_a_build_after_it_sees_the_base_changed() {
        let dir = tempfile::tempdir().unwrap();
        let write = |path: &str, text: &str| {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("base/kustomization.yaml", "resources:\n- app.yaml\n");
        let app = |value: &str| {
            format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  a: {value}\n"
            )
        };
        write("base/app.yaml", &app("one"));
        write("dev/kustomization.yaml", "resources:\n- ../base\n");
        let engine = Engine::new().with_loader(DiskLoader {
            base: dir.path().to_owned(),
            ..DiskLoader::default()
        });
        let config = Arc::new(Config::default_at(""));
        let built = || {
            let path = Path::new("dev/kustomization.yaml");
            let content = Content::Disk(dir.path().join(path));
            let analysis = engine.analyse(path, SourceKind::Yaml, content, config.clone());
            let rendered = analysis.rendered.expect("the overlay is built");
            rendered.file.text().to_owned()
        };
        let run = engine.start_run();
        assert!(built().contains("a: one"));
        // Within a run the files do not change: the base is read once for all its builds.
        write("base/app.yaml", &app("two"));
        assert!(built().contains("a: one"));
        drop(run);
        // Outside a run (the language server) and in the next run, the change is seen.
        assert!(built().contains("a: two"));
        write("base/app.yaml", &app("three"));
        let mut run = engine.start_run();
        assert!(built().contains("a: three"));
        // Once the run's builds are done, a build reads its files anew.
        write("base/app.yaml", &app("four"));
        run.end_builds();
        assert!(built().contains("a: four"));
    }

    #[test]
    fn the_gate_applies_the_configuration_by_code_then_the_suppressions() {
        let text = "a: 1 # akslint-ignore SEC009: a sample\nb: 2\n";
        let file = Arc::new(SourceFile::new("a.yaml", SourceKind::Yaml, text));
        let config = Config::parse(
            Path::new("akslint.yaml"),
            "rules:\n  SEC: off\n  SEC009: error\n",
        )
        .expect("a configuration");
        let finding = |line_start: usize, rule: &'static RuleMeta| {
            Diagnostic::new(rule, &file, Span::new(line_start, line_start + 1), "x")
        };
        let weak = &WeakSecret::META;
        let env = &akslint_rules::rules::HardcodedSecretInEnv::META;
        let comments = akslint_yaml::parse(&file, &config.limits).comments;
        let mut suppressions = Suppressions::from_comments(&file, &comments);
        let kept = gate(
            &file,
            &config,
            &mut suppressions,
            vec![
                finding(0, weak),
                finding(text.find("b:").unwrap(), weak),
                finding(0, env),
            ],
        );
        // SEC001 is off with its family; SEC009, named, is on as an error; the one on line 1
        // is suppressed, and the suppression is marked used.
        assert_eq!(kept.len(), 1);
        assert_eq!(
            (kept[0].rule.code, kept[0].severity),
            ("SEC009", akslint_core::Severity::Error)
        );
        assert!(suppressions.items[0].codes[0].used);
    }
}
