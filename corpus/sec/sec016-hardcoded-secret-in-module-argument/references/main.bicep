// expect: none
// Hard negatives: secrets read at deployment, secure parameters passed through, and arguments
// that are not secrets.
@secure()
param sqlPassword string
param location string = resourceGroup().location

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: 'kv-orders'
}

module fromVault 'modules/sql.bicep' = {
  name: 'sql-from-vault'
  params: {
    location: location
    administratorLogin: 'sqladmin'  // neg: login-argument
    administratorLoginPassword: vault.getSecret('sql-admin-password')  // neg: getsecret-argument
    secretName: 'sql-admin-password'  // neg: secret-name-argument
  }
}

module passThrough 'modules/sql.bicep' = {
  name: 'sql-pass-through'
  params: {
    location: location
    administratorLogin: 'sqladmin'
    administratorLoginPassword: sqlPassword  // neg: secure-param-pass-through
    secretName: 'orders-db'
  }
}

module empty 'modules/sql.bicep' = {
  name: 'sql-empty'
  params: {
    location: location
    administratorLogin: 'sqladmin'
    administratorLoginPassword: ''  // neg: empty-argument
    secretName: '<vault-secret-name>'  // neg: placeholder-argument
  }
}
