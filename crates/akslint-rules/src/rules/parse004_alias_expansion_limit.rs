use crate::{ParseContext, Rule};
use akslint_core::{Diagnostic, ParseProblemKind, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a document whose aliases would expand to more nodes than the configured limit
    /// (100,000 by default), or an alias that refers to the node it is inside of. The document is
    /// not linted; the file's other documents are.
    ///
    /// ## Why it matters
    /// Aliases let a few hundred bytes describe billions of nodes ("billion laughs"). Tools that
    /// copy aliased subtrees, including some Kubernetes clients, run out of memory or time on
    /// them. akslint never copies an alias, but it reports documents that would do this to others.
    ///
    /// ## Example
    /// ```yaml
    /// a: &a [x, x, x, x, x, x, x, x, x, x]
    /// b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
    /// c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
    /// d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
    /// e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
    /// f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// defaults: &defaults
    ///   replicas: 2
    /// web:
    ///   <<: *defaults
    /// ```
    ///
    /// ## How to fix
    /// Write the data out, or use aliases only for small shared blocks. If a large expansion is
    /// intended, raise `limits.max-alias-expansion` in `akslint.yaml`.
    ///
    /// ## References
    /// - [Billion laughs attack](https://en.wikipedia.org/wiki/Billion_laughs_attack)
    pub struct AliasExpansionLimit {
        code: "PARSE004",
        name: "alias-expansion-limit",
        family: Parse,
        severity: Error,
        security_severity: "6.0",
        summary: "A document whose aliases expand past the limit, or refer to themselves",
    }
}

impl Rule for AliasExpansionLimit {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_parse(&self, cx: &ParseContext<'_>, out: &mut Vec<Diagnostic>) {
        cx.report(&Self::META, ParseProblemKind::AliasExpansion, out);
    }
}
