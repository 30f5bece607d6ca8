// One bad line gives one finding; the declarations after it are still read.
param clusterName string = 'aks-prod  // expect: PARSE007

param location string = resourceGroup().location

var tags = {
  env: 'prod'
  owner: 'platform' 'team'  // expect: PARSE007
}

resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' existing = {
  name: clusterName
}
