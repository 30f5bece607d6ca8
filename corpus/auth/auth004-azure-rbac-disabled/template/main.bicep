// Managed Entra ID without Azure RBAC, in each way a value reaches a cluster.
param location string = 'westeurope'
param enableAzureRbac bool = false
param deployLab bool = true
param regions array = [
  'westeurope'
  'northeurope'
]

// Everything but Azure RBAC, as the platform team hardens every cluster.
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

var kubernetesRbacOnly = false

var groupBasedAccess = {
  aadProfile: {
    managed: true
    enableAzureRBAC: false
    adminGroupObjectIDs: [
      '6a3f0d9c-2e81-4b57-a4c6-f18e5b2d7093'
    ]
  }
}

resource written 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-written'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    dnsPrefix: 'aks-written'
    kubernetesVersion: '1.30'
    enableRBAC: true
    disableLocalAccounts: true
    aadProfile: {
      managed: true
      enableAzureRBAC: false  // expect: AUTH004
      adminGroupObjectIDs: [
        '6a3f0d9c-2e81-4b57-a4c6-f18e5b2d7093'
      ]
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
}

// A managed profile that leaves Azure RBAC at its default (off).
resource notWritten 'Microsoft.ContainerService/managedClusters@2024-05-01' = {  // expect: AUTH004
  name: 'aks-not-written'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-not-written'
    aadProfile: {
      managed: true
      adminGroupObjectIDs: [
        '6a3f0d9c-2e81-4b57-a4c6-f18e5b2d7093'
      ]
    }
  }
}

// No profile at all: AUTH003 reports it, and AUTH004 does not report it a second time.
resource noProfile 'Microsoft.ContainerService/managedClusters@2024-05-01' = {  // expect: AUTH003
  name: 'aks-no-profile'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-no-profile'
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
    aadProfile: {
      managed: true
      enableAzureRBAC: enableAzureRbac  // expect: AUTH004
    }
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
    aadProfile: {
      managed: true
      enableAzureRBAC: kubernetesRbacOnly  // expect: AUTH004
    }
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
    ...groupBasedAccess  // expect: AUTH004
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
    aadProfile: {
      managed: true
      enableAzureRBAC: false  // expect: AUTH004
    }
  }
}

resource regional 'Microsoft.ContainerService/managedClusters@2024-05-01' = [for region in regions: {  // expect: AUTH004
  name: 'aks-${region}'
  location: region
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-${region}'
    aadProfile: {
      managed: true
    }
  }
}]
