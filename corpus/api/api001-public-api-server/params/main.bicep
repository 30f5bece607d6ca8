// expect: none
// The template is fine on its own: the parameter file is where the cluster is made public.
param enablePrivateCluster bool = true

resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-staging'
  location: 'westeurope'
  properties: {
    apiServerAccessProfile: {
      enablePrivateCluster: enablePrivateCluster
    }
    addonProfiles: {
      azureKeyvaultSecretsProvider: {
        enabled: true
        config: {
          enableSecretRotation: 'true'
        }
      }
    }
  }
}
