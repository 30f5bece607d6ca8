use crate::Rule;
use akslint_core::{RuleMeta, declare_rule};

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
}
