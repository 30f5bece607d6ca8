// expect: none
// Hard negatives: defaults that are not secrets, or not literals.
@secure()
param adminPassword string = ''  // neg: secure-empty-default
@secure()
param generatedPassword string = newGuid()  // neg: secure-newguid
@secure()
param derivedPassword string = '${uniqueString(resourceGroup().id)}Aa1!'  // neg: interpolated-deployment-value
@secure()
param keyVaultReference string = '@Microsoft.KeyVault(SecretUri=https://kv-orders.vault.azure.net/secrets/db-password/)'  // neg: kv-reference
@secure()
param sqlPassword string = '<your-sql-password>'  // neg: placeholder
@secure()
param tokenPlaceholder string = 'REPLACE_ME'  // neg: placeholder-upper
@secure()
param emptyObject object = {}  // neg: secure-empty-object
param secretName string = 'orders-db-password'  // neg: secret-name
param appInsightsConnectionString string = 'InstrumentationKey=683d7e8e-8496-412e-a890-757805843104;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/'  // neg: appinsights
param clientId string = '5f1c9a0e-3b7d-4c2a-9e61-0d8b4f7a2c13'  // neg: guid
param passwordLength int = 32  // neg: setting
param imageDigest string = 'orders@sha256:51b8ab10509e85ab56b81a1d5e003a861b55f2532a9d5279b9773929cfa03935'  // neg: image-digest
param location string = 'westeurope'  // neg: plain-setting
@secure()
param secretName string = 'bank-account-password'  // neg: secure-secret-name
var hostPoolSettings = {
  registrationTokenOperation: 'Update'  // neg: title-word-setting
}
output operation string = hostPoolSettings.registrationTokenOperation
