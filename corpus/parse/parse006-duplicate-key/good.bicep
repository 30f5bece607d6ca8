// expect: none
// Not duplicates: the same key in different objects (nested, siblings, loop bodies), keys
// that differ in case (the compiler compares them exactly), and interpolated keys (only known
// at deployment).
param location string = resourceGroup().location
param suffix string = 'a'

resource logs 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'stlogsprod'
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  tags: {
    name: 'logs'
    Name: 'Logs'
    '${suffix}-x': 'one'
    '${suffix}-x': 'two'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    encryption: {
      services: {
        blob: { enabled: true }
        file: { enabled: true }
      }
    }
  }
}

var pools = [for name in ['system', 'user']: {
  name: name
  config: { name: '${name}-config' }
}]

output poolCount int = length(pools)
