// expect: none
// Hard negatives: local accounts off, values only known at deployment, an `existing`
// cluster, a cluster under a condition that is false, and other resources with the same
// property name.
param location string = resourceGroup().location
param disableLocalAccounts bool
param clusterOverrides object

var hardening = {
  aadProfile: {
    managed: true
    enableAzureRBAC: true
  }
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

// Not a cluster: an ARM-shaped object in a variable.
var exampleClusterShape = {
  type: 'Microsoft.ContainerService/managedClusters'
  properties: {
    disableLocalAccounts: false
  }
}

resource hardened 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-hardened'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-hardened'
    disableLocalAccounts: true
  }
}

// Given at deployment: a required parameter.
resource fromRequiredParameter 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-required'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-required'
    disableLocalAccounts: disableLocalAccounts
  }
}

// Derived from the resource group's tags at deployment.
resource fromResourceGroup 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-tagged'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-tagged'
    disableLocalAccounts: resourceGroup().tags.?environment != 'lab'
  }
}

// The overrides may set `disableLocalAccounts`: not known, so not reported.
resource withOverrides 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-overrides'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-overrides'
    ...clusterOverrides
  }
}

resource legacy 'Microsoft.ContainerService/managedClusters@2021-03-01' existing = {
  name: 'aks-legacy'
}

resource neverDeployed 'Microsoft.ContainerService/managedClusters@2024-05-01' = if (false) {
  name: 'aks-never'
  location: location
  properties: {
    dnsPrefix: 'aks-never'
    disableLocalAccounts: false
  }
}

// A fleet manager and a cluster's node pool are not clusters.
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

resource userPool 'Microsoft.ContainerService/managedClusters/agentPools@2024-05-01' = {
  parent: hardened
  name: 'user'
  properties: {
    mode: 'User'
    count: 2
    vmSize: 'Standard_D8s_v5'
  }
}

output clusterShape object = exampleClusterShape
