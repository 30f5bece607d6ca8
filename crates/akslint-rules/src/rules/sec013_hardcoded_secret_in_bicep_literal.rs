use akslint_core::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a secret in a Bicep string literal that no other Bicep rule covers: a value in a
    /// known credential format anywhere (an Azure Storage or Service Bus connection string, an
    /// identifiable Azure key with a valid checksum, a SAS token, an Entra ID client secret, a
    /// GitHub token, a private key, a JWT, a password in a URL, …), or a literal under a name that
    /// says it holds a secret (`var dbPassword = '…'`, an object key such as `apiKey`), in a
    /// variable, an output or anywhere else. Interpolated strings are judged on their literal
    /// parts, so `'AccountKey=${stg.listKeys().keys[0].value}'` is not reported. Literals used by
    /// a resource property or passed to a module are reported by `SEC012` and `SEC016`; weak
    /// values go to `SEC009`.
    ///
    /// ARM JSON templates are checked too: every JSON string that is not an expression, and the
    /// `'…'` literals inside expressions (a `format()` template's `{0}` placeholders are holes,
    /// as interpolation is in Bicep).
    ///
    /// ## Why it matters
    /// A credential in a variable is as exposed as one in a property: it is in every clone of
    /// the repository, and an output or a later change can put it anywhere.
    ///
    /// ## Example
    /// ```bicep
    /// var storageConnection = 'DefaultEndpointsProtocol=https;AccountName=stfiles;AccountKey=osy+7xngmgEO96YfyK9IcGvlCNaEXtd4mHzBTnPB+LAi6k1TqwcVzoCQNlngEqWafVx8x6QTSZ2/qFeiD/xR2w=='
    ///
    /// output fileShareUri string = 'https://stfiles.file.${environment().suffixes.storage}/share'
    /// ```
    ///
    /// ## Use instead
    /// ```bicep
    /// resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
    ///   name: 'stfiles'
    /// }
    ///
    /// var storageConnection = 'DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=${storage.listKeys().keys[0].value}'
    ///
    /// output fileShareUri string = 'https://stfiles.file.${environment().suffixes.storage}/share'
    /// ```
    ///
    /// ## How to fix
    /// Remove the value and rotate it. Read keys where they are needed (`listKeys()`, which the
    /// deployment evaluates), keep secrets in Key Vault and reference them, or use a managed
    /// identity so that no key is needed.
    ///
    /// ## References
    /// - [Manage secrets by using Bicep](https://learn.microsoft.com/azure/azure-resource-manager/bicep/scenarios-secrets)
    /// - [Microsoft security utilities: identifiable secret formats](https://github.com/microsoft/security-utilities)
    pub struct HardcodedSecretInBicepLiteral {
        code: "SEC013",
        name: "hardcoded-secret-in-bicep-literal",
        family: Sec,
        severity: Error,
        security_severity: "8.0",
        summary: "A secret in a Bicep or ARM JSON string literal (a variable, an output, anywhere)",
    }
}

bicep_secret_rule!(
    HardcodedSecretInBicepLiteral,
    "move the value out of the template (a `@secure()` parameter filled from Key Vault, or read it at deployment with `listKeys()`); rotate the secret",
    "move the value out of the template (a `securestring` parameter filled from Key Vault, or read it at deployment with `listKeys()`); rotate the secret"
);
