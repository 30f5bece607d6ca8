use akslint_core::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a secret written in a `.bicepparam` file: a literal assigned to a parameter that
    /// the template declares `@secure()`, a literal assigned to a parameter named like a secret
    /// (also when the template cannot be read), a value in a known credential format, or a value
    /// the template uses for a property Azure treats as a credential. Values in the file's
    /// variables are followed to the parameters they are assigned to. `getSecret()`,
    /// `readEnvironmentVariable()`, references and placeholders are not reported, nor values of
    /// a parameter with an `@allowed([…])` list (the template itself names them: a setting,
    /// even under `@secure()`); weak values go to `SEC009`.
    ///
    /// ARM JSON parameters files (`azuredeploy.parameters.json`, read with the template beside
    /// them) are checked the same way: a literal `value` given to a `securestring` parameter, or
    /// under a secret-like name, or in a known format. A Key Vault `reference` (`{"reference":
    /// {"keyVault": {"id": …}, "secretName": …}}`) is the way to give a secret there.
    ///
    /// ## Why it matters
    /// Parameter files are committed next to the template, one per environment: a password in
    /// one is the production password in the repository. `@secure()` on the template's parameter
    /// hides the value from the deployment history, not from the file.
    ///
    /// ## Example
    /// ```bicepparam
    /// using './main.bicep'
    ///
    /// param sqlAdminLogin = 'sqladmin'
    /// param sqlAdminPassword = 'HJcQLmlhVS*fY3Y9'
    /// ```
    ///
    /// ## Use instead
    /// ```bicepparam
    /// using './main.bicep'
    ///
    /// param sqlAdminLogin = 'sqladmin'
    /// param sqlAdminPassword = getSecret('11111111-2222-3333-4444-555555555555', 'rg-secrets', 'kv-orders', 'sql-admin-password')
    /// ```
    ///
    /// ## How to fix
    /// Remove the value and rotate it. Reference the secret in Key Vault with `getSecret()` (the
    /// deployment reads it; the vault needs `enabledForTemplateDeployment`), or read it from the
    /// pipeline with `readEnvironmentVariable()`.
    ///
    /// ## References
    /// - [Bicep parameters files](https://learn.microsoft.com/azure/azure-resource-manager/bicep/parameter-files)
    /// - [getSecret in parameters files](https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-functions-parameters-file#getsecret)
    pub struct HardcodedSecretInBicepparam {
        code: "SEC015",
        name: "hardcoded-secret-in-bicepparam",
        family: Sec,
        severity: Error,
        security_severity: "8.5",
        summary: "A secret written in a `.bicepparam` file or an ARM parameters file",
    }
}

bicep_secret_rule!(
    HardcodedSecretInBicepparam,
    "reference the secret instead: `getSecret('<subscription>', '<resource group>', '<vault>', '<secret>')`, or `readEnvironmentVariable()` in the pipeline; rotate the secret",
    "reference the secret instead: `\"reference\": {\"keyVault\": {\"id\": \"<vault resource ID>\"}, \"secretName\": \"<secret>\"}` in place of `\"value\"`, or give it from the pipeline at deployment; rotate the secret"
);
