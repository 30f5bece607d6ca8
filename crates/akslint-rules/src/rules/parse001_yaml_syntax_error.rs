use crate::{ParseContext, Rule};
use akslint_core::{Diagnostic, ParseProblemKind, RuleMeta, SourceKind, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a YAML document that does not parse, at the line and column where the parser
    /// stopped. The other documents of the same file are still parsed and linted.
    ///
    /// ## Why it matters
    /// A manifest that does not parse is not applied, or worse, a CI step that skips it silently
    /// also skips every security check on it. Several linters exit 0 on unparsable YAML; akslint
    /// reports it as an error of its own.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: settings
    /// data:
    ///   mode: "fast
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: settings
    /// data:
    ///   mode: "fast"
    /// ```
    ///
    /// ## How to fix
    /// Correct the syntax at the reported position: close quotes and brackets, indent with spaces
    /// (YAML forbids tabs for indentation), and keep `key: value` pairs of one mapping aligned.
    ///
    /// ## References
    /// - [YAML 1.2.2 specification](https://yaml.org/spec/1.2.2/)
    pub struct YamlSyntaxError {
        code: "PARSE001",
        name: "yaml-syntax-error",
        family: Parse,
        severity: Error,
        security_severity: "5.0",
        summary: "A YAML document that does not parse",
    }
}

impl Rule for YamlSyntaxError {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_parse(&self, cx: &ParseContext<'_>, out: &mut Vec<Diagnostic>) {
        if cx.file.kind() == SourceKind::Yaml {
            cx.report(&Self::META, ParseProblemKind::Syntax, out);
        }
    }
}
