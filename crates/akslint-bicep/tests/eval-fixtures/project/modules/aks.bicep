// An AKS cluster module of the evaluator's fixture project (written for akslint's tests).
param name string
param location string
param enableRbac bool = false
param aad object = {}
param disableLocal bool = false
param tags object = {}
param networkPlugin string = 'azure'

resource cluster 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    enableRBAC: enableRbac
    aadProfile: aad
    disableLocalAccounts: disableLocal
    networkProfile: {
      networkPlugin: networkPlugin
    }
  }
}
