//! What the engine needs of a Helm chart's template file: the template rendered with its chart
//! (its values, helpers and dependencies), the output read as YAML, and where each rendered
//! byte came from, so that the Kubernetes rules run on what Helm would deploy and every finding
//! is placed in the template (and the values file) that wrote it.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use akslint_core::{
    Limits, ParseProblem, ParseProblemKind, ParsedFile, RenderedFile, RenderedSegment,
    SharedSource, SourceFile, SourceKind, SourceLoader, Span,
};

use crate::chart::{self, Chart};
use crate::output::{ChartOutput, render_chart_over};
use crate::render::RenderErrorKind;
use crate::render::text::Segment;
use crate::values_set::ValuesSet;

/// Most rendered charts kept between files of a run.
const MAX_CACHED_CHARTS: usize = 64;

/// The chart that renders the template at `path`: the folder holding `Chart.yaml` above the
/// `templates` folder the file is in (at any depth below it), or, for a dependency unpacked
/// under a parent's `charts/`, the outermost parent (Helm renders a dependency with its parent's
/// values).
pub fn chart_of(path: &Path) -> Option<PathBuf> {
    let mut chart = path
        .ancestors()
        .skip(1)
        .find(|dir| dir.file_name().is_some_and(|name| name == "templates"))?
        .parent()?;
    if !chart.join("Chart.yaml").is_file() {
        return None;
    }
    while let Some(charts) = chart.parent()
        && charts.file_name().is_some_and(|name| name == "charts")
        && let Some(parent) = charts.parent()
        && parent.join("Chart.yaml").is_file()
    {
        chart = parent;
    }
    Some(chart.to_path_buf())
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
/// for its other template files while the chart's files and the set's values files are
/// unchanged on disk.
#[derive(Default)]
pub struct HelmFrontEnd {
    cache: Mutex<HashMap<CacheKey, (u64, Arc<ChartOutput>)>>,
}

/// A cached rendering's key: the chart's folder and a hash of the values set.
type CacheKey = (PathBuf, u64);

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
                path,
                file.text(),
                Chart::replace_template,
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

    /// The schema violations placed in a chart's `values.yaml` (see [`chart_of_values`]) as
    /// `PARSE010` problems: those of the values written in this file, and, in the outermost
    /// chart's `values.yaml`, those of values written inside a packed dependency (`.tgz`).
    /// `file` has the text (as an editor has it); `on_disk` is where it is.
    pub fn values_problems(
        &self,
        file: &SharedSource,
        on_disk: &Path,
        loader: &dyn SourceLoader,
    ) -> Vec<ParseProblem> {
        let Some(dir) = chart_of_values(on_disk) else {
            return Vec::new();
        };
        let Ok(output) = self.output(
            &dir,
            on_disk,
            file.text(),
            Chart::replace_values,
            &ValuesSet::default(),
            loader,
        ) else {
            return Vec::new();
        };
        let outermost = dir.join("values.yaml") == on_disk;
        let mut problems = Vec::new();
        for violation in &output.violations {
            let Some((written_in, text)) = output.file(violation.source.file) else {
                continue;
            };
            let (span, place) = if written_in == on_disk {
                (violation.source.span, String::new())
            } else if outermost && !written_in.is_file() {
                let line = text[..(violation.source.span.start as usize).min(text.len())]
                    .matches('\n')
                    .count()
                    + 1;
                let shown = written_in.strip_prefix(&dir).unwrap_or(written_in);
                (Span::empty(0), format!(" (at {}:{line})", shown.display()))
            } else {
                continue;
            };
            problems.push(
                ParseProblem::new(
                    ParseProblemKind::Template,
                    span,
                    format!("Helm values: {}{place}", violation.helm_message()),
                )
                .with_help(
                    "Helm refuses these values at install (`helm template` too): give the value the chart's values.schema.json asks for",
                ),
            );
        }
        problems
    }

    /// The rendering of the chart in `dir` with a values set, from the cache while the chart's
    /// files and the set's values files are unchanged and the template's text is the one on
    /// disk.
    fn output(
        &self,
        dir: &Path,
        edited: &Path,
        text: &str,
        edit: fn(&mut Chart, &Path, &str) -> bool,
        set: &ValuesSet,
        loader: &dyn SourceLoader,
    ) -> Result<Arc<ChartOutput>, String> {
        let mut stamp_hasher = DefaultHasher::new();
        fingerprint(dir).hash(&mut stamp_hasher);
        for values_file in &set.files {
            stamp_of(values_file).hash(&mut stamp_hasher);
        }
        let stamp = stamp_hasher.finish();
        let key = (dir.to_path_buf(), {
            let mut hasher = DefaultHasher::new();
            set.hash(&mut hasher);
            hasher.finish()
        });
        let on_disk = std::fs::read_to_string(edited).is_ok_and(|disk| disk == text);
        if on_disk
            && let Some((cached_stamp, output)) =
                self.cache.lock().ok().and_then(|c| c.get(&key).cloned())
            && cached_stamp == stamp
            && !values_edited(&output, loader)
        {
            return Ok(output);
        }
        let mut loaded = chart::load(dir).map_err(|e| {
            format!(
                "the chart does not load: {}: {}",
                e.path.display(),
                e.message
            )
        })?;
        if !on_disk {
            edit(&mut loaded, edited, text);
        }
        let values_edited = loaded.replace_edited_values(&|path| loader.edited_text(path));
        let values = set.values()?;
        let files: Vec<(PathBuf, &str)> = values
            .files
            .iter()
            .map(|(path, text)| (path.clone(), text.as_str()))
            .collect();
        let output = Arc::new(render_chart_over(
            &loaded,
            &set.release,
            &files,
            values.overrides,
        ));
        if on_disk
            && !values_edited
            && let Ok(mut cache) = self.cache.lock()
        {
            if cache.len() >= MAX_CACHED_CHARTS {
                cache.clear();
            }
            cache.insert(key, (stamp, output.clone()));
        }
        Ok(output)
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

/// The problems of every set, each once: one found in some of the `count` sets (not all) names
/// them.
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
            if count > 1 && sets.len() < count {
                problem.message = format!("{} {}", problem.message, in_values_sets(&sets));
            }
            problem
        })
        .collect()
}

/// "(values set `prod`)", "(values sets `a` and `b`)": the sets a finding was found in.
pub fn in_values_sets(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => format!("(values set {last})"),
        Some((last, rest)) => format!("(values sets {} and {last})", rest.join(", ")),
        None => String::new(),
    }
}

/// A file's size and modification time, for a cache stamp.
fn stamp_of(path: &Path) -> Option<(u64, Option<std::time::Duration>)> {
    let metadata = std::fs::metadata(path).ok()?;
    Some((
        metadata.len(),
        metadata
            .modified()
            .ok()
            .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok()),
    ))
}

/// Whether an editor has a values file of a rendering otherwise than it was read.
fn values_edited(output: &ChartOutput, loader: &dyn SourceLoader) -> bool {
    output
        .files
        .iter()
        .filter(|(path, _)| path.file_name().is_some_and(|n| n == chart::VALUES_FILE))
        .any(|(path, text)| {
            loader
                .edited_text(path)
                .is_some_and(|edited| edited != text.as_ref())
        })
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

/// A fingerprint of a chart's files: their paths, sizes and modification times.
fn fingerprint(dir: &Path) -> u64 {
    fn walk(dir: &Path, hasher: &mut DefaultHasher, budget: &mut usize) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(|e| e.path());
        for entry in entries {
            if *budget == 0 {
                return;
            }
            *budget -= 1;
            let path = entry.path();
            path.hash(hasher);
            if let Ok(metadata) = entry.metadata() {
                metadata.len().hash(hasher);
                metadata
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
                    .hash(hasher);
                if metadata.is_dir() {
                    walk(&path, hasher, budget);
                }
            }
        }
    }
    let mut hasher = DefaultHasher::new();
    let mut budget = 20_000;
    walk(dir, &mut hasher, &mut budget);
    hasher.finish()
}
