use crate::{ParseContext, Rule};
use akslint_core::{Diagnostic, ParseProblemKind, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a file larger than the configured limit (10 MiB by default) instead of reading it.
    ///
    /// ## Why it matters
    /// Manifests and Bicep templates are small; a file of many megabytes is usually generated
    /// data or a mistake, and reading it whole could exhaust memory in a pre-commit hook or an
    /// editor. The file is reported, never skipped silently.
    ///
    /// ## Example
    /// ```text
    /// A 40 MiB `all-in-one.yaml` dumped from a cluster.
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// The manifests split into files per component, each well under the limit.
    /// ```
    ///
    /// ## How to fix
    /// Split the file, exclude it (`exclude:` in `akslint.yaml`) if it is not a manifest, or raise
    /// the limit:
    ///
    /// ```text
    /// limits:
    ///   max-file-size: 50MiB
    /// ```
    ///
    /// ## References
    /// - [akslint configuration](../README.md#configuration)
    pub struct FileTooLarge {
        code: "PARSE002",
        name: "file-too-large",
        family: Parse,
        severity: Error,
        security_severity: "4.0",
        summary: "A file larger than the size limit, reported instead of read",
    }
}

impl Rule for FileTooLarge {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_parse(&self, cx: &ParseContext<'_>, out: &mut Vec<Diagnostic>) {
        cx.report(&Self::META, ParseProblemKind::TooLarge, out);
    }
}
