use crate::secrets::names;
use crate::{ProjectIndex, Rule};
use akslint_core::{
    Applicability, Change, Diagnostic, FixPlan, RuleMeta, SourceKind, Subject, declare_rule,
};

declare_rule! {
    /// ## What it does
    /// Reports a Bicep parameter whose name says it holds a secret (`adminPassword`,
    /// `clientSecret`, `storageAccountKey`, `sasToken`, `connectionString`, …) and whose type is
    /// `string` or `object`, but which lacks the `@secure()` decorator. Names that refer to a
    /// secret or describe it rather than hold it (`secretName`, `keyVaultName`, `passwordLength`,
    /// `tokenExpiry`, `adminUsername`), public material (`sshPublicKey`, and `adminSshKey`:
    /// Azure takes SSH public keys only) and parameters limited
    /// to `@allowed([…])` values (a setting such as Grafana's `apiKey: 'Enabled'`) are not
    /// reported.
    ///
    /// ARM JSON templates are checked too: a parameter named like a secret whose `type` is
    /// `string` or `object` rather than `securestring` or `secureObject` (`allowedValues` is
    /// `@allowed`); there the finding comes without a fix.
    ///
    /// This rule is **off by default**: a parameter without a value is no hardcoded secret,
    /// and the other `SEC` rules report every literal that reaches a secret parameter (its
    /// default, a `.bicepparam` value, a module argument). Turn it on in `akslint.yaml` with
    /// `rules: {SEC010: warning}` to also enforce the decorator, as the Bicep linter's
    /// `secure-secrets-in-params` does.
    ///
    /// ## Why it matters
    /// Azure Resource Manager records the values of parameters that are not secure in the
    /// deployment history, where anyone with read access to the resource group can see them, and
    /// tools print them in logs. `@secure()` keeps the value out of both.
    ///
    /// ## Example
    /// ```bicep
    /// param adminLogin string
    /// param adminPassword string
    ///
    /// resource sql 'Microsoft.Sql/servers@2023-08-01-preview' = {
    ///   name: 'sql-orders'
    ///   location: 'westeurope'
    ///   properties: {
    ///     administratorLogin: adminLogin
    ///     administratorLoginPassword: adminPassword
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```bicep
    /// param adminLogin string
    /// @secure()
    /// param adminPassword string
    ///
    /// resource sql 'Microsoft.Sql/servers@2023-08-01-preview' = {
    ///   name: 'sql-orders'
    ///   location: 'westeurope'
    ///   properties: {
    ///     administratorLogin: adminLogin
    ///     administratorLoginPassword: adminPassword
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Add `@secure()` above the parameter (akslint's fix does). Give the value at deployment
    /// from Key Vault (`getSecret()` in a `.bicepparam` file, or `keyVault.getSecret()` in a
    /// module call); better, use a managed identity so that no secret exists.
    ///
    /// ## References
    /// - [Bicep: secure parameters](https://learn.microsoft.com/azure/azure-resource-manager/bicep/parameters#secure-parameters)
    /// - [Bicep linter: secure-secrets-in-params](https://learn.microsoft.com/azure/azure-resource-manager/bicep/linter-rule-secure-secrets-in-parameters)
    /// - [Use Azure Key Vault to pass a secure parameter value](https://learn.microsoft.com/azure/azure-resource-manager/bicep/key-vault-parameter)
    pub struct SecretParamNotSecure {
        code: "SEC010",
        name: "secret-param-not-secure",
        family: Sec,
        severity: Warning,
        security_severity: "5.5",
        summary: "A template parameter named like a secret without `@secure()` or `securestring` (opt-in)",
        enabled_by_default: false,
    }
}

impl Rule for SecretParamNotSecure {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, index: &ProjectIndex, out: &mut Vec<Diagnostic>) {
        for file in &index.bicep_files {
            for param in &file.params {
                if param.secure
                    || param.enumerated
                    || !param.holds_text()
                    || !names::is_secret_like_name(&param.name)
                    || names::is_public_or_hash_name(&param.name)
                    || names_ssh_key(&param.name)
                {
                    continue;
                }
                let json = file.file.kind() == SourceKind::ArmTemplate;
                let secure_type = if param.declared_type == "object" {
                    "secureObject"
                } else {
                    "securestring"
                };
                let (missing, help) = if json {
                    (
                        format!("its type is not `{secure_type}`"),
                        format!(
                            "make its type `{secure_type}` and give its value from a Key Vault reference at deployment"
                        ),
                    )
                } else {
                    (
                        "is not `@secure()`".to_owned(),
                        "add `@secure()` above the parameter and give its value from Key Vault at deployment".to_owned(),
                    )
                };
                let diagnostic = Diagnostic::new(
                    &Self::META,
                    &file.file,
                    param.name_span,
                    format!(
                        "parameter `{}` is named like a secret but {missing}: Azure keeps its value in the deployment history and tools print it in logs",
                        param.name
                    ),
                )
                .with_help(help)
                .with_subject(Subject {
                    object: format!("param {}", param.name),
                    path: String::new(),
                })
                .with_fix_plan(FixPlan::new(
                    format!("add `@secure()` to parameter `{}`", param.name),
                    Applicability::Safe,
                    Change::MarkSecure {
                        declaration: param.name_span,
                    },
                ))
                .with_category("param-not-secure");
                out.push(diagnostic);
            }
        }
    }
}

/// Whether a parameter is named for an SSH key (`adminSshKey`) but not a private one: Azure
/// takes only SSH public keys, so such a parameter holds public material.
fn names_ssh_key(name: &str) -> bool {
    let words = names::name_words(name);
    words.iter().any(|w| w == "SSH") && !words.iter().any(|w| w == "PRIVATE")
}
