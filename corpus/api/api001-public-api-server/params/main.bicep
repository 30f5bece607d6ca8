// expect: none
// The template is fine on its own: the parameter file is where the cluster is made public.
param enablePrivateCluster bool = true

// The other hardening every cluster here gets; this folder is about the API server.
var hardening = {
  disableLocalAccounts: true
  aadProfile: {
    managed: true
    enableAzureRBAC: true
  }
  oidcIssuerProfile: {
    enabled: true
  }
  securityProfile: {
    workloadIdentity: {
      enabled: true
    }
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

resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-staging'
  location: 'westeurope'
  properties: {
    apiServerAccessProfile: {
      enablePrivateCluster: enablePrivateCluster
    }
    ...hardening
  }
}
