use crate::{Rule, SuppressionContext};
use akslint_core::{Diagnostic, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a rule code in a suppression that silenced no finding: the line, object or file
    /// it covers has no finding of that rule (any more).
    ///
    /// ## Why it matters
    /// A stale suppression hides the next real finding that lands on its line, and it misleads
    /// readers into thinking there is an exception to review.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: settings
    /// data:
    ///   mode: fast # akslint-ignore SEC001: legacy value
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: settings
    /// data:
    ///   mode: fast
    /// ```
    ///
    /// ## How to fix
    /// Remove the code from the suppression, or the whole comment when it names nothing else.
    /// Suppressions for rules that are turned off in configuration are not reported, nor
    /// suppressions in a document that does not parse (a `PARSE` finding): its findings are
    /// unknown until it is fixed.
    ///
    /// ## References
    /// - [akslint suppressions](../README.md#suppressions)
    pub struct UnusedSuppression {
        code: "SUP002",
        name: "unused-suppression",
        family: Sup,
        severity: Warning,
        security_severity: "2.0",
        summary: "A suppression that silences nothing",
    }
}

impl Rule for UnusedSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_suppressions(&self, cx: &SuppressionContext<'_>, out: &mut Vec<Diagnostic>) {
        let parsed = cx
            .suppressions
            .items
            .iter()
            .filter(|s| !cx.suppressions.covers_unparsed(s, cx.file));
        for code in parsed.flat_map(|s| &s.codes) {
            let Some(rule) = code.rule else {
                continue;
            };
            if !code.used && (cx.is_enabled)(rule) {
                out.push(
                    Diagnostic::new(
                        &Self::META,
                        cx.file,
                        code.span,
                        format!(
                            "this suppression of {} ({}) silences no finding",
                            rule.code, rule.name
                        ),
                    )
                    .with_help("remove the code from the suppression, or the whole comment"),
                );
            }
        }
    }
}
