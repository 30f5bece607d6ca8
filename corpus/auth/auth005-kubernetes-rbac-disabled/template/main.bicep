// Kubernetes RBAC turned off, in each way a value reaches a cluster.
param location string = 'westeurope'
param enableRbac bool = false
param deployLab bool = true
param regions array = [
  'westeurope'
  'northeurope'
]

// Everything else, as the platform team hardens every cluster.
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

var rbacForDemo = false

var demoDefaults = {
  enableRBAC: false
  kubernetesVersion: '1.29'
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
    enableRBAC: false  // expect: AUTH005
    disableLocalAccounts: true
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

// Azure compares property names ignoring case, and so does akslint.
resource otherCase 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-other-case'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-other-case'
    EnableRbac: false  // expect: AUTH005
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
    enableRBAC: enableRbac  // expect: AUTH005
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
    enableRBAC: rbacForDemo  // expect: AUTH005
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
    ...demoDefaults  // expect: AUTH005
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
    enableRBAC: false  // expect: AUTH005
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
    enableRBAC: false  // expect: AUTH005
  }
}]
