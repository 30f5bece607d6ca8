use crate::suppression::SuppressionKind;
use crate::{Rule, SuppressionContext};
use akslint_core::{Diagnostic, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a code or name in a suppression that is not an akslint rule.
    ///
    /// ## Why it matters
    /// A mistyped code silences nothing, so the finding it was meant for stays, or a suppression
    /// copied from another tool gives the false impression that akslint honours it.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: settings
    /// data:
    ///   mode: fast # akslint-ignore SEC0001: typo
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
    /// Use a code or name from `akslint rules`.
    ///
    /// ## References
    /// - [akslint rules](README.md)
    pub struct UnknownRuleInSuppression {
        code: "SUP003",
        name: "unknown-rule-in-suppression",
        family: Sup,
        severity: Warning,
        security_severity: "3.0",
        summary: "A suppression naming a rule that does not exist",
    }
}

impl Rule for UnknownRuleInSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_suppressions(&self, cx: &SuppressionContext<'_>, out: &mut Vec<Diagnostic>) {
        let akslint_syntax = cx
            .suppressions
            .items
            .iter()
            .filter(|s| s.kind == SuppressionKind::Akslint);
        for code in akslint_syntax.flat_map(|s| &s.codes) {
            if code.rule.is_none() {
                out.push(
                    Diagnostic::new(
                        &Self::META,
                        cx.file,
                        code.span,
                        format!("`{}` is not an akslint rule code or name", code.text),
                    )
                    .with_help("use a code or name listed by `akslint rules`"),
                );
            }
        }
    }
}
