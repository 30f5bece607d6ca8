// expect: none
param clusterName string
param privateCluster bool = true

resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: clusterName
  location: resourceGroup().location
  properties: {
    apiServerAccessProfile: {
      enablePrivateCluster: privateCluster
    }
  }
}
