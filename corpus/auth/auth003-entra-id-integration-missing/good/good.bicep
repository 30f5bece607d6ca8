// expect: none
// Hard negatives: managed Entra ID, values only known at deployment, a profile that an
// unknown object may complete, an `existing` cluster and resources that are not clusters.
param location string = resourceGroup().location
param managedEntraId bool
param enableEntraId bool
param aadOverrides object

var hardening = {
  disableLocalAccounts: true
  apiServerAccessProfile: {
    enablePrivateCluster: true
    enablePrivateClusterPublicFQDN: false
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

// Not a cluster: a profile kept for documentation.
var legacyProfileExample = {
  aadProfile: {
    managed: false
    clientAppID: '00000000-0000-0000-0000-000000000000'
  }
}

resource managed 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-managed'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-managed'
    aadProfile: {
      managed: true
      enableAzureRBAC: true
      adminGroupObjectIDs: [
        '2b7e4c90-13d5-4f6a-8e21-c0a9d5f3b718'
      ]
      tenantID: subscription().tenantId
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
    aadProfile: {
      managed: managedEntraId
      enableAzureRBAC: true
    }
  }
}

// Either a managed profile or none, decided at deployment.
resource optional 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-optional'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-optional'
    aadProfile: enableEntraId ? {
      managed: true
      enableAzureRBAC: true
    } : null
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
    aadProfile: {
      managed: contains(resourceGroup().tags, 'entra')
      enableAzureRBAC: true
    }
  }
}

// The overrides may set `managed`.
resource withOverrides 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-overrides'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-overrides'
    aadProfile: {
      enableAzureRBAC: true
      ...aadOverrides
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

output legacyExample object = legacyProfileExample
