// expect: none
@secure()
param settings object
param location string

resource app 'Microsoft.Web/sites@2023-01-01' = {
  name: 'app-orders'
  location: location
  properties: {
    siteConfig: {
      appSettings: [for setting in items(settings): { name: setting.key, value: setting.value }]
    }
  }
}
