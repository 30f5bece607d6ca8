//! akslint's Helm front end (in progress): chart sources read as Helm reads them.
//!
//! - [`template`]: Go `text/template` syntax, as Helm uses it, parsed with exact byte spans
//!   (text, actions with their whitespace trimming, pipelines, `if`/`else if`/`with`/`range`/
//!   `define`/`template`/`block`/`break`/`continue`, comments), so that every byte a renderer
//!   writes can be traced to the template span that wrote it.
//! - [`chart`]: charts read from their folders (dependencies under `charts/`, values coalesced,
//!   `condition`/`tags`) and rendered as `helm template` renders them.
//! - [`HelmFrontEnd`]: what the engine needs of a chart's template file: the chart rendered,
//!   this template's output read as YAML, and the map back to the template and values files.
//! - [`fix`]: a finding's fix on the rendered text written back in the template or
//!   `values.yaml`, when every edit lands in one literal.
//! - [`output`]: a chart's rendering as plain data threads can share ([`output::render_dir`]).
//! - [`values_set`]: the values sets a chart is rendered with (values files, `--set` items read
//!   by [`set_values`], the release).
//! - [`render`]: the renderer's text with provenance ([`render::text`]) and values
//!   ([`render::value`]: values files read with their spans, `toYaml` as Helm writes it).

pub mod chart;
pub mod fix;
mod front_end;
pub mod output;
pub mod render;
pub mod set_values;
pub mod template;
pub mod values_set;

pub use front_end::{
    HelmFrontEnd, UnchangingFiles, chart_of, chart_of_file, chart_of_values, chart_templates,
    has_packed_dependency, has_template_action, in_values_sets, is_chart_template, outermost_chart,
    packed_chart_of, values_sets_named,
};
pub use values_set::ValuesSet;
