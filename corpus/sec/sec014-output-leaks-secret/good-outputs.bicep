// expect: none
// Hard negatives: secure outputs, identifiers, endpoints, names, and functions that are not
// list*().
@secure()
param dbPassword string
param adminLogin string
param items array = ['a', 'b']

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: 'stordersweu'
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: 'kv-orders'
}

@secure()
output storageKey string = storage.listKeys().keys[0].value  // neg: secure-output
@secure()
output password string = dbPassword  // neg: secure-output-param
output storageId string = storage.id  // neg: resource-id
output blobEndpoint string = storage.properties.primaryEndpoints.blob  // neg: endpoint
output adminLogin string = adminLogin  // neg: plain-param
output vaultUri string = vault.properties.vaultUri  // neg: vault-uri
output secretUri string = '${vault.properties.vaultUri}secrets/db-password'  // neg: secret-uri
output lastItem string = last(items)  // neg: last-not-list
output passwordSet bool = !empty(dbPassword)  // neg: empty-of-secure-param
output passwordLong bool = length(dbPassword) >= 12 ? true : false  // neg: length-of-secure-param
output passwordSecretName string = 'db-password'  // neg: secret-name
output adminPasswordLength int = 16  // neg: setting
output keyVaultName string = 'kv-orders'  // neg: vault-name
