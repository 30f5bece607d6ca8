// expect: none
// The template is careful; the parameter files are not.
@secure()
param sqlAdminPassword string
@secure()
param deployToken string
param sqlAdminLogin string
param vmAccess string
param location string = 'westeurope'
param settings object
param environment string

resource sql 'Microsoft.Sql/servers@2023-08-01-preview' = {
  name: 'sql-orders-${environment}'
  location: location
  properties: {
    administratorLogin: sqlAdminLogin
    administratorLoginPassword: sqlAdminPassword
  }
}

resource vm 'Microsoft.Compute/virtualMachines@2023-09-01' = {
  name: 'vm-${environment}'
  location: location
  properties: {
    osProfile: {
      computerName: 'build'
      adminUsername: 'azureuser'
      adminPassword: vmAccess
    }
  }
}

resource app 'Microsoft.Web/sites@2023-01-01' = {
  name: 'app-orders-${environment}'
  location: location
  properties: {
    siteConfig: {
      appSettings: [
        { name: 'CACHE_PASSWORD', value: settings.cachePassword }
        { name: 'DEPLOY_TOKEN', value: deployToken }
      ]
    }
  }
}
