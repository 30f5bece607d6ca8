use crate::{ParseContext, Rule};
use akslint_core::{Diagnostic, ParseProblemKind, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a key written twice in the same mapping, at the second occurrence, with the first
    /// as a secondary location. In Bicep, a property declared twice in one object (the
    /// compiler's `BCP025`; `name` and `'name'` are the same property) is reported the same way.
    ///
    /// ## Why it matters
    /// `kubectl` and the API server reject a mapping with a duplicate key, and tools that do not
    /// disagree on which value wins: a reviewer may read the harmless first value while the
    /// second one is applied. akslint's rules read the first value. The Bicep compiler refuses a
    /// template with a duplicate property.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata:
    ///   name: web
    ///   name: api
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata:
    ///   name: api
    /// ```
    ///
    /// ## How to fix
    /// Keep one of the entries.
    ///
    /// ## References
    /// - [YAML 1.2.2: mappings have unique keys](https://yaml.org/spec/1.2.2/#mapping)
    /// - [Bicep core diagnostics (BCP025)](https://learn.microsoft.com/azure/azure-resource-manager/bicep/diagnostics/)
    pub struct DuplicateKey {
        code: "PARSE006",
        name: "duplicate-key",
        family: Parse,
        severity: Error,
        security_severity: "5.0",
        summary: "A key written twice in one mapping",
    }
}

impl Rule for DuplicateKey {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_parse(&self, cx: &ParseContext<'_>, out: &mut Vec<Diagnostic>) {
        cx.report(&Self::META, ParseProblemKind::DuplicateKey, out);
    }
}
