// expect: none
// Hard negatives: private, restricted to ranges, unknown at lint time, an existing cluster,
// another resource type.
param privateCluster bool
param allowedRanges array

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

resource privateAks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-private'
  location: 'westeurope'
  properties: {
    apiServerAccessProfile: {
      enablePrivateCluster: true
      enablePrivateClusterPublicFQDN: false
    }
    ...hardening
  }
}

resource rangedAks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-ranged'
  location: 'westeurope'
  properties: {
    apiServerAccessProfile: {
      authorizedIPRanges: ['203.0.113.0/24']
    }
    ...hardening
  }
}

resource unknownAks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-unknown'
  location: 'westeurope'
  properties: {
    apiServerAccessProfile: {
      enablePrivateCluster: privateCluster
      authorizedIPRanges: allowedRanges
    }
    ...hardening
  }
}

resource existingAks 'Microsoft.ContainerService/managedClusters@2024-05-01' existing = {
  name: 'aks-legacy'
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'stprivate'
  location: 'westeurope'
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
}
