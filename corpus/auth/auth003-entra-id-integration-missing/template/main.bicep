// Clusters without managed Microsoft Entra ID integration, in each way a value reaches them.
param location string = 'westeurope'
param managedEntraId bool = false
param enableEntraId bool = false
param deployLab bool = true
param regions array = [
  'westeurope'
  'northeurope'
]
@secure()
param legacyServerAppSecret string

// Everything but Entra ID, as the platform team hardens every cluster.
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

var unmanagedEntraId = {
  managed: false
  enableAzureRBAC: true
}

var identityDefaults = {
  aadProfile: {
    managed: false
    enableAzureRBAC: true
  }
}

// No `aadProfile` at all.
resource noProfile 'Microsoft.ContainerService/managedClusters@2024-05-01' = {  // expect: AUTH003
  name: 'aks-no-profile'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    dnsPrefix: 'aks-no-profile'
    kubernetesVersion: '1.30'
    enableRBAC: true
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
}

resource notManaged 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-not-managed'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-not-managed'
    aadProfile: {
      managed: false  // expect: AUTH003
      enableAzureRBAC: true
    }
  }
}

// The legacy integration: app registrations and a server secret, no `managed`.
resource legacyIntegration 'Microsoft.ContainerService/managedClusters@2023-01-01' = {  // expect: AUTH003
  name: 'aks-legacy-aad'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-legacy-aad'
    aadProfile: {
      clientAppID: '3f6a2c1e-9b47-4d08-a5e2-7c1d9f0b6e34'
      serverAppID: 'b81d4e09-2c6f-4a3b-9e57-0d2f8c6a1b93'
      serverAppSecret: legacyServerAppSecret
      tenantID: tenant().tenantId
      enableAzureRBAC: true
    }
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
      managed: managedEntraId  // expect: AUTH003
      enableAzureRBAC: true
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
    aadProfile: unmanagedEntraId  // expect: AUTH003
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
    ...identityDefaults  // expect: AUTH003
    dnsPrefix: 'aks-spread'
  }
}

resource conditional 'Microsoft.ContainerService/managedClusters@2024-05-01' = if (deployLab) {  // expect: AUTH003
  name: 'aks-lab'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-lab'
  }
}

resource regional 'Microsoft.ContainerService/managedClusters@2024-05-01' = [for region in regions: {
  name: 'aks-${region}'
  location: region
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-${region}'
    aadProfile: {
      managed: false  // expect: AUTH003
      enableAzureRBAC: true
    }
  }
}]

// The profile is switched off by a parameter: `null` is no profile.
resource switchedOff 'Microsoft.ContainerService/managedClusters@2024-05-01' = {  // expect: AUTH003
  name: 'aks-switched-off'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    dnsPrefix: 'aks-switched-off'
    aadProfile: enableEntraId ? {
      managed: true
      enableAzureRBAC: true
    } : null
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
}
