// Local accounts left on, in each way a value reaches a cluster within one template.
param location string = 'westeurope'
param disableLocalAccounts bool = false
param deployLab bool = true
param regions array = [
  'westeurope'
  'northeurope'
]

// Everything but local accounts, as the platform team hardens every cluster.
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

var isProduction = false

var labAccess = {
  disableLocalAccounts: false
}

resource literal 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-literal'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    dnsPrefix: 'aks-literal'
    kubernetesVersion: '1.30'
    enableRBAC: true
    disableLocalAccounts: false  // expect: AUTH002
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
    agentPoolProfiles: [
      {
        name: 'system'
        mode: 'System'
        count: 3
        vmSize: 'Standard_D4s_v5'
      }
    ]
  }
}

// Not written at all: AKS keeps local accounts by default. The type's case does not matter.
resource missing 'Microsoft.ContainerService/ManagedClusters@2023-10-01' = {  // expect: AUTH002
  name: 'aks-missing'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-missing'
  }
}

resource fromParameter 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-parameter'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-parameter'
    disableLocalAccounts: disableLocalAccounts  // expect: AUTH002
  }
}

resource fromVariable 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-variable'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-variable'
    disableLocalAccounts: isProduction  // expect: AUTH002
  }
}

resource fromSpread 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-spread'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    ...labAccess  // expect: AUTH002
    dnsPrefix: 'aks-spread'
  }
}

resource conditional 'Microsoft.ContainerService/managedClusters@2024-05-01' = if (deployLab) {
  name: 'aks-lab'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-lab'
    disableLocalAccounts: false  // expect: AUTH002
  }
}

// One finding for the declaration, not one per region.
resource regional 'Microsoft.ContainerService/managedClusters@2024-05-01' = [for region in regions: {  // expect: AUTH002
  name: 'aks-${region}'
  location: region
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-${region}'
  }
}]

// AKS Automatic turns local accounts off by itself, unless the template turns them back on.
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
    disableLocalAccounts: false  // expect: AUTH002
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
}
