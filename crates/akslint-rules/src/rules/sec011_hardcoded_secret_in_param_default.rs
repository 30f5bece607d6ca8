use akslint_core::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a secret written as the default value of a Bicep parameter: any literal default
    /// of a `@secure()` parameter (an empty string and `newGuid()` are fine), a literal under a
    /// parameter named like a secret, a value in a known credential format (a storage connection
    /// string, a SAS token, a client secret, …), or a default that the template uses for a
    /// property Azure treats as a credential (such as `administratorLoginPassword`). References
    /// (`'@Microsoft.KeyVault(…)'`), placeholders, expressions computed at deployment and the
    /// defaults of parameters with an `@allowed([…])` list are not reported; weak values go to
    /// `SEC009`.
    ///
    /// The same holds for the `defaultValue` of a parameter in an ARM JSON template, where a
    /// `securestring` or `secureObject` type is `@secure()` and `allowedValues` is `@allowed`;
    /// `[newGuid()]`, `[uniqueString(…)]` and other expressions are computed at deployment, but
    /// a string literal inside an expression is judged as a literal.
    ///
    /// ## Why it matters
    /// A default is part of the template: it is in every clone of the repository and is used
    /// whenever a deployment does not override it, so the "temporary" password becomes the
    /// production one. `@secure()` hides the value from the deployment history, not from the
    /// source.
    ///
    /// ## Example
    /// ```bicep
    /// @secure()
    /// param adminPassword string = 'K4EI!Pp693%linKC'
    ///
    /// resource sql 'Microsoft.Sql/servers@2023-08-01-preview' = {
    ///   name: 'sql-orders'
    ///   location: 'westeurope'
    ///   properties: {
    ///     administratorLogin: 'sqladmin'
    ///     administratorLoginPassword: adminPassword
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```bicep
    /// @secure()
    /// param adminPassword string
    ///
    /// resource sql 'Microsoft.Sql/servers@2023-08-01-preview' = {
    ///   name: 'sql-orders'
    ///   location: 'westeurope'
    ///   properties: {
    ///     administratorLogin: 'sqladmin'
    ///     administratorLoginPassword: adminPassword
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Remove the default and rotate the secret. Keep the parameter `@secure()` and give its value
    /// at deployment: `getSecret()` in a `.bicepparam` file, or `keyVault.getSecret()` in the
    /// module call. Where a value must be generated, `newGuid()` as the default is accepted.
    ///
    /// ## References
    /// - [Bicep linter: secure-parameter-default](https://learn.microsoft.com/azure/azure-resource-manager/bicep/linter-rule-secure-parameter-default)
    /// - [Bicep: secure parameters](https://learn.microsoft.com/azure/azure-resource-manager/bicep/parameters#secure-parameters)
    /// - [Use Azure Key Vault to pass a secure parameter value](https://learn.microsoft.com/azure/azure-resource-manager/bicep/key-vault-parameter)
    pub struct HardcodedSecretInParamDefault {
        code: "SEC011",
        name: "hardcoded-secret-in-param-default",
        family: Sec,
        severity: Error,
        security_severity: "8.0",
        summary: "A secret written as a template parameter's default value (Bicep, ARM JSON)",
    }
}

bicep_secret_rule!(
    HardcodedSecretInParamDefault,
    "remove the default, keep the parameter `@secure()`, and give the value at deployment (`getSecret()` in the .bicepparam file); rotate the secret",
    "remove the `defaultValue`, make the parameter's type `securestring`, and give the value at deployment (a Key Vault `reference` in the parameters file); rotate the secret"
);
