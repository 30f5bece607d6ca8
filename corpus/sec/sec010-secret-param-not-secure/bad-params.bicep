// Parameters named like secrets that are not @secure(): their values land in the deployment
// history. (A literal default is a second finding, SEC011.)
param location string = resourceGroup().location

param adminPassword string  // expect: SEC010(param-not-secure)
param sqlAdministratorLoginPassword string  // expect: SEC010(param-not-secure)
param servicePrincipalClientSecret string  // expect: SEC010(param-not-secure)
param storageAccountKey string  // expect: SEC010(param-not-secure)
param githubToken string?  // expect: SEC010(param-not-secure)
param serviceBusConnectionString string  // expect: SEC010(param-not-secure)
@description('The password of the VM administrator, or its SSH key.')
param adminPasswordOrKey string  // expect: SEC010(param-not-secure)
param databaseCredentials object  // expect: SEC010(param-not-secure)
param sasToken string  // expect: SEC010(param-not-secure)
  param indentedApiKey string  // expect: SEC010(param-not-secure)

resource vm 'Microsoft.Compute/virtualMachines@2023-09-01' = {
  name: 'vm-jump'
  location: location
  properties: {
    osProfile: {
      computerName: 'jump'
      adminUsername: 'azureuser'
      adminPassword: adminPasswordOrKey
    }
  }
}
