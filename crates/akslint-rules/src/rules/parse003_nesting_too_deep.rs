use crate::{ParseContext, Rule};
use akslint_core::{Diagnostic, ParseProblemKind, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a document nested deeper than the configured limit (200 levels by default), at the
    /// collection that crosses it. The document is not linted; the file's other documents are.
    ///
    /// ## Why it matters
    /// Real manifests nest a few dozen levels at most. Thousands of levels are a mistake or an
    /// attack on the tools that read the file (stack exhaustion). akslint stops at the limit
    /// instead of building the rest.
    ///
    /// ## Example
    /// ```text
    /// data: [[[[[[[[ … 10,000 levels … ]]]]]]]]
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// data: [[1, 2], [3, 4]]
    /// ```
    ///
    /// ## How to fix
    /// Flatten the structure. If a deep document is legitimate, raise `limits.max-depth` in
    /// `akslint.yaml`.
    ///
    /// ## References
    /// - [akslint configuration](../README.md#configuration)
    pub struct NestingTooDeep {
        code: "PARSE003",
        name: "nesting-too-deep",
        family: Parse,
        severity: Error,
        security_severity: "5.0",
        summary: "A document nested deeper than the depth limit",
    }
}

impl Rule for NestingTooDeep {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_parse(&self, cx: &ParseContext<'_>, out: &mut Vec<Diagnostic>) {
        cx.report(&Self::META, ParseProblemKind::TooDeep, out);
    }
}
