// expect: none
@secure()
param sqlAdminPassword string
@secure()
param apiKey string = ''
param sqlAdminLogin string
param secretName string
param location string
param clientId string
param keyVaultId string
param sshPublicKey string
// A @secure() parameter restricted to the template's own list of values holds a setting.
@secure()
@allowed([
  'standard'
  'premium'
])
param tier string = 'standard'  // neg: allowed-value

output login string = sqlAdminLogin
output secret string = secretName
output region string = location
output client string = clientId
output vault string = keyVaultId
output key string = sshPublicKey
