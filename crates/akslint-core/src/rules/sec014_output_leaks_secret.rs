use crate::{Diagnostic, LeakKind, ProjectIndex, Rule, RuleMeta, Subject, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a Bicep `output` without `@secure()` whose value gives away a secret: the result
    /// of a `list*()` function (`listKeys()`, `stg.listKeys()`, `listSecrets()`,
    /// `listCredentials()`, `listConnectionStrings()`, `listAccountSas()`, …) or a `@secure()`
    /// parameter, directly, inside an interpolation or through variables of the file. The
    /// finding is on the output's name, with a secondary location on what leaks.
    ///
    /// ## Why it matters
    /// Outputs are stored in the deployment history in clear text, readable by anyone with read
    /// access to the resource group, and printed by `az deployment` and by pipelines. An output
    /// holding an account key hands the key to every reader.
    ///
    /// ## Example
    /// ```bicep
    /// resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
    ///   name: 'stfiles'
    /// }
    ///
    /// output storageKey string = storage.listKeys().keys[0].value
    /// ```
    ///
    /// ## Use instead
    /// ```bicep
    /// resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
    ///   name: 'stfiles'
    /// }
    ///
    /// output storageAccountName string = storage.name
    /// ```
    ///
    /// ## How to fix
    /// Remove the output: whoever needs the key reads it where it is needed (`listKeys()` in the
    /// consuming template, a Key Vault secret written by the deployment, or no key at all with a
    /// managed identity). Where a secret must be returned, mark the output `@secure()` so that
    /// it is not recorded.
    ///
    /// ## References
    /// - [Bicep linter: outputs-should-not-contain-secrets](https://learn.microsoft.com/azure/azure-resource-manager/bicep/linter-rule-outputs-should-not-contain-secrets)
    /// - [Bicep outputs](https://learn.microsoft.com/azure/azure-resource-manager/bicep/outputs)
    pub struct OutputLeaksSecret {
        code: "SEC014",
        name: "output-leaks-secret",
        family: Sec,
        severity: Error,
        security_severity: "7.5",
        summary: "A Bicep output that returns a key or a secure parameter",
    }
}

impl Rule for OutputLeaksSecret {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, index: &ProjectIndex, out: &mut Vec<Diagnostic>) {
        for file in &index.bicep_files {
            for output in file.outputs.iter().filter(|o| !o.secure) {
                let Some(first) = output.leaks.first() else {
                    continue;
                };
                let what = |kind: &LeakKind| match kind {
                    LeakKind::ListFunction(name) => format!("the result of `{name}()`"),
                    LeakKind::SecureParameter(name) => {
                        format!("the `@secure()` parameter `{name}`")
                    }
                };
                let mut diagnostic = Diagnostic::new(
                    &Self::META,
                    &file.file,
                    output.name_span,
                    format!(
                        "output `{}` returns {}: the deployment history keeps outputs in clear text for anyone who can read the resource group",
                        output.name,
                        what(&first.kind)
                    ),
                )
                .with_help("remove the output and read the secret where it is needed, or mark the output `@secure()`")
                .with_subject(Subject {
                    object: format!("output {}", output.name),
                    path: String::new(),
                })
                .with_category("output-leak");
                for leak in &output.leaks {
                    diagnostic = diagnostic.with_label(
                        &file.file,
                        leak.span,
                        format!("{} here", what(&leak.kind)),
                    );
                }
                out.push(diagnostic);
            }
        }
    }
}
