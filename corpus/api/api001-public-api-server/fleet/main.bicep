// expect: none
// A fleet: one cluster per element of `clusters`, whose values are in the parameter file. The
// template is fine on its own; each element decides whether its cluster is public.
param clusters array = []

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

resource fleet 'Microsoft.ContainerService/managedClusters@2024-05-01' = [for c in clusters: if (c.?enabled ?? true) {
  name: c.name
  location: 'westeurope'
  properties: {
    apiServerAccessProfile: {
      enablePrivateCluster: c.privateCluster
      enablePrivateClusterPublicFQDN: false
      authorizedIPRanges: c.?ranges ?? []
    }
    ...hardening
  }
}]
