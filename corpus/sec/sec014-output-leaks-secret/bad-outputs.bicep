// Outputs that return keys or secure parameters, directly or through variables.
@secure()
param dbPassword string
@secure()
param registryCredentials object

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: 'stordersweu'
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = {
  name: 'crorders'
}

resource bus 'Microsoft.ServiceBus/namespaces/authorizationRules@2022-10-01-preview' existing = {
  name: 'sb-orders/send'
}

output storageKey string = storage.listKeys().keys[0].value  // expect: SEC014(output-leak)
output storageKeyByFunction string = listKeys(storage.id, '2023-05-01').keys[0].value  // expect: SEC014(output-leak)
output registryPassword string = registry.listCredentials().passwords[0].value  // expect: SEC014(output-leak)
output busConnection string = bus.listKeys().primaryConnectionString  // expect: SEC014(output-leak)
output password string = dbPassword  // expect: SEC014(output-leak)
output connection string = 'Server=tcp:sql-orders.database.windows.net;Database=orders;User ID=app;Password=${dbPassword}'  // expect: SEC014(output-leak)
output credentials object = registryCredentials  // expect: SEC014(output-leak)

var storageConnection = 'DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=${storage.listKeys().keys[0].value}'
output connectionViaVariable string = storageConnection  // expect: SEC014(output-leak)
var sasProperties = {
  signedServices: 'b'
  signedPermission: 'r'
  signedExpiry: '2030-01-01T00:00:00Z'
  signedResourceTypes: 'o'
}
output sasUrl string = '${storage.properties.primaryEndpoints.blob}?${storage.listAccountSas('2023-05-01', sasProperties).accountSasToken}'  // expect: SEC014(output-leak)

// Only the name says it: a warning (what the value holds cannot be traced here).
resource sqlServer 'Microsoft.Sql/servers@2023-08-01-preview' existing = {
  name: 'sql-orders'
}
output sqlConnectionString string = 'Server=tcp:${sqlServer.properties.fullyQualifiedDomainName};Database=orders;Authentication=Active Directory Default'  // expect: SEC014(secret-named-output)
output accountPassword string = '...'  // expect: SEC014(secret-named-output)
