//! Output formats. Each renders a [`akslint_engine::Report`] into text.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use std::path::{Path, PathBuf};

use akslint_core::{Diagnostic, Severity};
use akslint_engine::{NoticeLevel, Report};

use crate::args::Format;

/// A rendered report and the number of findings it shows.
pub struct Rendered {
    /// The text.
    pub text: String,
    /// Findings at or above the threshold.
    pub findings: usize,
}

/// What every format needs besides the report.
pub struct RenderOptions {
    /// Show only findings at or above this severity.
    pub threshold: Severity,
    /// Colour (human output only).
    pub color: bool,
    /// No summary or notes (human output only).
    pub quiet: bool,
    /// The folder akslint was invoked in; machine formats give paths relative to it.
    pub cwd: PathBuf,
}

/// Renders a report in a format.
pub fn render(format: Format, report: &Report, options: &RenderOptions) -> Rendered {
    match format {
        Format::Human => human::render(report, options),
        Format::Json => json::render(report, options),
        Format::Sarif => sarif::render(report, options),
        Format::Github => github::render(report, options),
        Format::Junit => junit::render(report, options),
    }
}

/// The findings at or above the threshold, in output order.
pub fn shown(report: &Report, threshold: Severity) -> impl Iterator<Item = &Diagnostic> {
    report
        .diagnostics()
        .filter(move |d| d.severity >= threshold)
}

/// A path as machine formats show it: relative to `cwd` when it is under it, `/`-separated.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    let relative = path.strip_prefix(cwd).unwrap_or(path);
    relative.to_string_lossy().replace('\\', "/")
}

/// The lowercase name of a notice level.
pub fn notice_level(level: NoticeLevel) -> &'static str {
    match level {
        NoticeLevel::Note => "note",
        NoticeLevel::Warning => "warning",
        NoticeLevel::Error => "error",
    }
}
