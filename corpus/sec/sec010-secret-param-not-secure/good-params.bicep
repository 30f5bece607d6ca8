// expect: none
// Hard negatives: secure parameters, names that refer to or describe a secret, public material,
// and types that cannot hold a secret.
@secure()
param adminPassword string  // neg: secure
@secure()
param vmCredentials object  // neg: secure-object
@sys.secure()
param clientSecret string  // neg: secure-namespaced
param secretName string = 'sql-admin-password'  // neg: secret-name
param keyVaultName string = 'kv-orders-weu'  // neg: key-vault-name
param keyVaultSecretUri string  // neg: secret-uri
param sshPublicKey string  // neg: public-key
param publicKey string  // neg: public-key
param passwordLength int = 32  // neg: setting-int
param enablePasswordAuthentication bool = false  // neg: setting-bool
param adminUsername string = 'azureuser'  // neg: user-name
param tokenExpiry string = 'PT1H'  // neg: token-expiry
param certificateThumbprint string  // neg: thumbprint
param storageAccountKeyName string = 'key1'  // neg: key-name
param secretRotationInterval string = '2m'  // neg: rotation-setting
param existingSecretName string = 'orders-db'  // neg: existing-secret
param passwordSecretRef string = 'db-password'  // neg: secret-ref
param apiKeys array  // neg: array-type

output adminUser string = adminUsername

@allowed([
  'Disabled'
  'Enabled'
])
param grafanaApiKey string = 'Enabled'  // neg: allowed-values-setting
param adminSshKey string  // neg: ssh-public-key-name
param tokenExpirationTime string  // neg: token-expiration-time
