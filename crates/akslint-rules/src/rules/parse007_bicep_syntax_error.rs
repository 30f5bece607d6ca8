use crate::{ParseContext, Rule};
use akslint_core::{Diagnostic, ParseProblemKind, RuleMeta, SourceKind, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a Bicep or `.bicepparam` syntax error where the Bicep compiler reports it, with
    /// the compiler's diagnostic code (`BCP…`) in the message. The parser recovers at the next
    /// line or closing bracket, so one bad line gives one finding and the rest of the file is
    /// still checked.
    ///
    /// ## Why it matters
    /// A template that does not compile is not deployed, and a linter that gives up on it checks
    /// none of its settings. akslint parses what the compiler parses, with the same recovery, so
    /// the settings of the rest of the file are still checked while the error is being fixed.
    ///
    /// ## Example
    /// ```bicep
    /// param clusterName string = 'aks-prod
    ///
    /// resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' existing = {
    ///   name: clusterName
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```bicep
    /// param clusterName string = 'aks-prod'
    ///
    /// resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' existing = {
    ///   name: clusterName
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Correct the syntax at the reported position; the `BCP` code in the message is the one
    /// `az bicep build` reports, and the Bicep documentation explains it.
    ///
    /// ## References
    /// - [Bicep core diagnostics](https://learn.microsoft.com/azure/azure-resource-manager/bicep/diagnostics/)
    /// - [Bicep file structure and syntax](https://learn.microsoft.com/azure/azure-resource-manager/bicep/file)
    pub struct BicepSyntaxError {
        code: "PARSE007",
        name: "bicep-syntax-error",
        family: Parse,
        severity: Error,
        security_severity: "5.0",
        summary: "A Bicep or .bicepparam file that does not parse",
    }
}

impl Rule for BicepSyntaxError {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_parse(&self, cx: &ParseContext<'_>, out: &mut Vec<Diagnostic>) {
        if matches!(cx.file.kind(), SourceKind::Bicep | SourceKind::BicepParam) {
            cx.report(&Self::META, ParseProblemKind::Syntax, out);
        }
    }
}
