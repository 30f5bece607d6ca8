//! Output formats. Each renders a [`akslint_core::Report`] into the text for stdout.

pub mod human;
pub mod json;

use akslint_core::{Diagnostic, Report, Severity};

/// A rendered report and the number of findings it shows.
pub struct Rendered {
    /// What goes to stdout.
    pub stdout: String,
    /// Findings at or above the threshold.
    pub findings: usize,
}

/// The findings at or above the threshold, in output order.
pub fn shown(report: &Report, threshold: Severity) -> impl Iterator<Item = &Diagnostic> {
    report
        .diagnostics()
        .filter(move |d| d.severity >= threshold)
}
