// expect: none
// Hard negatives: both settings on, values only known at deployment, objects an unknown value
// may complete, an `existing` cluster and resources that are not clusters.
param location string = resourceGroup().location
param workloadIdentity bool
param securityOverrides object

var hardening = {
  disableLocalAccounts: true
  aadProfile: {
    managed: true
    enableAzureRBAC: true
  }
  apiServerAccessProfile: {
    enablePrivateCluster: true
    enablePrivateClusterPublicFQDN: false
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

// Not a cluster: the settings a team template would pass on.
var identityPlan = {
  oidcIssuerProfile: {
    enabled: false
  }
  securityProfile: {
    workloadIdentity: {
      enabled: false
    }
  }
}

resource enabled 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-enabled'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-enabled'
    oidcIssuerProfile: {
      enabled: true
    }
    securityProfile: {
      workloadIdentity: {
        enabled: true
      }
    }
  }
}

resource fromRequiredParameter 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-required'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-required'
    oidcIssuerProfile: {
      enabled: workloadIdentity
    }
    securityProfile: {
      workloadIdentity: {
        enabled: workloadIdentity
      }
    }
  }
}

resource fromResourceGroup 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-tagged'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-tagged'
    oidcIssuerProfile: {
      enabled: resourceGroup().tags.?workloadIdentity == 'on'
    }
    securityProfile: {
      workloadIdentity: {
        enabled: resourceGroup().tags.?workloadIdentity == 'on'
      }
    }
  }
}

// The overrides may add `workloadIdentity`.
resource withOverrides 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-overrides'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-overrides'
    oidcIssuerProfile: {
      enabled: true
    }
    securityProfile: {
      ...securityOverrides
    }
  }
}

resource shared 'Microsoft.ContainerService/managedClusters@2024-05-01' existing = {
  name: 'aks-shared'
}

// AKS Automatic turns local accounts off, Entra ID with Azure RBAC and workload identity on by
// itself: leaving them out is fine.
resource automatic 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-automatic'
  location: location
  sku: {
    name: 'Automatic'
    tier: 'Standard'
  }
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    apiServerAccessProfile: {
      enablePrivateCluster: true
      enablePrivateClusterPublicFQDN: false
    }
    addonProfiles: {
      azureKeyvaultSecretsProvider: {
        enabled: true
        config: {
          enableSecretRotation: 'true'
        }
      }
    }
    agentPoolProfiles: [
      {
        name: 'systempool'
        mode: 'System'
        count: 3
      }
    ]
  }
}

resource fleet 'Microsoft.ContainerService/fleets@2024-04-01' = {
  name: 'fleet-prod'
  location: location
  properties: {
    hubProfile: {
      dnsPrefix: 'fleet-prod'
    }
  }
}

output plan object = identityPlan
