// Clusters that sign in to Azure as a service principal, in each way a value reaches them.
// The secrets are parameters given at deployment; none is written here.
param location string = 'westeurope'
param servicePrincipalClientId string = '1d9b6c4e-7a20-4f35-8e91-b3c5d0a7f268'
@secure()
param servicePrincipalSecret string
param deployLab bool = true
param regions array = [
  'westeurope'
  'northeurope'
]

// Everything but the cluster identity, as the platform team hardens every cluster.
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

var buildAgentPrincipal = {
  clientId: 'e6a2f8d1-35c9-4b70-9f14-8d2b7c0e5a39'
  secret: servicePrincipalSecret
}

var legacyCredentials = {
  servicePrincipalProfile: {
    clientId: 'f3c81a5b-6e07-4d29-b4a6-0c9e2d7f1b85'
    secret: servicePrincipalSecret
  }
}

resource principal 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-principal'
  location: location
  properties: {
    dnsPrefix: 'aks-principal'
    kubernetesVersion: '1.30'
    enableRBAC: true
    servicePrincipalProfile: {
      clientId: '4b8e1f27-9c3d-4a65-b0e2-7f5a9d1c3e46'  // expect: WID006
      secret: servicePrincipalSecret
    }
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
}

// A managed identity is declared too, but the service principal and its secret are still there.
resource both 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-both'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-both'
    servicePrincipalProfile: {
      clientId: '4b8e1f27-9c3d-4a65-b0e2-7f5a9d1c3e46'  // expect: WID006
      secret: servicePrincipalSecret
    }
  }
}

resource fromParameter 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-parameter'
  location: location
  properties: {
    ...hardening
    dnsPrefix: 'aks-parameter'
    servicePrincipalProfile: {
      clientId: servicePrincipalClientId  // expect: WID006
      secret: servicePrincipalSecret
    }
  }
}

resource fromVariable 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-variable'
  location: location
  properties: {
    ...hardening
    dnsPrefix: 'aks-variable'
    servicePrincipalProfile: buildAgentPrincipal  // expect: WID006
  }
}

resource fromSpread 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-spread'
  location: location
  properties: {
    ...hardening
    ...legacyCredentials  // expect: WID006
    dnsPrefix: 'aks-spread'
  }
}

resource conditional 'Microsoft.ContainerService/managedClusters@2024-05-01' = if (deployLab) {
  name: 'aks-lab'
  location: location
  properties: {
    ...hardening
    dnsPrefix: 'aks-lab'
    servicePrincipalProfile: {
      clientId: '4b8e1f27-9c3d-4a65-b0e2-7f5a9d1c3e46'  // expect: WID006
      secret: servicePrincipalSecret
    }
  }
}

resource regional 'Microsoft.ContainerService/managedClusters@2024-05-01' = [for region in regions: {
  name: 'aks-${region}'
  location: region
  properties: {
    ...hardening
    dnsPrefix: 'aks-${region}'
    servicePrincipalProfile: {
      clientId: servicePrincipalClientId  // expect: WID006
      secret: servicePrincipalSecret
    }
  }
}]
