//! What the engine needs of a Helm chart's template file: the template rendered with its chart
//! (its values, helpers and dependencies), the output read as YAML, and where each rendered
//! byte came from, so that the Kubernetes rules run on what Helm would deploy and every finding
//! is placed in the template (and the values file) that wrote it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use akslint_core::{
    Limits, ParseProblem, ParseProblemKind, ParsedFile, RenderedFile, RenderedSegment,
    SharedSource, SourceFile, SourceKind, Span,
};

use crate::chart::{self, Release};
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
/// template files while the files its loading read are unchanged on disk.
#[derive(Default)]
pub struct HelmFrontEnd {
    /// Each chart's slot, by folder: a template waits for its chart's slot while another thread
    /// checks or renders that chart, rather than rendering it too.
    charts: Mutex<HashMap<PathBuf, Arc<Mutex<Option<CachedChart>>>>>,
    /// How many runs over unchanging files are under way (see [`HelmFrontEnd::start_run`]).
    runs: AtomicUsize,
    /// The number of the latest such run.
    run: AtomicU64,
}

/// A chart's rendering and what it was rendered from.
struct CachedChart {
    /// The paths loading read, and their stamps then.
    inputs: Vec<(PathBuf, Stamp)>,
    /// The run in which the inputs were last found unchanged (0: none).
    checked_in_run: u64,
    /// The rendering of the chart as it is on disk.
    output: Arc<ChartOutput>,
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

impl HelmFrontEnd {
    /// A front end with an empty cache.
    pub fn new() -> HelmFrontEnd {
        HelmFrontEnd::default()
    }

    /// Starts a run over files that do not change while it lasts (`akslint check`): each
    /// chart's files are then checked once in the run, when its first template is parsed, not
    /// for every template. Outside runs (an editor's files change at any time), every template
    /// checks them.
    pub fn start_run(&self) -> UnchangingFiles<'_> {
        self.runs.fetch_add(1, Ordering::SeqCst);
        self.run.fetch_add(1, Ordering::SeqCst);
        UnchangingFiles { front_end: self }
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
        let output = match self.output(&dir, path, file.text()) {
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

    /// The rendering of the chart in `dir`, with `text` for its template file `template`: the
    /// cached rendering while the chart's files are unchanged and `text` is the template's own.
    fn output(&self, dir: &Path, template: &Path, text: &str) -> Result<Arc<ChartOutput>, String> {
        let slot = {
            let Ok(mut charts) = self.charts.lock() else {
                return render(dir, Some((template, text)));
            };
            if charts.len() >= MAX_CACHED_CHARTS && !charts.contains_key(dir) {
                charts.clear();
            }
            charts.entry(dir.to_path_buf()).or_default().clone()
        };
        let Ok(mut cached) = slot.lock() else {
            return render(dir, Some((template, text)));
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
        if !fresh {
            *cached = None;
            let (output, read) = load_and_render(dir, None)?;
            *cached = Some(CachedChart {
                inputs: read
                    .into_iter()
                    .map(|path| {
                        let then = stamp(&path);
                        (path, then)
                    })
                    .collect(),
                checked_in_run: run,
                output: Arc::new(output),
            });
        }
        let Some(chart) = cached.as_ref() else {
            return render(dir, Some((template, text)));
        };
        let as_on_disk = match chart.output.files.iter().find(|(path, _)| path == template) {
            Some((_, rendered)) => rendered.as_ref() == text,
            None => std::fs::read_to_string(template).is_ok_and(|disk| disk == text),
        };
        if as_on_disk {
            return Ok(chart.output.clone());
        }
        drop(cached);
        render(dir, Some((template, text)))
    }
}

/// The chart in `dir` loaded and rendered, with `edited`'s text for its template file.
fn render(dir: &Path, edited: Option<(&Path, &str)>) -> Result<Arc<ChartOutput>, String> {
    load_and_render(dir, edited).map(|(output, _)| Arc::new(output))
}

/// The chart in `dir` loaded and rendered (with `edited`'s text for its template file), and the
/// paths loading read.
fn load_and_render(
    dir: &Path,
    edited: Option<(&Path, &str)>,
) -> Result<(ChartOutput, Vec<PathBuf>), String> {
    let mut loaded = chart::load(dir).map_err(|e| {
        format!(
            "the chart does not load: {}: {}",
            e.path.display(),
            e.message
        )
    })?;
    if let Some((template, text)) = edited {
        loaded.replace_template(template, text);
    }
    let output = render_chart(&loaded, &Release::default());
    Ok((output, std::mem::take(&mut loaded.read)))
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
