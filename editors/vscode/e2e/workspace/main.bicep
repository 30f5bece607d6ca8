// A cluster whose administrator password is written in the template.
param location string = resourceGroup().location

@description('Windows node administrator password')
param adminPassword string = 'Zr8v-Kq2m-Wx7p'

resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'shop-aks'
  location: location
  properties: {
    windowsProfile: {
      adminUsername: 'azureuser'
      adminPassword: adminPassword
    }
  }
}
