use crate::{ProjectIndex, Rule};
use akslint_core::{Diagnostic, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports where the evaluation of a Bicep deployment (a `.bicepparam` file with its
    /// template, or a template on its own) reached its budget: more than 500 template instances
    /// (module calls), more than 5,000,000 evaluation steps, resource bodies of more than
    /// 1,000,000 values, or values of more than 4,000,000 items in all; or where it left a single
    /// value unknown for its size (more than 1,000,000 nodes or 64 levels, a string of more than
    /// 1 MiB). Past that point values are unknown, so the rules that need them (the cluster's
    /// posture, the secrets passed to modules) cannot check what the evaluation did not reach.
    ///
    /// ## Why it matters
    /// A budget per deployment keeps every deployment checked, however many a repository holds,
    /// and keeps a template that multiplies itself (a module calling two modules that each double
    /// an array) from taking minutes and gigabytes. A finding, not a silent note, says which
    /// deployment was not checked in full, in every output format and with `--quiet`.
    ///
    /// ## Example
    /// ```bicep
    /// // A table of 10,000 rows of 10,000 numbers: far more than a deployment needs.
    /// var grid = [for row in range(0, 10000): range(0, 10000)]
    ///
    /// resource store 'Microsoft.Storage/storageAccounts@2023-01-01' = {
    ///   name: 'st${length(grid)}'
    ///   location: 'westeurope'
    ///   sku: { name: 'Standard_LRS' }
    ///   kind: 'StorageV2'
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```bicep
    /// // The rows the deployment uses.
    /// var grid = [for row in range(0, 3): range(0, 4)]
    ///
    /// resource store 'Microsoft.Storage/storageAccounts@2023-01-01' = {
    ///   name: 'st${length(grid)}'
    ///   location: 'westeurope'
    ///   sku: { name: 'Standard_LRS' }
    ///   kind: 'StorageV2'
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Look at the module calls, loops and values the finding points at: a module called in a
    /// loop over thousands of items, recursion through modules, or a value that doubles at each
    /// call is usually a mistake. If the deployment is right as it is, check what was not reached
    /// by hand, and suppress the finding with a reason.
    ///
    /// ## References
    /// - [Bicep modules](https://learn.microsoft.com/azure/azure-resource-manager/bicep/modules)
    /// - [akslint's Bicep evaluator](../docs/bicep-evaluator.md)
    pub struct EvaluationLimitReached {
        code: "PARSE008",
        name: "evaluation-limit-reached",
        family: Parse,
        severity: Warning,
        security_severity: "3.0",
        summary: "A Bicep deployment whose evaluation reached its budget, so part of it is not checked",
    }
}

impl Rule for EvaluationLimitReached {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, index: &ProjectIndex, out: &mut Vec<Diagnostic>) {
        for note in &index.limits_reached {
            if let Some(at) = &note.location {
                out.push(
                    Diagnostic::new(&Self::META, &at.file, at.span, note.message.clone())
                        .with_help("look for a module called in a big loop or through recursion, or a value that grows at each call; if the deployment is right, check the rest by hand"),
                );
            }
        }
    }
}
