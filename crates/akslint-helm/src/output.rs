//! A chart's rendering as plain data that threads can share: every template's text with the
//! provenance of its bytes, the files that provenance points into, and the failures.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::chart::schema::SchemaViolation;
use crate::chart::{self, Chart, ChartError, Release};
use crate::render::text::{Segment, Source, sources_in};
use crate::render::value::Value;
use crate::render::{RenderErrorKind, Renderer};

/// What rendering a chart gave.
#[derive(Debug)]
pub struct ChartOutput {
    /// The chart's folder.
    pub dir: PathBuf,
    /// The files sources point into (templates and values files), by index: path and text.
    pub files: Vec<(PathBuf, Arc<str>)>,
    /// The same files as source files, made once when a finding needs them (see
    /// [`crate::HelmFrontEnd`]).
    pub sources: Vec<std::sync::OnceLock<akslint_core::SharedSource>>,
    /// The templates that rendered.
    pub templates: Vec<TemplateOutput>,
    /// The templates that did not.
    pub failures: Vec<TemplateFailure>,
    /// Where the values do not meet a chart's `values.schema.json` (sources index
    /// [`ChartOutput::files`]).
    pub violations: Vec<SchemaViolation>,
    /// The index in `templates` of each template's path (every template of the chart looks
    /// itself up in the rendering).
    by_path: HashMap<PathBuf, usize>,
}

/// One template's output.
#[derive(Debug)]
pub struct TemplateOutput {
    /// Helm's name for it (`chart/templates/x.yaml`).
    pub name: String,
    /// Its file.
    pub path: PathBuf,
    /// What it rendered to.
    pub text: String,
    /// Where the bytes of `text` came from (indexes into [`ChartOutput::files`]).
    pub segments: Vec<Segment>,
    /// The ranges of `text` that the template's own actions wrote, with each action's span.
    pub actions: Vec<Segment>,
}

impl TemplateOutput {
    /// Where the bytes `range` of the output came from.
    pub fn sources_in(&self, range: Range<usize>) -> Vec<Source> {
        sources_in(&self.segments, range)
    }
}

/// A template that did not render: where, and why.
#[derive(Debug)]
pub struct TemplateFailure {
    /// Helm's name for the template.
    pub name: String,
    /// The template's file.
    pub path: PathBuf,
    /// Where the failure is: a file index into [`ChartOutput::files`] and a span.
    pub source: Source,
    /// What happened.
    pub message: String,
    /// What kind of failure.
    pub kind: RenderErrorKind,
}

impl ChartOutput {
    /// The output of the template file at `path`, if it rendered.
    pub fn template(&self, path: &Path) -> Option<&TemplateOutput> {
        self.by_path.get(path).map(|&at| &self.templates[at])
    }

    /// The failures of the template file at `path`.
    pub fn failures_of(&self, path: &Path) -> Vec<&TemplateFailure> {
        self.failures.iter().filter(|f| f.path == path).collect()
    }

    /// The path and text of a file sources point into.
    pub fn file(&self, index: usize) -> Option<(&Path, &str)> {
        self.files
            .get(index)
            .map(|(p, t)| (p.as_path(), t.as_ref()))
    }
}

/// Renders the chart in `dir` with its own values for `release`.
pub fn render_dir(dir: &Path, release: &Release) -> Result<ChartOutput, ChartError> {
    Ok(render_chart(&chart::load(dir)?, release))
}

/// Renders a loaded chart with its own values for `release`.
pub fn render_chart(loaded: &Chart, release: &Release) -> ChartOutput {
    output_of(loaded, chart::render(loaded, None, release))
}

/// Renders a loaded chart for `release` with `overrides` over its values, the overrides'
/// origins pointing into `files` (the first files of the output, in order; see
/// [`chart::render_over_files`]).
pub fn render_chart_over(
    loaded: &Chart,
    release: &Release,
    files: &[(PathBuf, &str)],
    overrides: Option<Value>,
) -> ChartOutput {
    render_chart_parsed_by(Renderer::new(), loaded, release, files, overrides, None)
}

/// [`render_chart_over`] with `renderer` (empty), of the template at `only` alone when given
/// (see [`chart::render_parsed_by`]).
pub fn render_chart_parsed_by(
    renderer: Renderer,
    loaded: &Chart,
    release: &Release,
    files: &[(PathBuf, &str)],
    overrides: Option<Value>,
    only: Option<&Path>,
) -> ChartOutput {
    output_of(
        loaded,
        chart::render_parsed_by(renderer, loaded, files, overrides, release, only),
    )
}

/// A rendering as plain data.
fn output_of(loaded: &Chart, rendered: chart::RenderedChart) -> ChartOutput {
    // Files the renderer made for `tpl` strings have no path: their sources are mapped back to
    // the strings' own sources.
    let files = (0..rendered.renderer.file_count())
        .map(|i| {
            let path = rendered.paths.get(i).cloned().unwrap_or_default();
            (path, rendered.renderer.shared_file_text(i))
        })
        .collect();
    let templates = rendered
        .manifests
        .iter()
        .map(|m| TemplateOutput {
            name: m.name.clone(),
            path: m.path.clone(),
            text: m.text.as_str().to_owned(),
            segments: m.text.segments().to_vec(),
            actions: m.actions.clone(),
        })
        .collect();
    let failures = rendered
        .errors
        .iter()
        .map(|(name, path, error)| TemplateFailure {
            name: name.clone(),
            path: path.clone(),
            source: error.source,
            message: error.message.clone(),
            kind: error.kind,
        })
        .collect();
    let files: Vec<(PathBuf, Arc<str>)> = files;
    let templates: Vec<TemplateOutput> = templates;
    let mut by_path = HashMap::new();
    for (at, template) in templates.iter().enumerate() {
        by_path.entry(template.path.clone()).or_insert(at);
    }
    ChartOutput {
        by_path,
        dir: loaded.dir.clone(),
        sources: files.iter().map(|_| std::sync::OnceLock::new()).collect(),
        files,
        templates,
        failures,
        violations: rendered.violations.clone(),
    }
}
