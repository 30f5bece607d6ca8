//! What the engine needs of a Helm chart's template file: the template rendered with its chart
//! (its values, helpers and dependencies), the output read as YAML, and where each rendered
//! byte came from, so that the Kubernetes rules run on what Helm would deploy and every finding
//! is placed in the template (and the values file) that wrote it.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use akslint_core::{
    Limits, ParseProblem, ParseProblemKind, ParsedFile, RenderedFile, RenderedSegment,
    SharedSource, SourceFile, SourceKind, SourceLoader, Span,
};

use crate::chart::schema::SchemaViolation;
use crate::chart::{self, Chart};
use crate::output::{ChartOutput, render_chart_parsed_by};
use crate::render::RenderErrorKind;
use crate::render::Renderer;
use crate::render::text::Segment;
use crate::set_values::set_key_at;
use crate::template::ParseCache;
use crate::values_set::{COMMAND_LINE_SET_NAME, ValuesSet};

/// Most rendered charts kept between files of a run.
const MAX_CACHED_CHARTS: usize = 64;

/// The chart that renders the template at `path`: the folder holding `Chart.yaml` above the
/// `templates` folder the file is in (at any depth below it), or, for a dependency under a
/// parent's `charts/` (unpacked, or packed: `charts/x-1.0.0.tgz/templates/a.yaml` names a file
/// inside the archive), the outermost parent (Helm renders a dependency with its parent's
/// values).
pub fn chart_of(path: &Path) -> Option<PathBuf> {
    let mut chart = path
        .ancestors()
        .skip(1)
        .find(|dir| dir.file_name().is_some_and(|name| name == "templates"))?
        .parent()?;
    if !chart.join("Chart.yaml").is_file() {
        chart = packed_chart_of(chart)?;
    }
    Some(outermost_chart(chart).to_path_buf())
}

/// The outermost parent of a chart that is a dependency under a parent's `charts/` (unpacked
/// or packed), or the chart itself.
pub fn outermost_chart(mut chart: &Path) -> &Path {
    while let Some(charts) = chart.parent()
        && charts.file_name().is_some_and(|name| name == "charts")
        && let Some(parent) = charts.parent()
        && parent.join("Chart.yaml").is_file()
    {
        chart = parent;
    }
    chart
}

/// The chart to lint when a file of it that is no YAML template is named (pre-commit names the
/// files a commit changed): a file under a chart's `templates/` folder (a helper such as
/// `_helpers.tpl`, a text template such as `NOTES.txt`), a packed dependency
/// (`charts/x-1.0.0.tgz`) under a chart's `charts/` folder, or a chart's `Chart.yaml` or
/// `values.schema.json` (its dependencies and the schema its values must meet); the outermost
/// chart, as [`chart_of`] finds it.
pub fn chart_of_file(path: &Path) -> Option<PathBuf> {
    let beside = |dir: &Path| {
        dir.join(chart::CHART_FILE)
            .is_file()
            .then(|| outermost_chart(dir).to_path_buf())
    };
    if packed_chart_of(path).is_some_and(|archive| archive == path) {
        return beside(path.parent()?.parent()?);
    }
    if path
        .file_name()
        .is_some_and(|name| name == chart::CHART_FILE || name == chart::SCHEMA_FILE)
    {
        return beside(path.parent()?);
    }
    chart_of(path)
}

/// The packed dependency (`charts/x-1.0.0.tgz`, a file on disk under a chart's `charts/`) that
/// `path` names or names a file inside (`charts/x-1.0.0.tgz/templates/a.yaml`), if any.
pub fn packed_chart_of(path: &Path) -> Option<&Path> {
    path.ancestors().find(|at| {
        at.extension().is_some_and(|e| e == "tgz")
            && at
                .parent()
                .is_some_and(|charts| charts.file_name().is_some_and(|n| n == "charts"))
            && at.is_file()
    })
}

/// The chart whose rendering checks the values file at `path` against the schemas: for a
/// chart's `values.yaml` (a `Chart.yaml` beside it), that chart, or the outermost parent of a
/// dependency unpacked under a parent's `charts/`.
pub fn chart_of_values(path: &Path) -> Option<PathBuf> {
    if path.file_name()? != "values.yaml" {
        return None;
    }
    let dir = path.parent()?;
    dir.join("Chart.yaml").is_file().then_some(())?;
    chart_of(&dir.join("templates").join("values.yaml")).or_else(|| Some(dir.to_path_buf()))
}

/// The YAML template files of the chart in `dir` and of its dependencies, with their texts (a
/// packed dependency's named inside its archive: `charts/x-1.0.0.tgz/templates/a.yaml`); none
/// when the chart does not load (linting its templates reports why).
pub fn chart_templates(dir: &Path) -> Vec<(PathBuf, String)> {
    let Ok(loaded) = chart::load(dir) else {
        return Vec::new();
    };
    loaded
        .all_templates()
        .into_iter()
        .filter(|(path, _)| SourceKind::from_path(path) == Some(SourceKind::Yaml))
        .map(|(path, text)| (path, text.to_owned()))
        .collect()
}

/// Whether the chart in `dir` has a packed dependency (`charts/x-1.0.0.tgz`), itself or an
/// unpacked dependency of it.
pub fn has_packed_dependency(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir.join("charts")) else {
        return false;
    };
    entries.flatten().any(|entry| {
        let path = entry.path();
        if path.is_dir() {
            has_packed_dependency(&path)
        } else {
            path.extension().is_some_and(|e| e == "tgz")
        }
    })
}

/// Whether a text holds a Go template action (`{{`).
pub fn has_template_action(text: &[u8]) -> bool {
    text.windows(2).any(|pair| pair == b"{{")
}

/// Whether a YAML file is a chart's template: under a chart's `templates/` folder, with a
/// template action. (A file there without an action is what Helm renders it to.)
pub fn is_chart_template(path: &Path, text: &str) -> bool {
    has_template_action(text.as_bytes()) && chart_of(path).is_some()
}

/// Renders charts' templates for the engine, keeping each chart's rendering (per values set)
/// for its other template files while the files its loading read and the set's values files
/// are unchanged on disk.
#[derive(Default)]
pub struct HelmFrontEnd {
    /// Each chart's slot per values set: a template waits for the slot while another thread
    /// checks or renders that chart with that set, rather than rendering it too.
    charts: Mutex<HashMap<CacheKey, Arc<Mutex<Option<CachedChart>>>>>,
    /// How many runs over unchanging files are under way (see [`HelmFrontEnd::start_run`]).
    runs: AtomicUsize,
    /// The number of the latest such run.
    run: AtomicU64,
    /// The charts' templates parsed, by text: a chart rendered again (an editor's edit, another
    /// values set) parses only the templates whose text changed.
    parsed: Arc<ParseCache>,
    /// Outside runs, each chart as loaded, by folder, while the files its loading read are
    /// unchanged on disk: an editor's edit renders the chart again without reading it again.
    loaded: Mutex<HashMap<PathBuf, Arc<LoadedChart>>>,
}

/// A chart's files as read, and the stamps then of the paths reading read.
struct LoadedChart {
    files: chart::ChartFiles,
    inputs: Vec<(PathBuf, Stamp)>,
}

/// A cached rendering's key: the chart's folder and a hash of the values set.
type CacheKey = (PathBuf, u64);

/// A chart's rendering with a values set and what it was rendered from.
struct CachedChart {
    /// The paths loading read and the set's values files, and their stamps then.
    inputs: Vec<(PathBuf, Stamp)>,
    /// The run in which the inputs were last found unchanged (0: none).
    checked_in_run: u64,
    /// The rendering of the chart as it is on disk.
    output: Arc<ChartOutput>,
    /// The rendering with an editor's texts of its values and helper files (see
    /// [`editor_texts`]), and those texts: the chart's templates that are as on disk share it.
    in_editor: Option<(Vec<Option<String>>, Arc<ChartOutput>)>,
}

/// A file's or folder's size and modification time (`None` when it is absent).
type Stamp = Option<(u64, Option<SystemTime>)>;

/// The stamp of `path` now.
fn stamp(path: &Path) -> Stamp {
    std::fs::metadata(path)
        .ok()
        .map(|m| (m.len(), m.modified().ok()))
}

/// A run over files that do not change while it lasts, from [`HelmFrontEnd::start_run`]; it
/// ends when dropped.
pub struct UnchangingFiles<'a> {
    front_end: &'a HelmFrontEnd,
}

impl Drop for UnchangingFiles<'_> {
    fn drop(&mut self) {
        self.front_end.runs.fetch_sub(1, Ordering::SeqCst);
    }
}

/// How a chart's loaded files are changed before rendering: the file at the path is given the
/// text (an editor's) by the function (e.g. [`Chart::replace_template`]).
type Edit<'a> = (&'a Path, &'a str, fn(&mut Chart, &Path, &str) -> bool);

/// One values set's output of a template: the set's name and the chart's rendering.
struct SetOutput<'s> {
    name: &'s str,
    output: Arc<ChartOutput>,
}

impl HelmFrontEnd {
    /// A front end with an empty cache.
    pub fn new() -> HelmFrontEnd {
        HelmFrontEnd::default()
    }

    /// Starts a run over files that do not change while it lasts (`akslint check`): each
    /// chart's files are then checked once in the run (per values set), when its first template
    /// is parsed, not for every template. Outside runs (an editor's files change at any time),
    /// every template checks them.
    pub fn start_run(&self) -> UnchangingFiles<'_> {
        self.runs.fetch_add(1, Ordering::SeqCst);
        self.run.fetch_add(1, Ordering::SeqCst);
        UnchangingFiles { front_end: self }
    }

    /// Parses a chart's template file (see [`is_chart_template`]): its chart rendered with each
    /// values set of `sets` (the chart's `values.yaml` alone when `sets` is empty; with `file`'s
    /// text for this template, as an editor has it), the outputs read as YAML, one set's after
    /// the other, with [`ParsedFile::rendered`] mapping them back and naming each set's part
    /// ([`RenderedFile::values_sets`], when there are several). A template that does not render
    /// is a `PARSE010` problem where it failed, naming the sets it failed in when it renders in
    /// others.
    ///
    /// `on_disk` is where the template is on disk (its chart is read around it); the other files
    /// are named as `file` is (relative to the same folder when `file`'s path is relative).
    pub fn parse_template(
        &self,
        file: &SharedSource,
        on_disk: &Path,
        limits: &Limits,
        sets: &[ValuesSet],
        loader: &dyn SourceLoader,
    ) -> ParsedFile {
        let path = on_disk;
        let shown_base: Option<PathBuf> = on_disk
            .ancestors()
            .find(|base| base.join(file.path()) == on_disk)
            .map(Path::to_path_buf);
        let shown = |p: &Path| -> PathBuf {
            shown_base
                .as_deref()
                .and_then(|base| p.strip_prefix(base).ok())
                .map_or_else(|| p.to_path_buf(), Path::to_path_buf)
        };
        let Some(dir) = chart_of(path) else {
            return failed(
                Span::empty(0),
                "the template's chart (a folder with Chart.yaml above templates/) is not found"
                    .to_owned(),
            );
        };
        let default_set = [ValuesSet::default()];
        let sets = if sets.is_empty() { &default_set } else { sets };
        let mut outputs = Vec::new();
        let mut problems: Vec<(ParseProblem, &str)> = Vec::new();
        for set in sets {
            match self.output(
                &dir,
                (path, file.text(), Chart::replace_template),
                Some(path),
                set,
                loader,
            ) {
                Ok(output) => {
                    let failures = failure_problems(&output, path, &shown);
                    problems.extend(failures.into_iter().map(|p| (p, set.name.as_str())));
                    outputs.push(SetOutput {
                        name: &set.name,
                        output,
                    });
                }
                Err(message) => problems.push((
                    ParseProblem::new(
                        ParseProblemKind::Template,
                        Span::empty(0),
                        format!("Helm template: {message}"),
                    ),
                    set.name.as_str(),
                )),
            }
        }
        let problems = name_sets_of_problems(problems, sets.len());
        let rendered: Vec<&SetOutput<'_>> = outputs
            .iter()
            .filter(|o| o.output.template(path).is_some())
            .collect();
        if rendered.is_empty() {
            // Not deployed (a dependency switched off by its condition or tags), or failed:
            // nothing to lint but the failures.
            return ParsedFile {
                problems,
                ..ParsedFile::default()
            };
        }
        let mut combined = Combined::default();
        for set in &rendered {
            let start = combined.text.len();
            if start > 0 {
                if !combined.text.ends_with('\n') {
                    combined.text.push('\n');
                }
                combined.text.push_str("---\n");
            }
            combined.add(file, path, &set.output, &shown);
            if sets.len() > 1 {
                combined
                    .values_sets
                    .push((Span::new(start, combined.text.len()), set.name.to_owned()));
            }
        }
        let rendered_file: SharedSource = Arc::new(SourceFile::new(
            file.path(),
            SourceKind::Yaml,
            combined.text.as_str(),
        ));
        let mut parsed = akslint_yaml::parse(&rendered_file, limits);
        parsed.rendered = Some(Arc::new(RenderedFile {
            file: rendered_file,
            template: file.clone(),
            sources: combined.sources,
            segments: combined.segments,
            actions: combined.actions,
            placement: akslint_core::Placement::InTemplate,
            problems,
            notes: Vec::new(),
            values_sets: combined.values_sets,
        }));
        parsed
    }

    /// The schema violations placed in a values file of the chart in `dir` (its `values.yaml`,
    /// see [`chart_of_values`], or a values set's file) as `PARSE010` problems, the chart
    /// rendered with each of `sets` (its `values.yaml` alone when empty): those of the values
    /// written in this file, and, in the outermost chart's `values.yaml`, those of values
    /// written where no file of a walk reaches (inside a packed dependency, a `--values` file)
    /// and of values of `--set` items, naming where (`--set key=…`, never the value). A
    /// violation found with some of several sets names them. `file` has the text (as an editor
    /// has it); `on_disk` is where it is.
    pub fn values_problems(
        &self,
        file: &SharedSource,
        on_disk: &Path,
        dir: &Path,
        sets: &[ValuesSet],
        loader: &dyn SourceLoader,
    ) -> Vec<ParseProblem> {
        let default_set = [ValuesSet::default()];
        let sets = if sets.is_empty() { &default_set } else { sets };
        let outermost = same_file(&dir.join(chart::VALUES_FILE), on_disk);
        let mut problems = Vec::new();
        for set in sets {
            // (No template's output is needed: the schema check comes with every rendering.)
            let Ok(output) = self.output(
                dir,
                (on_disk, file.text(), Chart::replace_values),
                Some(on_disk),
                set,
                loader,
            ) else {
                continue;
            };
            for violation in &output.violations {
                // Written by a `--set` item: no file wrote it, whatever file wrote the map it
                // is in.
                if let Some(key) = set_key_at(&set.set, &violation.user_pointer()) {
                    if outermost {
                        let problem = schema_problem(
                            violation,
                            Span::empty(0),
                            &format!(" (at `--set {key}=…` on the command line)"),
                        );
                        problems.push((problem, set.name.as_str()));
                    }
                    continue;
                }
                let Some((written_in, text)) = output.file(violation.source.file) else {
                    continue;
                };
                let unreached = !written_in.is_file()
                    || (set.name == COMMAND_LINE_SET_NAME
                        && set.files.iter().any(|f| f == written_in));
                let (span, place) = if same_file(written_in, on_disk) {
                    (violation.source.span, String::new())
                } else if outermost && unreached {
                    let line = text[..(violation.source.span.start as usize).min(text.len())]
                        .matches('\n')
                        .count()
                        + 1;
                    // Inside the chart (an archive's file) from the chart; else (a `--values`
                    // file) from the current folder.
                    let cwd = std::env::current_dir().unwrap_or_default();
                    let shown = written_in
                        .strip_prefix(dir)
                        .or_else(|_| written_in.strip_prefix(&cwd))
                        .unwrap_or(written_in);
                    (Span::empty(0), format!(" (at {}:{line})", shown.display()))
                } else {
                    continue;
                };
                let problem = schema_problem(violation, span, &place);
                problems.push((problem, set.name.as_str()));
            }
        }
        name_sets_of_problems(problems, sets.len())
    }

    /// The rendering of the chart in `dir` with a values set, with `edit`'s text for its file
    /// (changed by `edit`'s function): the cached rendering while the files its loading read
    /// and the set's values files are unchanged, the text is the file's own and the editor has
    /// no other text of its values and helper files. A rendering that is not kept renders the
    /// template at `wanted` alone (see [`chart::render_parsed_by`]).
    fn output(
        &self,
        dir: &Path,
        edit: Edit<'_>,
        wanted: Option<&Path>,
        set: &ValuesSet,
        loader: &dyn SourceLoader,
    ) -> Result<Arc<ChartOutput>, String> {
        let (edited, text, _) = edit;
        // The edit rendered by itself, uncached: when a lock is poisoned, or the edited file
        // differs from the cached chart's.
        let alone = || {
            self.render(dir, Some(edit), set, loader, wanted)
                .map(|(output, ..)| Arc::new(output))
        };
        let key = (dir.to_path_buf(), {
            let mut hasher = DefaultHasher::new();
            set.hash(&mut hasher);
            hasher.finish()
        });
        let slot = {
            let Ok(mut charts) = self.charts.lock() else {
                return alone();
            };
            if charts.len() >= MAX_CACHED_CHARTS && !charts.contains_key(&key) {
                charts.clear();
            }
            charts.entry(key).or_default().clone()
        };
        let Ok(mut cached) = slot.lock() else {
            return alone();
        };
        let run = match self.runs.load(Ordering::SeqCst) {
            0 => 0,
            _ => self.run.load(Ordering::SeqCst),
        };
        let fresh = cached.as_mut().is_some_and(|chart| {
            let unchanged = (run != 0 && chart.checked_in_run == run)
                || chart.inputs.iter().all(|(path, then)| stamp(path) == *then);
            if unchanged {
                chart.checked_in_run = run;
            }
            unchanged
        });
        if let Some(chart) = cached.as_mut().filter(|_| fresh) {
            let as_on_disk = match chart.output.file_text(edited) {
                Some(read) => read == text,
                None => std::fs::read_to_string(edited).is_ok_and(|disk| disk == text),
            };
            if as_on_disk {
                let texts = editor_texts(&chart.output, set, loader);
                if texts.iter().all(Option::is_none) {
                    return Ok(chart.output.clone());
                }
                if let Some((kept, output)) = &chart.in_editor
                    && *kept == texts
                {
                    return Ok(output.clone());
                }
                // Rendered whole once for the chart's templates (the others wait for it).
                let (output, ..) = self.render(dir, None, set, loader, None)?;
                let output = Arc::new(output);
                chart.in_editor = Some((texts, output.clone()));
                return Ok(output);
            }
            drop(cached);
            return alone();
        }
        *cached = None;
        // A file inside a packed dependency is given as the archive holds it (no editor edits
        // one).
        let on_disk = packed_chart_of(edited).is_some_and(|archive| archive != edited)
            || std::fs::read_to_string(edited).is_ok_and(|disk| disk == text);
        let (output, read, edited) =
            self.render(dir, (!on_disk).then_some(edit), set, loader, wanted)?;
        let output = Arc::new(output);
        if on_disk && !edited {
            *cached = Some(CachedChart {
                inputs: read
                    .into_iter()
                    .chain(set.files.iter().cloned())
                    .map(|path| {
                        let then = stamp(&path);
                        (path, then)
                    })
                    .collect(),
                checked_in_run: run,
                output: output.clone(),
                in_editor: None,
            });
        }
        Ok(output)
    }
}

impl HelmFrontEnd {
    /// The chart in `dir` loaded (its values and helper files as the editor has them, then
    /// changed by `edit`) and rendered with a values set; the paths loading read, and whether
    /// the editor changed one of those files. A rendering that is not the chart's as on disk
    /// (which is kept) renders the template at `wanted` alone.
    fn render(
        &self,
        dir: &Path,
        edit: Option<Edit<'_>>,
        set: &ValuesSet,
        loader: &dyn SourceLoader,
        wanted: Option<&Path>,
    ) -> Result<(ChartOutput, Vec<PathBuf>, bool), String> {
        let mut loaded = self.load(dir).map_err(|e| {
            format!(
                "the chart does not load: {}: {}",
                e.path.display(),
                e.message
            )
        })?;
        let mut edited = loaded.replace_edited(&|path| loader.edited_text(path));
        if let Some((path, text, edit)) = edit {
            edit(&mut loaded, path, text);
        }
        let values = set.values(&|path| loader.edited_text(path))?;
        edited |= values.edited;
        let only = wanted.filter(|_| edit.is_some() || edited);
        let files: Vec<(PathBuf, &str)> = values
            .files
            .iter()
            .map(|(path, text)| (path.clone(), text.as_str()))
            .collect();
        let renderer = Renderer::with_cache(self.parsed.clone());
        let output = render_chart_parsed_by(
            renderer,
            &loaded,
            &set.release,
            &files,
            values.overrides,
            only,
        );
        Ok((output, std::mem::take(&mut loaded.read), edited))
    }

    /// The chart in `dir` as on disk: outside runs, made from the files kept while the paths
    /// reading them read are unchanged (else read, and kept).
    fn load(&self, dir: &Path) -> Result<Chart, chart::ChartError> {
        if self.runs.load(Ordering::SeqCst) > 0 {
            return chart::load(dir);
        }
        let kept = self.loaded.lock().ok().and_then(|l| l.get(dir).cloned());
        if let Some(kept) = kept
            && kept.inputs.iter().all(|(path, then)| stamp(path) == *then)
        {
            return kept.files.clone().assemble();
        }
        let files = chart::read_files(dir);
        let inputs = files
            .read
            .iter()
            .map(|path| (path.clone(), stamp(path)))
            .collect();
        if let Ok(mut loaded) = self.loaded.lock() {
            if loaded.len() >= MAX_CACHED_CHARTS && !loaded.contains_key(dir) {
                loaded.clear();
            }
            let kept = LoadedChart {
                files: files.clone(),
                inputs,
            };
            loaded.insert(dir.to_path_buf(), Arc::new(kept));
        }
        files.assemble()
    }
}

/// The rendered texts of a template's values sets, one after the other, and where their bytes
/// came from.
#[derive(Default)]
struct Combined {
    text: String,
    sources: Vec<SharedSource>,
    segments: Vec<RenderedSegment>,
    actions: Vec<RenderedSegment>,
    values_sets: Vec<(Span, String)>,
}

impl Combined {
    /// Appends the template's output of one set (at `path`; `file` is the template as the
    /// engine has it), the files its bytes came from made source files once per rendering
    /// (shared by the chart's templates) and once in `sources`.
    fn add(
        &mut self,
        file: &SharedSource,
        path: &Path,
        output: &ChartOutput,
        shown: &dyn Fn(&Path) -> PathBuf,
    ) {
        let Some(template) = output.template(path) else {
            return;
        };
        // (Values computed from `Chart.yaml` or `--set` have no file here.)
        let known = |s: &&Segment| s.source.file < output.files.len();
        let mut used: Vec<usize> = template
            .segments
            .iter()
            .chain(&template.actions)
            .filter(known)
            .map(|s| s.source.file)
            .collect();
        used.sort_unstable();
        used.dedup();
        let indexes: Vec<(usize, usize)> = used
            .iter()
            .map(|&index| {
                let (source_path, text) = &output.files[index];
                let source = if source_path == path {
                    file.clone()
                } else {
                    output.sources[index]
                        .get_or_init(|| {
                            Arc::new(SourceFile::new(
                                shown(source_path),
                                SourceKind::Yaml,
                                text.as_ref(),
                            ))
                        })
                        .clone()
                };
                let at = match self.sources.iter().position(|s| {
                    Arc::ptr_eq(s, &source)
                        || (s.path() == source.path() && s.text() == source.text())
                }) {
                    Some(at) => at,
                    None => {
                        self.sources.push(source);
                        self.sources.len() - 1
                    }
                };
                (index, at)
            })
            .collect();
        let offset = self.text.len();
        let compact = |segments: &[Segment]| -> Vec<RenderedSegment> {
            segments
                .iter()
                .filter(known)
                .map(|s| RenderedSegment {
                    rendered: Span::new(offset + s.start as usize, offset + s.end as usize),
                    source: indexes
                        .iter()
                        .find(|(index, _)| *index == s.source.file)
                        .map_or(0, |(_, at)| *at),
                    span: s.source.span,
                })
                .collect()
        };
        self.segments.extend(compact(&template.segments));
        self.actions.extend(compact(&template.actions));
        self.text.push_str(&template.text);
    }
}

/// The `PARSE010` problems of the template at `path` in a chart's rendering.
fn failure_problems(
    output: &ChartOutput,
    path: &Path,
    shown: &dyn Fn(&Path) -> PathBuf,
) -> Vec<ParseProblem> {
    let mut problems = Vec::new();
    for failure in output.failures_of(path) {
        let (span, place) = match output.file(failure.source.file) {
            Some((failed_in, _)) if failed_in == path => (failure.source.span, String::new()),
            Some((failed_in, text)) => {
                let line = text[..(failure.source.span.start as usize).min(text.len())]
                    .matches('\n')
                    .count()
                    + 1;
                (
                    Span::empty(0),
                    format!(" (at {}:{line})", shown(failed_in).display()),
                )
            }
            None => (Span::empty(0), String::new()),
        };
        let message = match failure.kind {
            RenderErrorKind::Refused => {
                format!(
                    "Helm template: the chart refuses to render: {}{place}",
                    failure.message
                )
            }
            RenderErrorKind::Invalid | RenderErrorKind::Unsupported => {
                format!("Helm template: {}{place}", failure.message)
            }
        };
        let help = match failure.kind {
            RenderErrorKind::Refused => {
                "the chart refuses its values here (`required` or `fail`): set the value it asks for in values.yaml"
            }
            RenderErrorKind::Invalid => {
                "Helm stops at this action too: fix the template or the values it reads"
            }
            RenderErrorKind::Unsupported => {
                "akslint does not render this yet; lint `helm template` output meanwhile"
            }
        };
        problems.push(ParseProblem::new(ParseProblemKind::Template, span, message).with_help(help));
    }
    problems
}

/// The `PARSE010` problem of a schema violation, at `span` of the values file it is reported
/// in, `place` naming where the value was written when elsewhere.
fn schema_problem(violation: &SchemaViolation, span: Span, place: &str) -> ParseProblem {
    ParseProblem::new(
        ParseProblemKind::Template,
        span,
        format!("Helm values: {}{place}", violation.helm_message()),
    )
    .with_help(
        "Helm refuses these values at install (`helm template` too): give the value the chart's values.schema.json asks for",
    )
}

/// Whether two paths name the same file (as given, else once resolved).
fn same_file(a: &Path, b: &Path) -> bool {
    a == b
        || std::fs::canonicalize(a)
            .ok()
            .is_some_and(|a| std::fs::canonicalize(b).is_ok_and(|b| a == b))
}

/// The problems of every set, each once, naming the sets it was found in when there are several
/// (`count`).
fn name_sets_of_problems(found: Vec<(ParseProblem, &str)>, count: usize) -> Vec<ParseProblem> {
    let mut merged: Vec<(ParseProblem, Vec<&str>)> = Vec::new();
    for (problem, set) in found {
        match merged
            .iter_mut()
            .find(|(p, _)| p.span == problem.span && p.message == problem.message)
        {
            Some((_, sets)) => sets.push(set),
            None => merged.push((problem, vec![set])),
        }
    }
    merged
        .into_iter()
        .map(|(mut problem, sets)| {
            if count > 1 {
                problem.message = format!("{} {}", problem.message, in_values_sets(&sets));
            }
            problem
        })
        .collect()
}

/// "(values set `prod`)", "(values sets `a` and `b`)": the sets a finding was found in.
pub fn in_values_sets(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        _ => format!("({})", values_sets_named(names)),
    }
}

/// "values set `prod`", "values sets `a` and `b`": the sets named in words.
pub fn values_sets_named(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => format!("values set {last}"),
        Some((last, rest)) => format!("values sets {} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// The texts an editor has of the values and helper files ([`chart::is_helper`]) of a
/// rendering with `set` (a chart's `values.yaml`, the set's values files), in its files'
/// order: each where it differs from what was read, else `None`. (What a rendering with the
/// editor's texts is made from; a template edited in the editor is rendered with its own text,
/// the others' renderings stay cached.)
fn editor_texts(
    output: &ChartOutput,
    set: &ValuesSet,
    loader: &dyn SourceLoader,
) -> Vec<Option<String>> {
    let edited = |path: &Path| {
        path.file_name().is_some_and(|n| n == chart::VALUES_FILE)
            || chart::is_helper(path)
            || set.files.iter().any(|file| file == path)
    };
    output
        .files
        .iter()
        .filter(|(path, _)| edited(path))
        .map(|(path, text)| {
            loader
                .edited_text(path)
                .filter(|edited| edited != text.as_ref())
        })
        .collect()
}

/// A parse that is one `PARSE010` problem.
fn failed(span: Span, message: String) -> ParsedFile {
    let mut parsed = ParsedFile::default();
    parsed.problems.push(ParseProblem::new(
        ParseProblemKind::Template,
        span,
        format!("Helm template: {message}"),
    ));
    parsed
}
