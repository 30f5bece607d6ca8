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
    SharedSource, SourceFile, SourceKind, Span,
};

use crate::chart::{self, Chart, Release};
use crate::output::{ChartOutput, render_chart};
use crate::render::RenderErrorKind;
use crate::render::text::Segment;

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

/// Renders charts' templates for the engine, keeping each chart's rendering for its other
/// template files while the chart's files are unchanged on disk.
#[derive(Default)]
pub struct HelmFrontEnd {
    cache: Mutex<HashMap<PathBuf, (u64, Arc<ChartOutput>)>>,
}

impl HelmFrontEnd {
    /// A front end with an empty cache.
    pub fn new() -> HelmFrontEnd {
        HelmFrontEnd::default()
    }

    /// Parses a chart's template file (see [`is_chart_template`]): its chart rendered (with
    /// `file`'s text for this template, as an editor has it), this template's output read as
    /// YAML with [`ParsedFile::rendered`] mapping it back. A template that does not render is a
    /// `PARSE010` problem where it failed.
    ///
    /// `on_disk` is where the template is on disk (its chart is read around it); the other files
    /// are named as `file` is (relative to the same folder when `file`'s path is relative).
    pub fn parse_template(
        &self,
        file: &SharedSource,
        on_disk: &Path,
        limits: &Limits,
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
        let output = match self.output(&dir, path, file.text(), Chart::replace_template) {
            Ok(output) => output,
            Err(message) => return failed(Span::empty(0), message),
        };
        let Some(template) = output.template(path) else {
            // Not deployed (a dependency switched off by its condition or tags): nothing to lint.
            let mut parsed = ParsedFile::default();
            for failure in output.failures_of(path) {
                let (span, place) = match output.file(failure.source.file) {
                    Some((failed_in, _)) if failed_in == path => {
                        (failure.source.span, String::new())
                    }
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
                parsed.problems.push(
                    ParseProblem::new(ParseProblemKind::Template, span, message).with_help(help),
                );
            }
            return parsed;
        };
        // The files this template's output came from, each made a source file once per
        // rendering of the chart (shared by its templates); the template is `file` itself.
        // (Values computed from `Chart.yaml` or a user's values file have no file here.)
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
        let sources: Vec<SharedSource> = used
            .iter()
            .map(|&index| {
                let (source_path, text) = &output.files[index];
                if source_path == path {
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
                }
            })
            .collect();
        let compact = |segments: &[Segment]| -> Vec<RenderedSegment> {
            segments
                .iter()
                .filter(known)
                .map(|s| RenderedSegment {
                    rendered: Span::new(s.start as usize, s.end as usize),
                    source: used.binary_search(&s.source.file).unwrap_or_default(),
                    span: s.source.span,
                })
                .collect()
        };
        let rendered_file: SharedSource = Arc::new(SourceFile::new(
            file.path(),
            SourceKind::Yaml,
            template.text.as_str(),
        ));
        let segments = compact(&template.segments);
        let actions = compact(&template.actions);
        let mut parsed = akslint_yaml::parse(&rendered_file, limits);
        parsed.rendered = Some(Arc::new(RenderedFile {
            file: rendered_file,
            template: file.clone(),
            sources,
            segments,
            actions,
            placement: akslint_core::Placement::InTemplate,
            problems: Vec::new(),
            notes: Vec::new(),
        }));
        parsed
    }

    /// The schema violations placed in a chart's `values.yaml` (see [`chart_of_values`]) as
    /// `PARSE010` problems: those of the values written in this file, and, in the outermost
    /// chart's `values.yaml`, those of values written inside a packed dependency (`.tgz`).
    /// `file` has the text (as an editor has it); `on_disk` is where it is.
    pub fn values_problems(&self, file: &SharedSource, on_disk: &Path) -> Vec<ParseProblem> {
        let Some(dir) = chart_of_values(on_disk) else {
            return Vec::new();
        };
        let Ok(output) = self.output(&dir, on_disk, file.text(), Chart::replace_values) else {
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

    /// The rendering of the chart in `dir`, from the cache while its files are unchanged and
    /// `edited`'s text is the one on disk (else `edit` puts that text in the loaded chart).
    fn output(
        &self,
        dir: &Path,
        edited: &Path,
        text: &str,
        edit: fn(&mut Chart, &Path, &str) -> bool,
    ) -> Result<Arc<ChartOutput>, String> {
        let stamp = fingerprint(dir);
        let on_disk = std::fs::read_to_string(edited).is_ok_and(|disk| disk == text);
        if on_disk
            && let Some((cached_stamp, output)) =
                self.cache.lock().ok().and_then(|c| c.get(dir).cloned())
            && cached_stamp == stamp
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
        let output = Arc::new(render_chart(&loaded, &Release::default()));
        if on_disk && let Ok(mut cache) = self.cache.lock() {
            if cache.len() >= MAX_CACHED_CHARTS {
                cache.clear();
            }
            cache.insert(dir.to_path_buf(), (stamp, output.clone()));
        }
        Ok(output)
    }
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
