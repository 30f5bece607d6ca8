use crate::{ParseContext, Rule};
use akslint_core::{Diagnostic, ParseProblemKind, RuleMeta, SourceKind, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports an ARM JSON deployment template or parameters file (a `.json` file whose
    /// `$schema` is an ARM deployment schema) that is not JSON as ARM reads it, at the first
    /// place it stops being JSON. ARM's reader accepts `//` and `/* */` comments, trailing commas
    /// and line breaks inside strings, so those are not errors.
    ///
    /// ## Why it matters
    /// ARM refuses a template that does not parse, and akslint reads such a file only up to the
    /// error: the settings after it are not checked until it is fixed.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    ///   "contentVersion": "1.0.0.0",
    ///   "resources": [
    ///     { "type": "Microsoft.Storage/storageAccounts" "apiVersion": "2023-05-01" }
    ///   ]
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    ///   "contentVersion": "1.0.0.0",
    ///   "resources": []
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Correct the JSON at the reported position (a missing `,` or `:`, an unclosed string or
    /// bracket); `az deployment group validate` or `bicep decompile` report the same place.
    ///
    /// ## References
    /// - [ARM template structure and syntax](https://learn.microsoft.com/azure/azure-resource-manager/templates/syntax)
    /// - [RFC 8259: the JSON data interchange format](https://www.rfc-editor.org/rfc/rfc8259)
    pub struct ArmJsonSyntaxError {
        code: "PARSE009",
        name: "arm-json-syntax-error",
        family: Parse,
        severity: Error,
        security_severity: "5.0",
        summary: "An ARM JSON template or parameters file that does not parse",
    }
}

impl Rule for ArmJsonSyntaxError {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_parse(&self, cx: &ParseContext<'_>, out: &mut Vec<Diagnostic>) {
        if cx.file.kind() == SourceKind::ArmTemplate {
            cx.report(&Self::META, ParseProblemKind::Syntax, out);
        }
    }
}
