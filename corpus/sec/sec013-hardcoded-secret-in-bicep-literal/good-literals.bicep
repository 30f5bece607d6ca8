// expect: none
// Hard negatives: deployment-time values in interpolations, identifiers, hashes, public
// material, references, placeholders and names of secrets.
@secure()
param sqlPassword string

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: 'stordersweu'
}

var storageConnection = 'DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=${storage.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'  // neg: listkeys-interpolation
var sqlConnection = 'Server=tcp:sql-orders.database.windows.net,1433;Initial Catalog=orders;User ID=app;Password=${sqlPassword};'  // neg: interpolated-password
var insightsConnection = 'InstrumentationKey=683d7e8e-8496-412e-a890-757805843104;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/'  // neg: appinsights
var tenantId = '3d9f0b17-2c64-48e5-a7b1-6e0d5c9f8a42'  // neg: guid
var image = 'crorders.azurecr.io/orders@sha256:51b8ab10509e85ab56b81a1d5e003a861b55f2532a9d5279b9773929cfa03935'  // neg: image-digest
var configHash = 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'  // neg: hash
var sshKey = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ops@contoso'  // neg: ssh-public-key
var caCertificate = '''
-----BEGIN CERTIFICATE-----
MIIBszCCAVmgAwIBAgIUQ2VydGlmaWNhdGUgZm9yIHRlc3Rpbmcgb25seTAKBggq
-----END CERTIFICATE-----
'''  // neg@-3: certificate
var dbPasswordSecretName = 'orders-db-password'  // neg: secret-name
var secretUri = 'https://kv-orders.vault.azure.net/secrets/db-password'  // neg: kv-secret-uri
var kvReference = '@Microsoft.KeyVault(SecretUri=https://kv-orders.vault.azure.net/secrets/db-password/)'  // neg: kv-reference
var apiKeyPlaceholder = '<your-api-key>'  // neg: placeholder
var tokenPlaceholder = 'INSERT_TOKEN_HERE'  // neg: placeholder-upper
var passwordPolicy = {
  passwordLength: 32  // neg: setting
  passwordExpiryDays: '90'  // neg: setting-string
}
var keyName = 'key1'  // neg: key-name
var secretsProvider = 'azure-keyvault'  // neg: provider
var tokenAudience = 'api://AzureADTokenExchange'  // neg: audience
var docsUrl = 'https://learn.microsoft.com/azure/storage/common/storage-account-keys-manage'  // neg: url
