// expect: none
// Hard negatives: Azure RBAC on, values only known at deployment, a profile that an unknown
// object may complete, an `existing` cluster and resources that are not clusters.
param location string = resourceGroup().location
param enableAzureRbac bool
param entraIdSettings object

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

// Not a cluster: settings for a role assignment module, named alike.
var accessPlan = {
  enableAzureRBAC: false
  roleDefinitionName: 'Azure Kubernetes Service RBAC Reader'
}

resource azureRbac 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-azure-rbac'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-azure-rbac'
    aadProfile: {
      managed: true
      enableAzureRBAC: true
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
      managed: true
      enableAzureRBAC: enableAzureRbac
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
    aadProfile: {
      managed: true
      enableAzureRBAC: resourceGroup().tags.?rbac != 'kubernetes'
    }
  }
}

// The settings may include `enableAzureRBAC`.
resource withSettings 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-settings'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-settings'
    aadProfile: {
      managed: true
      ...entraIdSettings
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

output plan object = accessPlan
