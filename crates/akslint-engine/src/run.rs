//! A run of the pipeline over a list of inputs, as `akslint check` makes it: every file analysed
//! in parallel, the files grouped into projects, each project evaluated, each file finished.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use akslint_core::{Diagnostic, SharedSource, SourceFile, SourceKind, Span};
use rayon::prelude::*;

use akslint_kustomize::is_kustomization_file;
use akslint_kustomize::kustomization::{normalize, normalized};

use crate::built;
use crate::engine::{Content, FileAnalysis, Notice, ProjectFile, ProjectFindings};
use crate::project::Projects;
use crate::read::{self, ReadError};
use crate::timing::Stages;
use crate::walk::Input;
use crate::{ConfigError, ConfigResolver, Engine, FileReport, Report};

/// What stdin holds, and the name to report it under.
pub struct StdinInput {
    /// The name (from `--stdin-filename`).
    pub name: PathBuf,
    /// The bytes read.
    pub bytes: Vec<u8>,
    /// Whether stdin held more than the size limit, and was left unread past it (`bytes` is then
    /// empty).
    pub too_large: bool,
}

impl StdinInput {
    /// Stdin not read (no `-` among the inputs), under `name`.
    pub fn unread(name: PathBuf) -> StdinInput {
        StdinInput {
            name,
            bytes: Vec::new(),
            too_large: false,
        }
    }

    /// Reads stdin under `name`, bounded by the size limit of the configuration that governs
    /// that name: at most one byte past the limit is read.
    pub fn read(
        name: PathBuf,
        stream: impl Read,
        resolver: &ConfigResolver,
    ) -> Result<StdinInput, String> {
        let limit = resolver
            .for_file(&name)
            .map_err(|err| err.to_string())?
            .limits
            .max_file_size;
        match read::read_stream(stream, limit) {
            Ok(bytes) => Ok(StdinInput {
                name,
                bytes,
                too_large: false,
            }),
            Err(ReadError::TooLarge { .. }) => Ok(StdinInput {
                name,
                bytes: Vec::new(),
                too_large: true,
            }),
            Err(err) => Err(format!("cannot read stdin: {err}")),
        }
    }
}

/// Texts that replace what is on disk (or on stdin) for some paths: fixes not yet written.
pub type Overlay = BTreeMap<PathBuf, String>;

/// Lints the inputs as one run: files over the size limit are reported without being read,
/// unreadable files become error notices, a path in `overlay` is linted with the overlay's text.
/// Cross-file rules join the files of each project only (see [`crate::project`]).
pub fn run(
    engine: &Engine,
    resolver: &ConfigResolver,
    inputs: &[Input],
    stdin: &StdinInput,
    overlay: &Overlay,
) -> Result<Report, ConfigError> {
    let cwd = resolver.cwd();
    engine.set_run_texts(overlay);
    let mut unchanging = engine.start_run();
    let mut stages = Stages::start();
    // Kustomizations first: the files their builds read are linted through the builds, not on
    // their own (a patch is no whole object).
    let is_kustomization = |input: &Input| matches!(input, Input::File { path, kind: SourceKind::Yaml, .. } if is_kustomization_file(path));
    // A file named without the kustomization that builds it (pre-commit names the files a
    // commit changed) is linted through the kustomization of the nearest folder above it that
    // has one: that kustomization is built too, its own report left out of the run's.
    let named: BTreeSet<Cow<'_, Path>> = inputs
        .iter()
        .filter_map(|input| match input {
            Input::File { path, .. } => Some(normalized(path)),
            Input::Stdin => None,
        })
        .collect();
    let mut kustomizations = Kustomizations::default();
    let pulled: BTreeSet<Input> = inputs
        .iter()
        .filter_map(|input| match input {
            Input::File {
                path,
                kind: SourceKind::Yaml,
                folder,
            } if !is_kustomization_file(path) => kustomizations
                .nearest(cwd, path)
                .filter(|k| !named.contains(k.as_path()))
                .map(|k| Input::File {
                    path: k.into(),
                    kind: SourceKind::Yaml,
                    folder: folder.clone(),
                }),
            _ => None,
        })
        .collect();
    let ChartInputs {
        packed,
        pulled: pulled_templates,
        texts,
    } = chart_inputs(cwd, resolver, inputs, &named);
    let inputs: Vec<Input> = inputs.iter().cloned().chain(packed).collect();
    let in_run = inputs.len();
    let inputs: Vec<Input> = inputs
        .into_iter()
        .chain(pulled)
        .chain(pulled_templates)
        .collect();
    let analyse = |input: &Input, placement_only: bool| {
        let (path, kind) = match input {
            Input::File { path, kind, .. } => (&**path, *kind),
            Input::Stdin => (
                stdin.name.as_path(),
                SourceKind::from_path(&stdin.name).unwrap_or(SourceKind::Yaml),
            ),
        };
        let config = resolver.for_file(path)?;
        let content = match (overlay.get(path).or_else(|| texts.get(path)), input) {
            (Some(text), _) => Content::Bytes(text.clone().into_bytes()),
            (None, Input::Stdin) if stdin.too_large => Content::TooLarge,
            (None, Input::Stdin) => Content::Bytes(stdin.bytes.clone()),
            (None, Input::File { .. }) => Content::Disk(cwd.join(path)),
        };
        let mut analysis = if placement_only {
            engine.analyse_for_placement(path, kind, content, config)
        } else {
            engine.analyse(path, kind, content, config)
        };
        // A run gives a file's text back once its per-file stage is done (read again from disk
        // when a finding is shown); the language server keeps its texts.
        analysis.release_text(engine.front_end(analysis.file.kind()));
        Ok(analysis)
    };
    let inputs = inputs.as_slice();
    let mut by_input: Vec<Option<FileAnalysis>> = inputs
        .par_iter()
        .map(|input| {
            is_kustomization(input)
                .then(|| analyse(input, false))
                .transpose()
        })
        .collect::<Result<_, ConfigError>>()?;
    // Every kustomization is built: the files the builds read are not needed any more.
    unchanging.end_builds();
    let built: BTreeSet<PathBuf> = by_input
        .iter()
        .flatten()
        .flat_map(built::files_read_by_build)
        .collect();
    let rest: Vec<Option<FileAnalysis>> = inputs
        .par_iter()
        .zip(by_input.par_iter())
        .map(|(input, done)| {
            if done.is_some() {
                return Ok(None);
            }
            let placement_only =
                matches!(input, Input::File { path, .. } if built.contains(&normalize(path)));
            analyse(input, placement_only).map(Some)
        })
        .collect::<Result<_, ConfigError>>()?;
    for (slot, analysis) in by_input.iter_mut().zip(rest) {
        if analysis.is_some() {
            *slot = analysis;
        }
    }
    let mut analyses: Vec<(FileAnalysis, Arc<Path>)> = by_input
        .into_iter()
        .zip(inputs)
        .map(|(analysis, input)| {
            let folder = match input {
                Input::File { folder, .. } => folder.clone(),
                Input::Stdin => Arc::from(cwd),
            };
            (analysis.expect("every input analysed"), folder)
        })
        .collect();
    stages.lap("per-file stage");
    let projects = Projects::new();
    let mut members: BTreeMap<PathBuf, Vec<usize>> = BTreeMap::new();
    for (i, (analysis, folder)) in analyses.iter().enumerate() {
        let project = projects.of(&cwd.join(analysis.file.path()), &cwd.join(folder));
        members.entry(project).or_default().push(i);
    }
    let mut cross_file: Vec<Vec<Diagnostic>> = vec![Vec::new(); analyses.len()];
    let mut report = Report::default();
    // The kept parses move to the project stage, which frees them as it goes.
    let project_files: Vec<Vec<ProjectFile>> = members
        .values()
        .map(|files| {
            files
                .iter()
                .map(|&i| analyses[i].0.take_project_file())
                .collect()
        })
        .collect();
    stages.lap("grouping into projects");
    // Projects are independent: evaluated in parallel, their findings taken in project order.
    let evaluated: Vec<ProjectFindings> = project_files
        .into_par_iter()
        .map(|project| engine.evaluate_project(project))
        .collect();
    stages.lap("project stage");
    for (files, mut found) in members.values().zip(evaluated) {
        report.notices.append(&mut found.notices);
        for &i in files {
            cross_file[i] = found.take(analyses[i].0.file.path());
        }
        for (path, span) in found.secrets_left() {
            report
                .outside_secrets
                .entry(path.clone())
                .or_default()
                .push(span);
        }
    }
    stages.lap("taking the project findings");
    place_builds(
        engine,
        resolver,
        &mut analyses,
        &mut cross_file,
        in_run,
        inputs.len(),
    )?;
    stages.lap("placing the builds' findings");
    // The kustomizations built (and chart templates rendered) for files named without them are
    // not the run's. Each analysis is dropped once its file is finished, its findings moved
    // into the file's report.
    let in_report = |i: usize| i < in_run || i >= inputs.len();
    let finished: Vec<(Vec<Notice>, FileReport)> = analyses
        .into_par_iter()
        .zip(cross_file.into_par_iter())
        .enumerate()
        .filter(|(i, _)| in_report(*i))
        .map(|(_, ((mut analysis, _), found))| {
            let mut report = engine.finish_taking(&mut analysis, found);
            engine.write_fixes(&analysis, &mut report.diagnostics);
            (analysis.notices, report)
        })
        .collect();
    report.files = finished
        .into_iter()
        .map(|(mut notices, mut file_report)| {
            report.notices.append(&mut notices);
            report.notices.append(&mut file_report.notices);
            file_report
        })
        .collect();
    report.files = into_archives(cwd, std::mem::take(&mut report.files));
    report
        .files
        .sort_by(|a, b| a.file.path().cmp(b.file.path()));
    report.notices.sort();
    report.notices.dedup();
    stages.lap("finish");
    Ok(report)
}

/// Places the findings of every kustomization's build in the files that wrote their values,
/// each reported once with the kustomizations that build it, and those of chart templates
/// whose values a values file wrote at the values keys; a file outside the run that a finding
/// lands in (a base in a folder not linted, a chart's `values.yaml`) joins the run for its
/// findings.
///
/// The analyses from `in_run` to `pulled_end` are of kustomizations built only for files named
/// without them: their findings go to the run's files only.
fn place_builds(
    engine: &Engine,
    resolver: &ConfigResolver,
    analyses: &mut Vec<(FileAnalysis, Arc<Path>)>,
    cross_file: &mut Vec<Vec<Diagnostic>>,
    in_run: usize,
    pulled_end: usize,
) -> Result<(), ConfigError> {
    // Paths compared absolute: a values set's files are named so, the walk's relative.
    let key = |path: &Path| normalize(&resolver.cwd().join(path));
    let run_paths: BTreeSet<PathBuf> = analyses[..in_run]
        .iter()
        .map(|(a, _)| key(a.file.path()))
        .collect();
    let pulled_range = in_run..pulled_end;
    let mut placed = Vec::new();
    for (i, ((analysis, _), found)) in analyses.iter_mut().zip(cross_file.iter_mut()).enumerate() {
        if built::places_elsewhere(analysis) {
            let mut found = built::place_built(analysis, std::mem::take(found));
            if pulled_range.contains(&i) {
                // Built for files named without it: its findings in those files only.
                found.retain(|p| run_paths.contains(&key(p.diagnostic.file.path())));
            }
            placed.extend(found);
        }
    }
    // The first analysis of each file, by its normalized path (not those pulled in for files
    // named without their kustomization).
    let mut by_path: HashMap<PathBuf, usize> = HashMap::new();
    for (i, (analysis, _)) in analyses.iter().enumerate() {
        if !pulled_range.contains(&i) {
            by_path.entry(key(analysis.file.path())).or_insert(i);
        }
    }
    for diagnostic in built::merge_placed(placed) {
        let path = key(diagnostic.file.path());
        let at = match by_path.get(&path) {
            Some(&at) => at,
            None => {
                let shown = normalize(diagnostic.file.path());
                let config = resolver.for_file(&shown)?;
                let kind = diagnostic.file.kind();
                let content = Content::Bytes(diagnostic.file.text().as_bytes().to_vec());
                let analysis = engine.analyse_for_placement(&shown, kind, content, config);
                analyses.push((analysis, Arc::from(resolver.cwd())));
                cross_file.push(Vec::new());
                by_path.insert(path, analyses.len() - 1);
                analyses.len() - 1
            }
        };
        cross_file[at].push(diagnostic);
    }
    Ok(())
}

/// The chart template files a run lints besides its inputs, which no walk reaches or which the
/// inputs name without them.
#[derive(Default)]
struct ChartInputs {
    /// Templates inside a packed dependency (`charts/x-1.0.0.tgz/templates/a.yaml`) of a chart
    /// whose templates are in the run: linted as files of the run, their findings reported in
    /// the archive (see [`into_archives`]).
    packed: Vec<Input>,
    /// Templates of charts whose values files are named without them (pre-commit names
    /// `values.yaml` alone when a commit changes only it): rendered as a kustomization named
    /// without its files is built, their reports left out of the run's, so that the values
    /// keys' findings reach the values file.
    pulled: BTreeSet<Input>,
    /// The texts of the packed templates, by path.
    texts: Overlay,
}

/// The chart inputs of a run (see [`ChartInputs`]): for each chart with a template among
/// `inputs`, its packed templates; for each chart with only a values file there (its
/// `values.yaml`, or a values set's file of `helm.charts`), its templates not `named`.
fn chart_inputs(
    cwd: &Path,
    resolver: &ConfigResolver,
    inputs: &[Input],
    named: &BTreeSet<Cow<'_, Path>>,
) -> ChartInputs {
    let mut rendered = BTreeMap::new();
    let mut values_only = BTreeMap::new();
    for input in inputs {
        let Input::File {
            path,
            kind: SourceKind::Yaml,
            folder,
        } = input
        else {
            continue;
        };
        let on_disk = cwd.join(path);
        if let Some(chart) = akslint_helm::chart_of(&on_disk) {
            rendered.entry(chart).or_insert_with(|| folder.clone());
            continue;
        }
        let chart = akslint_helm::chart_of_values(&on_disk).or_else(|| {
            resolver
                .for_file(path)
                .ok()
                .and_then(|config| config.chart_of_set_file(&on_disk))
        });
        if let Some(chart) = chart {
            values_only.entry(chart).or_insert_with(|| folder.clone());
        }
    }
    let mut found = ChartInputs::default();
    let charts = rendered.iter().map(|chart| (chart, true)).chain(
        values_only
            .iter()
            .filter(|(chart, _)| !rendered.contains_key(*chart))
            .map(|chart| (chart, false)),
    );
    for ((chart, folder), in_run) in charts {
        if in_run && !akslint_helm::has_packed_dependency(chart) {
            continue; // its templates on disk are in the run: nothing to add
        }
        for (template, text) in akslint_helm::chart_templates(chart) {
            let packed = !template.is_file();
            let path = normalize(template.strip_prefix(cwd).unwrap_or(&template));
            if (in_run && !packed) || named.contains(path.as_path()) {
                continue;
            }
            let input = Input::File {
                path: path.clone().into(),
                kind: SourceKind::Yaml,
                folder: folder.clone(),
            };
            if packed {
                found.texts.insert(path, text);
            }
            if in_run {
                found.packed.push(input);
            } else {
                found.pulled.insert(input);
            }
        }
    }
    found
}

/// The reports of files inside packed dependencies (`charts/x-1.0.0.tgz/templates/a.yaml`,
/// the archive's `values.yaml`) made one report of the archive each: every finding at the
/// archive's start, with the file inside it and the line in its message; a related place in
/// such a file (of any finding) likewise.
fn into_archives(cwd: &Path, files: Vec<FileReport>) -> Vec<FileReport> {
    let mut archives = Archives::default();
    let mut kept = Vec::new();
    for mut report in files {
        for label in report.diagnostics.iter_mut().flat_map(|d| &mut d.labels) {
            if let Some((archive, place)) = archives.place(cwd, &label.file, label.span) {
                label.message = format!("{} ({place})", label.message);
                label.file = archive;
                label.span = Span::empty(0);
            }
        }
        let Some((archive, _)) = inside_archive(cwd, report.file.path()) else {
            kept.push(report);
            continue;
        };
        let mut diagnostics = Vec::new();
        for mut diagnostic in report.diagnostics {
            if let Some((file, place)) = archives.place(cwd, &diagnostic.file, diagnostic.span) {
                diagnostic.message = format!("{} ({place})", diagnostic.message);
                diagnostic.file = file;
                diagnostic.span = Span::empty(0);
                diagnostic.sensitive.clear();
                diagnostic.fix = None;
            }
            diagnostics.push(diagnostic);
        }
        let into = archives.report(&archive);
        into.diagnostics.extend(diagnostics);
        into.sensitive_elsewhere.extend(report.sensitive_elsewhere);
        into.notices.extend(report.notices);
    }
    for mut report in archives.reports.into_values() {
        report.diagnostics.sort_by(Diagnostic::sort_key_cmp);
        kept.push(report);
    }
    kept
}

/// The packed dependencies' archives findings are moved to: each one's file (of no text: its
/// findings are at its start) and report, by path.
#[derive(Default)]
struct Archives {
    files: BTreeMap<PathBuf, SharedSource>,
    reports: BTreeMap<PathBuf, FileReport>,
}

impl Archives {
    /// The file of the archive at `path`.
    fn file(&mut self, path: &Path) -> SharedSource {
        self.files
            .entry(path.to_path_buf())
            .or_insert_with(|| Arc::new(SourceFile::new(path, SourceKind::Yaml, String::new())))
            .clone()
    }

    /// The report of the archive at `path`.
    fn report(&mut self, path: &Path) -> &mut FileReport {
        let file = self.file(path);
        self.reports
            .entry(path.to_path_buf())
            .or_insert_with(|| FileReport {
                file,
                diagnostics: Vec::new(),
                sensitive: Vec::new(),
                sensitive_elsewhere: Vec::new(),
                suppressions: Default::default(),
                notices: Vec::new(),
            })
    }

    /// A place inside an archive moved to the archive's start: the archive's file, and "at
    /// templates/a.yaml:12 inside charts/x-1.0.0.tgz"; `None` for a place in a file on disk.
    fn place(
        &mut self,
        cwd: &Path,
        file: &SharedSource,
        span: Span,
    ) -> Option<(SharedSource, String)> {
        let (archive, within) = inside_archive(cwd, file.path())?;
        let line = file.line_column(span.start as usize).line;
        let place = format!(
            "at {}:{line} inside {}",
            within.display(),
            archive.display()
        );
        Some((self.file(&archive), place))
    }
}

/// The packed dependency (`charts/x-1.0.0.tgz`, relative as `path` is) that `path` names a
/// file inside, and the file's path within it.
fn inside_archive(cwd: &Path, path: &Path) -> Option<(PathBuf, PathBuf)> {
    let at = cwd.join(path);
    let archive = akslint_helm::packed_chart_of(&at).filter(|archive| *archive != at)?;
    let within = at.strip_prefix(archive).ok()?.to_path_buf();
    Some((
        normalize(archive.strip_prefix(cwd).unwrap_or(archive)),
        within,
    ))
}

/// The kustomization of the nearest folder at or above a file's own (up to the top of a
/// relative path, or the root), if any, each folder looked at once per run (a monorepo's files
/// share their folders: three lookups per folder instead of three per folder of every file).
#[derive(Default)]
struct Kustomizations(HashMap<PathBuf, Option<PathBuf>>);

impl Kustomizations {
    /// The nearest kustomization of the file at `path`.
    fn nearest(&mut self, cwd: &Path, path: &Path) -> Option<PathBuf> {
        self.at_or_above(cwd, path.parent()?)
    }

    /// The kustomization of `dir` or of the nearest folder above it that has one.
    fn at_or_above(&mut self, cwd: &Path, dir: &Path) -> Option<PathBuf> {
        if let Some(found) = self.0.get(dir) {
            return found.clone();
        }
        let found = akslint_kustomize::kustomization::kustomization_in(dir, |candidate| {
            cwd.join(candidate).is_file()
        })
        .map(|found| normalize(&found))
        .or_else(|| self.at_or_above(cwd, dir.parent()?));
        self.0.insert(dir.to_path_buf(), found.clone());
        found
    }
}
