use crate::secrets::bicep::secure_marker;
use crate::secrets::names;
use crate::{ProjectIndex, Rule};
use akslint_core::{Diagnostic, LeakKind, Output, RuleMeta, Severity, Subject, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a Bicep `output` without `@secure()` whose value gives away a secret: the result
    /// of a `list*()` function (`listKeys()`, `stg.listKeys()`, `listSecrets()`,
    /// `listCredentials()`, `listConnectionStrings()`, `listAccountSas()`, …) or a `@secure()`
    /// parameter, directly, inside an interpolation or through variables of the file. The
    /// finding is on the output's name, with a secondary location on what leaks.
    ///
    /// A `string` or `object` output without `@secure()` whose name says it holds a secret (`adminPassword`,
    /// `storageKey`, `connectionString`) but whose value akslint cannot trace to one is
    /// reported at `warning` severity, as the Bicep linter's rule does: the name is the only
    /// evidence. Names that describe a secret rather than hold it (`passwordSecretName`,
    /// `keyVaultUri`, `passwordLength`), `bool` and `int` outputs, and outputs that just return
    /// a parameter or variable named for what it is (`output secret string = secretName`) are
    /// not reported.
    ///
    /// The `outputs` of ARM JSON templates (and of the inline templates of nested deployments)
    /// are checked the same way: an output whose `type` is not `securestring` or `secureObject`
    /// and whose `value` calls a `list*()` function
    /// (`[listKeys(resourceId(…), '2023-05-01').keys[0].value]`) or returns a secure parameter,
    /// directly or through `variables()`.
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
        summary: "A Bicep or ARM JSON output that returns a key or a secure parameter",
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
                    if is_secret_named(output) {
                        out.push(secret_named(&file.file, output));
                    }
                    continue;
                };
                let marker = secure_marker(&file.file);
                let what = |kind: &LeakKind| match kind {
                    LeakKind::ListFunction(name) => format!("the result of `{name}()`"),
                    LeakKind::SecureParameter(name) => {
                        format!("the {marker}parameter `{name}`")
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
                .with_help(format!(
                    "remove the output and read the secret where it is needed, or {}",
                    mark_secure(&file.file)
                ))
                .with_subject(subject(output))
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

/// How to make an output secure in the file's syntax.
fn mark_secure(file: &akslint_core::SharedSource) -> &'static str {
    if file.kind() == akslint_core::SourceKind::ArmTemplate {
        "give the output the type `securestring` (`secureObject` for an object)"
    } else {
        "mark the output `@secure()`"
    }
}

/// The subject of a finding on an output.
fn subject(output: &Output) -> Subject {
    Subject {
        object: format!("output {}", output.name),
        path: String::new(),
    }
}

/// Whether an output's name says it holds a secret.
/// An output returning a parameter or variable that is not itself named like a secret
/// (`output secret string = secretName`) is not: that name says what the value is.
fn is_secret_named(output: &Output) -> bool {
    output.holds_text()
        && holds_secret_by_name(&output.name)
        && output
            .value_reference
            .as_deref()
            .is_none_or(holds_secret_by_name)
}

/// Whether a name says its value is a secret (not a reference to one, public material, or a
/// setting about one).
fn holds_secret_by_name(name: &str) -> bool {
    names::is_secret_like_name(name) && !names::describes_not_a_value(name)
}

/// The lower-severity finding on an output that is only named like a secret.
fn secret_named(file: &akslint_core::SharedSource, output: &Output) -> Diagnostic {
    Diagnostic::new(
        &OutputLeaksSecret::META,
        file,
        output.name_span,
        format!(
            "output `{}` is named like a secret and is not {}: if it returns one, the deployment history keeps it in clear text",
            output.name,
            if file.kind() == akslint_core::SourceKind::ArmTemplate {
                "of type `securestring`"
            } else {
                "`@secure()`"
            }
        ),
    )
    .with_help(format!(
        "return a reference (a Key Vault secret's name or URI) instead, or {}",
        mark_secure(file)
    ))
    .with_subject(subject(output))
    .with_category("secret-named-output")
    .with_severity(Severity::Warning)
}
