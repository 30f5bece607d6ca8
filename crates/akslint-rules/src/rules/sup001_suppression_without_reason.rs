use crate::suppression::{REASON_PLACEHOLDER, SuppressionKind};
use crate::{Rule, SuppressionContext};
use akslint_core::{Diagnostic, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports an `akslint-ignore` comment, `akslint-ignore-file` comment or `akslint.io/ignore`
    /// annotation that gives no reason after the rule codes, or whose reason is still the
    /// `<reason>` placeholder the editor's quick fix writes. The suppression still applies.
    ///
    /// ## Why it matters
    /// A silenced security finding without a reason cannot be reviewed: nobody can tell later
    /// whether it was a judged exception or a shortcut.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: demo
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: demo:1.0
    ///       env:
    ///         - name: DB_PASSWORD
    ///           value: "Kx9-vLq2-Tm7w" # akslint-ignore SEC001
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: demo
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: demo:1.0
    ///       env:
    ///         - name: DB_PASSWORD
    ///           value: "Kx9-vLq2-Tm7w" # akslint-ignore SEC001: throwaway password of the local kind cluster
    /// ```
    ///
    /// ## How to fix
    /// Add the reason after a colon: `# akslint-ignore SEC001: why this is acceptable`.
    ///
    /// ## References
    /// - [akslint suppressions](../README.md#suppressions)
    pub struct SuppressionWithoutReason {
        code: "SUP001",
        name: "suppression-without-reason",
        family: Sup,
        severity: Warning,
        security_severity: "3.0",
        summary: "A suppression that does not say why",
    }
}

impl Rule for SuppressionWithoutReason {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_suppressions(&self, cx: &SuppressionContext<'_>, out: &mut Vec<Diagnostic>) {
        for suppression in &cx.suppressions.items {
            if suppression.kind == SuppressionKind::Akslint && suppression.reason.is_none() {
                let message = if cx.file.slice(suppression.span).contains(REASON_PLACEHOLDER) {
                    format!(
                        "this suppression gives no reason: `{REASON_PLACEHOLDER}` is still there"
                    )
                } else {
                    "this suppression gives no reason".to_owned()
                };
                out.push(
                    Diagnostic::new(&Self::META, cx.file, suppression.span, message)
                    .with_help(
                        "add the reason after a colon: `akslint-ignore CODE: why this is acceptable`",
                    ),
                );
            }
        }
    }
}
