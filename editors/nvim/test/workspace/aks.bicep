resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'shop-aks'
  location: 'westeurope'
  properties: {
    dnsPrefix: 'shop'
  }
}
