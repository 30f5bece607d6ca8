// Clusters that cannot give pods Microsoft Entra Workload ID, in each way a value reaches them.
param location string = 'westeurope'
param enableWorkloadIdentity bool = false
param deployLab bool = true
param regions array = [
  'westeurope'
  'northeurope'
]

// Everything but workload identity, as the platform team hardens every cluster.
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

var defenderOnly = {
  defender: {
    securityMonitoring: {
      enabled: true
    }
  }
  workloadIdentity: {
    enabled: false
  }
}

var previewFeatures = {
  oidcIssuerProfile: {
    enabled: false
  }
  securityProfile: {
    workloadIdentity: {
      enabled: true
    }
  }
}

// Neither setting: one finding names both.
resource neither 'Microsoft.ContainerService/managedClusters@2024-05-01' = {  // expect: WID002
  name: 'aks-neither'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    dnsPrefix: 'aks-neither'
    kubernetesVersion: '1.30'
    enableRBAC: true
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
}

resource oidcOff 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-oidc-off'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-oidc-off'
    oidcIssuerProfile: {
      enabled: false  // expect: WID002
    }
    securityProfile: {
      workloadIdentity: {
        enabled: true
      }
    }
  }
}

// Workload identity written as false and the OIDC issuer missing: reported on what is written.
resource workloadIdentityOff 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-wi-off'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-wi-off'
    securityProfile: {
      workloadIdentity: {
        enabled: false  // expect: WID002
      }
    }
  }
}

// The OIDC issuer alone: workload identity needs both.
resource oidcOnly 'Microsoft.ContainerService/managedClusters@2024-05-01' = {  // expect: WID002
  name: 'aks-oidc-only'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-oidc-only'
    oidcIssuerProfile: {
      enabled: true
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
    oidcIssuerProfile: {
      enabled: enableWorkloadIdentity  // expect: WID002
    }
    securityProfile: {
      workloadIdentity: {
        enabled: enableWorkloadIdentity
      }
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
    oidcIssuerProfile: {
      enabled: true
    }
    securityProfile: defenderOnly  // expect: WID002
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
    ...previewFeatures  // expect: WID002
    dnsPrefix: 'aks-spread'
  }
}

resource conditional 'Microsoft.ContainerService/managedClusters@2024-05-01' = if (deployLab) {  // expect: WID002
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

resource regional 'Microsoft.ContainerService/managedClusters@2024-05-01' = [for region in regions: {  // expect: WID002
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

// AKS Automatic turns both settings on by itself, unless the template turns one off.
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
    securityProfile: {
      workloadIdentity: {
        enabled: false  // expect: WID002
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
