use akslint_core::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a secret written into the properties of a Bicep resource, or into a variable
    /// whose value a resource property uses. A property that Azure treats as a credential is
    /// reported whatever its literal value looks like: AKS `windowsProfile.adminPassword`,
    /// `servicePrincipalProfile.secret` and `aadProfile.serverAppSecret`; SQL, PostgreSQL,
    /// MySQL and Synapse administrator passwords; VM and scale set `osProfile.adminPassword`;
    /// container instance registry passwords, `secureValue`s and volume secrets; Container Apps
    /// secrets and registry passwords; Flux and cluster extension
    /// `configurationProtectedSettings` and Flux source credentials; App Service connection
    /// strings with a credential in them; Key Vault secret values; VPN shared keys; certificate
    /// passwords. Any other property is judged by its key (`DB_PASSWORD` in an
    /// `appSettings` `{ name, value }` pair, `storageAccountKey`) and by known credential formats.
    /// Values are followed through variables, parameters, `.bicepparam` files and module
    /// arguments; a value known only at deployment (a `@secure()` parameter without default,
    /// `getSecret()`, `listKeys()`) is not reported. A literal written in a parameter default,
    /// a `.bicepparam` file or a module argument is reported by `SEC011`, `SEC015` or `SEC016`;
    /// weak values go to `SEC009`.
    ///
    /// Resources of ARM JSON templates are checked the same way (their `properties`, `tags` and
    /// other body properties, child resources, `copy` loops), with values followed through
    /// `variables()`, `parameters()` and parameters files.
    ///
    /// ## Why it matters
    /// A password in a template is in every clone of the repository and in every deployment of
    /// it, it is shared by every environment deployed from the file, and it is never rotated
    /// because rotating means a commit.
    ///
    /// ## Example
    /// ```bicep
    /// resource sql 'Microsoft.Sql/servers@2023-08-01-preview' = {
    ///   name: 'sql-orders'
    ///   location: 'westeurope'
    ///   properties: {
    ///     administratorLogin: 'sqladmin'
    ///     administratorLoginPassword: 'fWWy5qe*h_OAZ!R3'
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```bicep
    /// @secure()
    /// param sqlAdminPassword string
    ///
    /// resource sql 'Microsoft.Sql/servers@2023-08-01-preview' = {
    ///   name: 'sql-orders'
    ///   location: 'westeurope'
    ///   properties: {
    ///     administratorLogin: 'sqladmin'
    ///     administratorLoginPassword: sqlAdminPassword
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Remove the value and rotate it. Best, use a managed identity so that the credential is
    /// not needed (AKS, App Service and Container Apps all support one). Otherwise take the value
    /// from a `@secure()` parameter without a default, filled from Key Vault at deployment, or
    /// use a Key Vault reference (`@Microsoft.KeyVault(SecretUri=…)` in App Service settings).
    ///
    /// ## References
    /// - [Use managed identities in AKS](https://learn.microsoft.com/azure/aks/use-managed-identity)
    /// - [Manage secrets by using Bicep](https://learn.microsoft.com/azure/azure-resource-manager/bicep/scenarios-secrets)
    /// - [Bicep linter: use-secure-value-for-secure-inputs](https://learn.microsoft.com/azure/azure-resource-manager/bicep/linter-rule-use-secure-value-for-secure-inputs)
    /// - [Key Vault references in App Service](https://learn.microsoft.com/azure/app-service/app-service-key-vault-references)
    pub struct HardcodedSecretInResourceProperty {
        code: "SEC012",
        name: "hardcoded-secret-in-resource-property",
        family: Sec,
        severity: Error,
        security_severity: "8.5",
        summary: "A secret written into the properties of a Bicep or ARM JSON resource",
    }
}

bicep_secret_rule!(
    HardcodedSecretInResourceProperty,
    "take the value from a `@secure()` parameter without a default (filled from Key Vault), or use a managed identity instead of the credential; rotate the secret",
    "take the value from a `securestring` parameter without a default (filled from Key Vault), or use a managed identity instead of the credential; rotate the secret"
);
