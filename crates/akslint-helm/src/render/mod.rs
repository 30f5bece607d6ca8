//! Rendering templates as Helm does, keeping the provenance of every byte written.
//!
//! - [`text`]: strings whose byte ranges know their [`text::Source`].
//! - [`value`]: template values, values files read with their spans, `toYaml`.
//! - [`exec`]: the [`Renderer`]: actions, control flow, variables, named templates, `tpl`.
//! - [`functions`]: the function library (the less used functions in `more_functions`).

pub mod exec;
pub mod functions;
mod more_functions;
mod printf;
pub mod text;
mod toml;
pub mod value;

pub use exec::{RenderError, RenderErrorKind, Renderer};
