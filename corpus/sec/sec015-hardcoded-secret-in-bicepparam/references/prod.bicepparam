// expect: none
// Hard negatives: references, deployment-time values, identifiers and names of secrets.
using './main.bicep'

param sqlAdminPassword = getSecret('11111111-2222-3333-4444-555555555555', 'rg-secrets', 'kv-orders', 'sql-admin-password')  // neg: getsecret
param apiKey = readEnvironmentVariable('ORDERS_API_KEY', '')  // neg: environment-variable
param sqlAdminLogin = 'sqladmin'  // neg: login
param secretName = 'sql-admin-password'  // neg: secret-name
param location = 'westeurope'  // neg: setting
param clientId = '5f1c9a0e-3b7d-4c2a-9e61-0d8b4f7a2c13'  // neg: guid
param keyVaultId = '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-secrets/providers/Microsoft.KeyVault/vaults/kv-orders'  // neg: resource-id
param sshPublicKey = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 ops@contoso'  // neg: public-key
