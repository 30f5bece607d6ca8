// A property declared twice in one object: the compiler's BCP025. Each later declaration is
// reported, with the first as the related place; a quoted key names the same property.
param location string = resourceGroup().location

resource logs 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'stlogsprod'
  location: location
  'name': 'stlogsprod2' // expect: PARSE006
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
    name: 'Standard_GRS' // expect: PARSE006
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    minimumTlsVersion: 'TLS1_0' // expect: PARSE006
    supportsHttpsTrafficOnly: false // expect: PARSE006
  }
}

var tags = [for env in ['dev', 'prod']: {
  env: env
  owner: 'platform'
  env: 'shared' // expect: PARSE006
}]

output tagCount int = length(tags)
