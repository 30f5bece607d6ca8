// expect: none
using './main.bicep'

param sqlAdminPassword = ''  // neg: empty
param apiKey = '<set-in-pipeline>'  // neg: placeholder
param sqlAdminLogin = 'devadmin'  // neg: login
param secretName = 'dev-sql-admin-password'  // neg: secret-name
param location = 'westeurope'  // neg: setting-dev
param clientId = '0a4b6c8d-1e2f-4a5b-8c7d-9e0f1a2b3c4d'  // neg: guid-dev
param keyVaultId = '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-dev/providers/Microsoft.KeyVault/vaults/kv-dev'  // neg: resource-id-dev
param sshPublicKey = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl dev@contoso'  // neg: public-key-dev
param tier = 'premium'  // neg: allowed-value
