use akslint_core::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a secret that a Bicep module call passes as an argument: a literal given to a
    /// parameter that the module declares `@secure()` or names like a secret (also when the
    /// module cannot be read: a registry module), a value in a known credential format, or a
    /// value the module uses for a property Azure treats as a credential. The finding points at
    /// the argument, with the module's parameter as a secondary location; a literal in a
    /// variable that is passed is reported at the variable. `keyVault.getSecret()`, secure
    /// parameters without default and other values known only at deployment are not reported;
    /// weak values go to `SEC009`.
    ///
    /// In ARM JSON, a nested deployment (`Microsoft.Resources/deployments`) with an inline
    /// template is a module call: a secret in its `properties.parameters.X.value` is reported
    /// the same way, with the inline template's parameter as the secondary location.
    ///
    /// ## Why it matters
    /// The module may be careful (a `@secure()` parameter without default), but the caller
    /// writes the secret into the repository anyway, for every deployment of the calling
    /// template.
    ///
    /// ## Example
    /// ```bicep
    /// module sql './modules/sql.bicep' = {
    ///   name: 'sql'
    ///   params: {
    ///     administratorLogin: 'sqladmin'
    ///     administratorLoginPassword: 'mS.bEss9*MHU79TC'
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```bicep
    /// resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
    ///   name: 'kv-orders'
    /// }
    ///
    /// module sql './modules/sql.bicep' = {
    ///   name: 'sql'
    ///   params: {
    ///     administratorLogin: 'sqladmin'
    ///     administratorLoginPassword: vault.getSecret('sql-admin-password')
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Remove the value and rotate it. Pass `keyVault.getSecret('<secret>')` (for a `@secure()`
    /// module parameter), or a `@secure()` parameter of the calling template without a default.
    ///
    /// ## References
    /// - [Bicep modules](https://learn.microsoft.com/azure/azure-resource-manager/bicep/modules)
    /// - [Use Azure Key Vault to pass a secure parameter value](https://learn.microsoft.com/azure/azure-resource-manager/bicep/key-vault-parameter)
    pub struct HardcodedSecretInModuleArgument {
        code: "SEC016",
        name: "hardcoded-secret-in-module-argument",
        family: Sec,
        severity: Error,
        security_severity: "8.0",
        summary: "A secret passed as a literal argument to a Bicep module or nested deployment",
    }
}

bicep_secret_rule!(
    HardcodedSecretInModuleArgument,
    "pass `keyVault.getSecret('<secret>')`, or a `@secure()` parameter without a default; rotate the secret",
    "pass `[parameters('…')]` of a `securestring` parameter without a default (filled from Key Vault); rotate the secret"
);
